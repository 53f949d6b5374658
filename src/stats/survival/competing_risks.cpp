#include "stats/survival/competing_risks.h"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <string>

#include "core/error.h"
#include "stats/numerics/distributions.h"
#include "stats/numerics/radix_sort.h"

namespace sirtkit::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct SortedRows {
  std::vector<double> time;
  std::vector<int> status;
  std::vector<std::size_t> row;  // input row of each sorted row
};

SortedRows sort_rows(std::span<const double> time, std::span<const int> status) {
  const auto order = radix_order(time);
  SortedRows s;
  for (std::size_t i = 0; i < time.size(); ++i) {
    s.time.push_back(time[order[i]]);
    s.status.push_back(status[order[i]]);
    s.row.push_back(order[i]);
  }
  return s;
}

void check_input(std::span<const double> time, std::span<const int> status) {
  if (time.size() != status.size()) throw Error(ErrorCategory::internal, "competing risks: columns differ in length");
  for (std::size_t i = 0; i < time.size(); ++i) {
    if (!(std::isfinite(time[i]) && time[i] >= 0)) fail_input("competing risks", "time", std::to_string(time[i]), "a time >= 0");
    if (status[i] < 0) fail_input("competing risks", "status", std::to_string(status[i]), "0 (censored) or a cause code >= 1");
  }
}

// One cause's curve over the sorted rows.
CumulativeIncidence one_cause(const SortedRows& d, int cause) {
  const std::size_t n = d.time.size();
  CumulativeIncidence c;
  c.cause = cause;
  c.n = static_cast<std::int64_t>(n);
  // cmprsk cinc: S(t-) of all causes, the estimate and the three running sums of its variance.
  double fk = 1, f = 0, v1 = 0, v2 = 0, v3 = 0, var = 0;
  // Infinitesimal jackknife (see the header): C(t-) = sum h / (n (1 - h)) over earlier
  // event times, P(t) the influence of a row still at risk, and the sums over rows gone
  // of a^2, a b, b^2 where a row gone at T has influence a + b F(t) afterwards.
  double cum = 0, p_at_risk = 0, a2 = 0, ab = 0, b2 = 0;
  std::size_t left = n;  // rows with time >= current
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    std::int64_t nd1 = 0, nd2 = 0;
    for (; j < n && d.time[j] == d.time[i]; ++j) {
      if (d.status[j] == cause) ++nd1;
      else if (d.status[j] != 0) ++nd2;
    }
    const double rs = static_cast<double>(left);
    const std::int64_t nd = nd1 + nd2;
    const double s_prev = fk;
    double h = 0;
    if (nd > 0) {
      h = static_cast<double>(nd) / rs;
      const double hk = static_cast<double>(nd1) / rs;
      const double fkn = fk * (rs - static_cast<double>(nd)) / rs;
      if (nd1 > 0) f += fk * static_cast<double>(nd1) / rs;
      // Variance terms of cincsub.f: other causes first, then this cause.
      auto tie = [&](std::int64_t k) { return k > 1 ? 1 - (static_cast<double>(k) - 1) / (rs - 1) : 1.0; };
      if (nd2 > 0 && fkn > 0) {
        const double t6 = fk * fk * tie(nd2) * static_cast<double>(nd2) / (rs * rs);
        const double t3 = 1 / fkn, t4 = f / fkn;
        v1 += t4 * t4 * t6;
        v2 += t3 * t4 * t6;
        v3 += t3 * t3 * t6;
      }
      if (nd1 > 0) {
        const double t6 = fk * fk * tie(nd1) * static_cast<double>(nd1) / (rs * rs);
        const double t3 = fkn > 0 ? 1 / fkn : 0.0;
        const double t4 = 1 + t3 * f;
        v1 += t4 * t4 * t6;
        v2 += t3 * t4 * t6;
        v3 += t3 * t3 * t6;
        var = v1 + f * f * v3 - 2 * f * v2;
      }
      fk = fkn;
      p_at_risk += s_prev * cum * hk - s_prev * hk / rs;
    }
    const bool all_gone = nd > 0 && h >= 1;
    const double cum_now = nd > 0 && !all_gone ? cum + h / (rs * (1 - h)) : cum;
    for (std::size_t k = i; k < j; ++k) {
      const bool event = d.status[k] != 0;
      const double b = all_gone ? 0.0 : cum_now - (event ? 1 / (rs * (1 - h)) : 0.0);
      const double a = p_at_risk + (d.status[k] == cause ? s_prev / rs : 0.0) - b * f;
      a2 += a * a;
      ab += a * b;
      b2 += b * b;
    }
    cum = cum_now;
    left -= j - i;
    const double ij = static_cast<double>(left) * p_at_risk * p_at_risk + a2 + 2 * f * ab + f * f * b2;
    c.time.push_back(d.time[i]);
    c.n_risk.push_back(static_cast<std::int64_t>(rs));
    c.n_event.push_back(nd1);
    c.estimate.push_back(f);
    c.variance.push_back(var);
    c.std_err.push_back(std::sqrt(std::max(ij, 0.0)));
    c.events += nd1;
    i = j;
  }
  return c;
}

}  // namespace

