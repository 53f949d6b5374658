#include "stats/cox/cox_zph_counting.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "stats/survival/kaplan_meier.h"
#include "stats/survival/counting_intervals.h"
#include "stats/cox/cox_zph_score.h"

namespace sirtkit::stats {

namespace {

// g = 1 - S(stop-) from the KM of the (start, stop] rows, centred over the events.
std::vector<double> counting_km_transform(const std::vector<double>& start, const std::vector<double>& stop,
                                          std::span<const int> status) {
  const std::size_t n = stop.size();
  const KmCurve km = kaplan_meier_counting(start, stop, status, KmOptions{ConfType::log, 0.95, false});
  std::vector<double> g(n);
  double gsum = 0;
  std::size_t nevent = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto idx = std::lower_bound(km.time.begin(), km.time.end(), stop[i]) - km.time.begin();
    g[i] = 1.0 - (idx == 0 ? 1.0 : km.surv[static_cast<std::size_t>(idx) - 1]);
    if (status[i]) {
      gsum += g[i];
      ++nevent;
    }
  }
  if (nevent == 0) fail_input("cox.zph", "event", "no events", "at least one event");
  for (auto& v : g) v -= gsum / static_cast<double>(nevent);
  return g;
}

// The (start, stop] rows and their centred covariates and risk scores at
// beta-hat, with agreg.fit's used rows (those whose interval holds an event
// time of their stratum: the leave-before-join walk needs it) in the two
// orders (stratum, stop descending) and (stratum, start descending).
struct ZphCountingRows {
  const std::vector<double>& start;
  const std::vector<double>& stop;
  std::span<const int> status, strata;
  const std::vector<double>& g;
  Eigen::MatrixXd xc;
  Eigen::VectorXd eta;
  std::vector<std::size_t> by_stop, by_start;
  int stratum_of(std::size_t i) const { return strata.empty() ? 0 : strata[i]; }
};

void centre_at_fit(const Eigen::MatrixXd& x_all, const CoxFit& fit, const std::vector<int>& keep,
                   ZphCountingRows& rows) {
  const int p = static_cast<int>(keep.size());
  rows.xc.resize(x_all.rows(), p);
  Eigen::VectorXd beta(p);
  for (int k = 0; k < p; ++k) {
    rows.xc.col(k) =
        x_all.col(keep[static_cast<std::size_t>(k)]).array() - x_all.col(keep[static_cast<std::size_t>(k)]).mean();
    beta(k) = fit.coef(keep[static_cast<std::size_t>(k)]);
  }
  rows.eta = rows.xc * beta;
}

void order_used_rows(ZphCountingRows& rows) {
  const std::size_t n = rows.stop.size();
  std::vector<std::pair<int, double>> event_times;
  for (std::size_t i = 0; i < n; ++i)
    if (rows.status[i]) event_times.emplace_back(rows.stratum_of(i), rows.stop[i]);
  std::sort(event_times.begin(), event_times.end());
  std::vector<std::size_t> used;
  for (std::size_t i = 0; i < n; ++i) {
    const auto it =
        std::upper_bound(event_times.begin(), event_times.end(), std::make_pair(rows.stratum_of(i), rows.start[i]));
    if (it != event_times.end() && it->first == rows.stratum_of(i) && it->second <= rows.stop[i]) used.push_back(i);
  }
  rows.by_stop = used;
  rows.by_start = used;
  std::stable_sort(rows.by_stop.begin(), rows.by_stop.end(), [&](std::size_t a, std::size_t b) {
    return rows.stratum_of(a) != rows.stratum_of(b) ? rows.stratum_of(a) < rows.stratum_of(b) : rows.stop[a] > rows.stop[b];
  });
  std::stable_sort(rows.by_start.begin(), rows.by_start.end(), [&](std::size_t a, std::size_t b) {
    return rows.stratum_of(a) != rows.stratum_of(b) ? rows.stratum_of(a) < rows.stratum_of(b)
                                                    : rows.start[a] > rows.start[b];
  });
}

// Score (2p) and information (2p x 2p) at (beta-hat, 0): with gamma = 0 each
// event time t adds U_t and V_t of the fit, times (1, g(t)) and (1, g, g^2).
void zph_counting_walk(const ZphCountingRows& rows, Ties ties, Eigen::VectorXd& u, Eigen::MatrixXd& imat) {
  const auto p = rows.xc.cols();
  const std::size_t nu = rows.by_stop.size();
  u = Eigen::VectorXd::Zero(2 * p);
  imat = Eigen::MatrixXd::Zero(2 * p, 2 * p);
  ZphRiskSums risk{0, Eigen::VectorXd::Zero(p), Eigen::MatrixXd::Zero(p, p)}, dead = risk;
  std::size_t nrisk = 0, person = 0, indx1 = 0;
  int istrat = nu ? rows.stratum_of(rows.by_stop[0]) : 0;
  auto reset = [&] {
    risk.denom = 0;
    nrisk = 0;
    risk.a.setZero();
    risk.cmat.setZero();
  };
  auto add = [&](ZphRiskSums& sums, double sign, std::size_t r) {
    const double r_risk = std::exp(rows.eta(static_cast<Eigen::Index>(r)));
    const auto xr = rows.xc.row(static_cast<Eigen::Index>(r)).transpose();
    if (sign < 0) {
      sums.denom -= r_risk;
      sums.a -= r_risk * xr;
      sums.cmat.noalias() -= r_risk * xr * xr.transpose();
    } else {
      sums.denom += r_risk;
      sums.a += r_risk * xr;
      sums.cmat.noalias() += r_risk * xr * xr.transpose();
    }
  };
  while (person < nu) {
    std::size_t k = person;
    double dtime = 0;
    for (; k < nu; ++k) {
      const std::size_t r = rows.by_stop[k];
      if (rows.stratum_of(r) != istrat) {
        istrat = rows.stratum_of(r);
        reset();
        person = indx1 = k;
      }
      if (rows.status[r]) {
        dtime = rows.stop[r];
        break;
      }
    }
    if (k == nu) break;
    for (; indx1 < nu; ++indx1) {
      const std::size_t r = rows.by_start[indx1];
      if (rows.start[r] < dtime || rows.stratum_of(r) != istrat) break;
      if (--nrisk == 0)
        reset();
      else
        add(risk, -1, r);
    }
    double timewt = 0;
    int deaths = 0;
    dead.denom = 0;
    dead.a.setZero();
    dead.cmat.setZero();
    for (; person < nu; ++person) {
      const std::size_t r = rows.by_stop[person];
      if (rows.stratum_of(r) != istrat || rows.stop[r] < dtime) break;
      ++nrisk;
      if (rows.status[r]) {
        ++deaths;
        timewt = rows.g[r];
        const auto xr = rows.xc.row(static_cast<Eigen::Index>(r)).transpose();
        u.head(p) += xr;
        u.tail(p) += rows.g[r] * xr;
        add(dead, 1, r);
      } else {
        add(risk, 1, r);
      }
    }
    // zph2.c is given method == "efron": Breslow sums otherwise.
    add_zph_event_time(ties == Ties::efron, deaths, timewt, dead, risk, u, imat);
  }
  imat.bottomLeftCorner(p, p) = imat.topRightCorner(p, p).transpose();
}

}  // namespace