std::vector<CumulativeIncidence> cumulative_incidence(std::span<const double> time, std::span<const int> status) {
  check_input(time, status);
  std::set<int> causes;
  for (int s : status)
    if (s != 0) causes.insert(s);
  const SortedRows d = sort_rows(time, status);
  std::vector<CumulativeIncidence> out;
  for (int k : causes) out.push_back(one_cause(d, k));
  return out;
}

std::vector<CifAtTime> cif_at_times(const CumulativeIncidence& c, std::span<const double> times) {
  std::vector<CifAtTime> out;
  for (double t : times) {
    CifAtTime r;
    r.time = t;
    if (c.size() > 0 && t > c.time.back()) {
      r.beyond_follow_up = true;
      r.estimate = r.variance = r.std_err = kNaN;
    } else {
      const auto it = std::upper_bound(c.time.begin(), c.time.end(), t);
      if (it != c.time.begin()) {
        const auto i = static_cast<std::size_t>(it - c.time.begin()) - 1;
        r.estimate = c.estimate[i];
        r.variance = c.variance[i];
        r.std_err = c.std_err[i];
      }
    }
    out.push_back(r);
  }
  return out;
}

namespace {

// crst of cmprsk (crstm.f) on one stratum, rows sorted by time: adds the
// score s (groups - 1) and the lower triangle of its variance v.
void gray_stratum(const std::vector<double>& y, const std::vector<int>& m, const std::vector<int>& g, int ng, double rho,
                  Eigen::VectorXd& s_out, Eigen::MatrixXd& v_out) {
  const int ng1 = ng - 1;
  const std::size_t n = y.size();
  std::vector<double> rs(ng, 0.0), f1m(ng, 0.0), f1(ng, 0.0), skmm(ng, 1.0), skm(ng, 1.0), v3(ng, 0.0);
  for (int j : g) rs[j] += 1;
  Eigen::MatrixXd c = Eigen::MatrixXd::Zero(ng, ng), a(ng, ng), v2 = Eigen::MatrixXd::Zero(ng1, ng);
  Eigen::MatrixXd v = Eigen::MatrixXd::Zero(ng1, ng1);
  Eigen::VectorXd s = Eigen::VectorXd::Zero(ng1);
  double fm = 0, f = 0;
  std::vector<std::array<int, 3>> d(ng);
  for (std::size_t ll = 0; ll < n;) {
    std::size_t lu = ll;
    while (lu < n && y[lu] == y[ll]) ++lu;
    for (auto& x : d) x = {0, 0, 0};
    for (std::size_t i = ll; i < lu; ++i) d[g[i]][m[i]] += 1;
    double nd1 = 0, nd2 = 0;
    for (int i = 0; i < ng; ++i) {
      nd1 += d[i][1];
      nd2 += d[i][2];
    }
    if (nd1 > 0 || nd2 > 0) {
      double tr = 0, tq = 0;
      for (int i = 0; i < ng; ++i) {
        if (rs[i] <= 0) continue;
        const double td = d[i][1] + d[i][2];
        skm[i] = skmm[i] * (rs[i] - td) / rs[i];  // left (skmm) and right (skm) continuous KM
        f1[i] = f1m[i] + skmm[i] * d[i][1] / rs[i];
        tr += rs[i] / skmm[i];
        tq += rs[i] * (1 - f1m[i]) / skmm[i];
      }
      f = fm + nd1 / tr;
      const double fb = std::pow(1 - fm, rho);
      for (int i = 0; i < ng; ++i) {
        for (int j = i; j < ng; ++j) a(i, j) = 0;
        if (rs[i] <= 0) continue;
        const double t1 = rs[i] / skmm[i];
        a(i, i) = fb * t1 * (1 - t1 / tr);
        c(i, i) += a(i, i) * nd1 / (tr * (1 - fm));
        for (int j = i + 1; j < ng; ++j) {
          if (rs[j] <= 0) continue;
          a(i, j) = -fb * t1 * rs[j] / (skmm[j] * tr);
          c(i, j) += a(i, j) * nd1 / (tr * (1 - fm));
        }
      }
      for (int i = 1; i < ng; ++i)
        for (int j = 0; j < i; ++j) {
          a(i, j) = a(j, i);
          c(i, j) = c(j, i);
        }
      for (int i = 0; i < ng1; ++i)
        if (rs[i] > 0) s(i) += fb * (d[i][1] - nd1 * rs[i] * (1 - f1m[i]) / (skmm[i] * tq));
      if (nd1 > 0) {
        for (int k = 0; k < ng; ++k) {
          if (rs[k] <= 0) continue;
          const double t4 = skm[k] > 0 ? 1 - (1 - f) / skm[k] : 1.0;
          const double t5 = nd1 > 1 ? 1 - (nd1 - 1) / (tr * skmm[k] - 1) : 1.0;
          const double t3 = t5 * skmm[k] * nd1 / (tr * rs[k]);
          v3[k] += t4 * t4 * t3;
          for (int i = 0; i < ng1; ++i) {
            const double t1 = a(i, k) - t4 * c(i, k);
            v2(i, k) += t1 * t4 * t3;
            for (int j = 0; j <= i; ++j) v(i, j) += t1 * (a(j, k) - t4 * c(j, k)) * t3;
          }
        }
      }
      if (nd2 > 0) {
        for (int k = 0; k < ng; ++k) {
          if (skm[k] <= 0 || d[k][2] <= 0) continue;
          const double t4 = (1 - f) / skm[k];
          const double t5 = d[k][2] > 1 ? 1 - (d[k][2] - 1.0) / (rs[k] - 1.0) : 1.0;
          const double t3 = t5 * skmm[k] * skmm[k] * d[k][2] / (rs[k] * rs[k]);
          v3[k] += t4 * t4 * t3;
          for (int i = 0; i < ng1; ++i) {
            const double t1 = t4 * c(i, k);
            v2(i, k) -= t1 * t4 * t3;
            for (int j = 0; j <= i; ++j) v(i, j) += t1 * t4 * c(j, k) * t3;
          }
        }
      }
    }
    for (std::size_t i = ll; i < lu; ++i) rs[g[i]] -= 1;
    fm = f;
    f1m = f1;
    skmm = skm;
    ll = lu;
  }
  for (int i = 0; i < ng1; ++i)
    for (int j = 0; j <= i; ++j)
      for (int k = 0; k < ng; ++k) v(i, j) += c(i, k) * c(j, k) * v3[k] + c(i, k) * v2(j, k) + c(j, k) * v2(i, k);
  s_out += s;
  v_out += v;
}

}  // namespace