CoxZphResult cox_zph_counting(std::span<const double> start_in, std::span<const double> stop_in,
                              std::span<const int> status, const Eigen::MatrixXd& x_all, const CoxFit& fit, Ties ties,
                              std::span<const int> strata, const std::vector<std::vector<int>>& terms_in, bool timefix) {
  const std::size_t n = stop_in.size();
  if (start_in.size() != n || status.size() != n || static_cast<std::size_t>(x_all.rows()) != n ||
      fit.p != x_all.cols() || (!strata.empty() && strata.size() != n))
    throw Error(ErrorCategory::internal, "cox_zph_counting: inputs do not match the fit");
  if (ties == Ties::exact)
    fail_input("cox.zph", "ties", "exact",
               "efron or breslow ties: R's cox.zph does not accept an exact-ties fit of (start, stop] data");
  std::vector<double> start(start_in.begin(), start_in.end()), stop(stop_in.begin(), stop_in.end());
  if (timefix) merge_near_tie_intervals(start, stop);  // as coxph did before the fit

  // Non-aliased columns, and the terms remapped onto them (as cox_zph).
  const ZphColumns columns = zph_columns(fit, terms_in);
  const int p = static_cast<int>(columns.keep.size());
  const std::vector<double> g = counting_km_transform(start, stop, status);
  ZphCountingRows rows{start, stop, status, strata, g, {}, {}, {}, {}};
  centre_at_fit(x_all, fit, columns.keep, rows);
  order_used_rows(rows);
  Eigen::VectorXd u;
  Eigen::MatrixXd imat;
  zph_counting_walk(rows, ties, u, imat);
  // Per term and GLOBAL: chi2 = u' I^-1 u with u = (0, U_gamma[term]).
  return zph_score_tests(u, imat, p, columns.terms);
}

}  // namespace sirtkit::stats