GrayTestResult gray_test(std::span<const double> time, std::span<const int> status, std::span<const int> group, int groups,
                         int cause, double rho, std::span<const int> strata) {
  check_input(time, status);
  if (group.size() != time.size() || (!strata.empty() && strata.size() != time.size()))
    throw Error(ErrorCategory::internal, "gray_test: columns differ in length");
  if (groups < 2) fail_input("Gray's test", "group", std::to_string(groups) + " group(s)", "at least two groups");
  const SortedRows d = sort_rows(time, status);
  std::set<int> strata_codes;
  for (std::size_t i = 0; i < time.size(); ++i) strata_codes.insert(strata.empty() ? 0 : strata[i]);
  Eigen::VectorXd s = Eigen::VectorXd::Zero(groups - 1);
  Eigen::MatrixXd v = Eigen::MatrixXd::Zero(groups - 1, groups - 1);
  for (int st : strata_codes) {
    std::vector<double> y;
    std::vector<int> m, g;
    for (std::size_t k = 0; k < d.time.size(); ++k) {
      const std::size_t r = d.row[k];
      if ((strata.empty() ? 0 : strata[r]) != st) continue;
      y.push_back(d.time[k]);
      m.push_back(d.status[k] == cause ? 1 : d.status[k] == 0 ? 0 : 2);
      g.push_back(group[r]);
    }
    gray_stratum(y, m, g, groups, rho, s, v);
  }
  v.triangularView<Eigen::StrictlyUpper>() = v.transpose();
  GrayTestResult r;
  r.cause = cause;
  r.df = groups - 1;
  r.score.assign(s.data(), s.data() + s.size());
  // cuminc inverts the variance through qr() and reports -1 when it is singular.
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(v);
  if (qr.rank() < v.rows()) {
    r.statistic = kNaN;
    r.p_value = kNaN;
    return r;
  }
  r.statistic = s.dot(qr.solve(s));
  r.p_value = chisq_upper_p(r.statistic, r.df);
  return r;
}

}  // namespace sirtkit::stats
