#include "stats/survival/fine_gray.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"
#include "stats/numerics/distributions.h"

namespace sirtkit::stats {

namespace {

// The rows in time order (stable, as crr's order(ftime)) with crr's codes:
// 1 = the cause, 2 = a competing failure, 0 = censored.
struct Rows {
  std::vector<double> t;
  std::vector<int> code;
  Eigen::MatrixXd x;      // n x p
  std::vector<double> g;  // G(t_i-), the censoring Kaplan-Meier just before t_i
  // Distinct failure times of the cause: first row, number of failures.
  std::vector<std::size_t> fail_start;
  std::vector<int> fail_count;
};

Rows prepare(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x, int cause) {
  const std::size_t n = time.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
  Rows r;
  r.x.resize(static_cast<Eigen::Index>(n), x.cols());
  for (std::size_t i = 0; i < n; ++i) {
    r.t.push_back(time[order[i]]);
    const int s = status[order[i]];
    r.code.push_back(s == 0 ? 0 : s == cause ? 1 : 2);
    r.x.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(order[i]));
  }
  // Censoring Kaplan-Meier, read as crr does: approx(c(-eps, times, ...), c(1, surv, ...),
  // xout = t (1 - 100 eps), method = "constant", f = 0): the value at the last time
  // before t, or at t itself when t = 0 is one of the times.
  r.g.assign(n, 1.0);
  double km = 1;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    int cens = 0;
    for (; j < n && r.t[j] == r.t[i]; ++j) cens += r.code[j] == 0;
    const double before = km;
    km *= 1.0 - static_cast<double>(cens) / static_cast<double>(n - i);
    for (std::size_t k = i; k < j; ++k) r.g[k] = r.t[i] == 0 ? km : before;
    if (r.code[i] >= 0) {
      int fails = 0;
      for (std::size_t k = i; k < j; ++k) fails += r.code[k] == 1;
      if (fails > 0) {
        r.fail_start.push_back(i);
        r.fail_count.push_back(fails);
      }
    }
    i = j;
  }
  return r;
}

// Risk-set weight of row j at the failure time whose first row is `at`: 1 while
// still under observation, G(t-)/G(T_j-) after a competing failure, 0 otherwise.
double risk_weight(const Rows& r, std::size_t j, std::size_t at) {
  if (r.t[j] >= r.t[at]) return 1.0;
  return r.code[j] == 2 ? r.g[at] / r.g[j] : 0.0;
}

struct Evaluation {
  double f = 0;  // minus the log partial likelihood (crr's objective)
  Eigen::VectorXd score;  // its gradient
  Eigen::MatrixXd hess;   // and Hessian
  std::vector<double> s0;           // per failure time
  std::vector<Eigen::VectorXd> mean;  // S1 / S0 per failure time
};

Evaluation evaluate(const Rows& r, const Eigen::VectorXd& b, bool derivatives) {
  const auto n = static_cast<std::size_t>(r.x.rows());
  const auto p = r.x.cols();
  const Eigen::VectorXd eta = r.x * b;
  Evaluation e;
  e.score = Eigen::VectorXd::Zero(p);
  e.hess = Eigen::MatrixXd::Zero(p, p);
  Eigen::VectorXd s1(p);
  for (std::size_t k = 0; k < r.fail_start.size(); ++k) {
    const std::size_t at = r.fail_start[k];
    const double d = r.fail_count[k];
    double s0 = 0;
    s1.setZero();
    for (std::size_t j = 0; j < n; ++j) {
      const double w = risk_weight(r, j, at);
      if (w == 0) continue;
      const double wr = w * std::exp(eta(static_cast<Eigen::Index>(j)));
      s0 += wr;
      if (derivatives) s1 += wr * r.x.row(static_cast<Eigen::Index>(j)).transpose();
    }
    for (std::size_t i = at; i < n && r.t[i] == r.t[at]; ++i)
      if (r.code[i] == 1) {
        e.f -= eta(static_cast<Eigen::Index>(i));
        if (derivatives) e.score -= r.x.row(static_cast<Eigen::Index>(i)).transpose();
      }
    e.f += d * std::log(s0);
    if (!derivatives) continue;
    const Eigen::VectorXd mean = s1 / s0;
    e.score += d * mean;
    Eigen::MatrixXd s2 = Eigen::MatrixXd::Zero(p, p);
    for (std::size_t j = 0; j < n; ++j) {
      const double w = risk_weight(r, j, at);
      if (w == 0) continue;
      const Eigen::VectorXd dx = r.x.row(static_cast<Eigen::Index>(j)).transpose() - mean;
      s2.noalias() += (w * std::exp(eta(static_cast<Eigen::Index>(j)))) * dx * dx.transpose();
    }
    e.hess += (d / s0) * s2;
    e.s0.push_back(s0);
    e.mean.push_back(mean);
  }
  return e;
}

// crr's sandwich middle: sum over rows of (eta_i + psi_i)(eta_i + psi_i)'.
Eigen::MatrixXd sandwich_middle(const Rows& r, const Eigen::VectorXd& b, const Evaluation& e) {
  const auto n = static_cast<std::size_t>(r.x.rows());
  const auto p = r.x.cols();
  const Eigen::VectorXd eta = r.x * b;
  const std::size_t nf = r.fail_start.size();
  Eigen::MatrixXd middle = Eigen::MatrixXd::Zero(p, p);
  Eigen::VectorXd psi_cum = Eigen::VectorXd::Zero(p), q = Eigen::VectorXd::Zero(p);
  // Sums over the competing failures before the current time of exp(eta) / G(T-), and times x.
  double a0 = 0;
  Eigen::VectorXd a1 = Eigen::VectorXd::Zero(p);
  for (std::size_t lc = 0; lc < n;) {
    std::size_t end = lc;
    int cens = 0;
    for (; end < n && r.t[end] == r.t[lc]; ++end) cens += r.code[end] == 0;
    const double at_risk = static_cast<double>(n - lc);
    if (cens > 0) {
      // q(u) = sum over failure times tau >= u of d G(tau-) (A1 - mean A0) / S0.
      q.setZero();
      for (std::size_t k = 0; k < nf; ++k) {
        if (r.t[r.fail_start[k]] < r.t[lc]) continue;
        q += (r.fail_count[k] * r.g[r.fail_start[k]] / e.s0[k]) * (a1 - e.mean[k] * a0);
      }
      psi_cum -= (static_cast<double>(cens) / (at_risk * at_risk)) * q;
    }
    for (std::size_t i = lc; i < end; ++i) {
      const Eigen::VectorXd xi = r.x.row(static_cast<Eigen::Index>(i)).transpose();
      const double ri = std::exp(eta(static_cast<Eigen::Index>(i)));
      Eigen::VectorXd u = Eigen::VectorXd::Zero(p);
      for (std::size_t k = 0; k < nf; ++k) {
        const std::size_t at = r.fail_start[k];
        double w;
        if (r.t[at] <= r.t[i]) w = ri;
        else if (r.code[i] == 2) w = ri * r.g[at] / r.g[i];
        else continue;
        u -= (r.fail_count[k] * w / e.s0[k]) * (xi - e.mean[k]);
      }
      if (r.code[i] == 1) {
        const auto k = static_cast<std::size_t>(
            std::upper_bound(r.fail_start.begin(), r.fail_start.end(), i) - r.fail_start.begin()) - 1;
        u += xi - e.mean[k];
      }
      u += psi_cum;
      if (r.code[i] == 0) u += q / at_risk;
      middle.noalias() += u * u.transpose();
    }
    for (std::size_t i = lc; i < end; ++i)
      if (r.code[i] == 2) {
        const double v = std::exp(eta(static_cast<Eigen::Index>(i))) / r.g[i];
        a0 += v;
        a1 += v * r.x.row(static_cast<Eigen::Index>(i)).transpose();
      }
    lc = end;
  }
  return middle;
}

}  // namespace

FineGrayFit fine_gray(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x, int cause,
                      const FineGrayOptions& options) {
  const std::size_t n = time.size();
  if (status.size() != n || static_cast<std::size_t>(x.rows()) != n)
    throw Error(ErrorCategory::internal, "fine_gray: columns differ in length");
  if (x.cols() < 1) throw Error(ErrorCategory::internal, "fine_gray: no covariates");
  for (std::size_t i = 0; i < n; ++i) {
    if (!(std::isfinite(time[i]) && time[i] >= 0)) fail_input("Fine-Gray model", "time", std::to_string(time[i]), "a time >= 0");
    if (status[i] < 0) fail_input("Fine-Gray model", "status", std::to_string(status[i]), "0 (censored) or a cause code >= 1");
  }
  const Rows r = prepare(time, status, x, cause);
  if (r.fail_start.empty())
    fail_input("Fine-Gray model", "cause", std::to_string(cause), "a cause with at least one failure");
  const auto p = static_cast<int>(x.cols());
  FineGrayFit fit;
  fit.p = p;
  fit.n = static_cast<std::int64_t>(n);
  for (int c : r.code) (c == 1 ? fit.n_cause : c == 2 ? fit.n_competing : fit.n_censored) += 1;

  // crr's Newton-Raphson with backtracking, step by step.
  Eigen::VectorXd b = Eigen::VectorXd::Zero(p);
  Evaluation e = evaluate(r, b, true);
  fit.loglik_null = -e.f;
  for (int ll = 0;; ++ll) {
    const double gmax = (e.score.cwiseAbs().cwiseProduct(b.cwiseAbs().cwiseMax(1.0))).maxCoeff();
    if (gmax < std::max(std::fabs(e.f), 1.0) * options.gtol) {
      fit.converged = true;
      break;
    }
    if (ll == options.max_iter) break;
    Eigen::VectorXd sc = -e.hess.partialPivLu().solve(e.score);
    Eigen::VectorXd bn = b + sc;
    double fbn = evaluate(r, bn, false).f;
    int halvings = 0;
    bool gave_up = false;
    while (std::isnan(fbn) || fbn > e.f + 1e-4 * sc.dot(e.score)) {
      ++halvings;
      sc *= 0.5;
      bn = b + sc;
      fbn = evaluate(r, bn, false).f;
      if (halvings > 20) {
        gave_up = true;
        break;
      }
    }
    if (gave_up) break;
    b = bn;
    e = evaluate(r, b, true);
    fit.iterations = ll + 1;
  }
  fit.loglik = -e.f;
  fit.coef = b;
  const Eigen::MatrixXd hinv = e.hess.inverse();
  fit.var = hinv * sandwich_middle(r, b, e) * hinv.transpose();
  const double z = two_sided_z(options.conf_level);
  fit.se = fit.var.diagonal().cwiseSqrt();
  fit.z = fit.coef.cwiseQuotient(fit.se);
  fit.p_value.resize(p);
  fit.shr.resize(p);
  fit.shr_lower.resize(p);
  fit.shr_upper.resize(p);
  for (int j = 0; j < p; ++j) {
    fit.p_value(j) = normal_two_sided_p(fit.z(j));
    fit.shr(j) = std::exp(fit.coef(j));
    fit.shr_lower(j) = std::exp(fit.coef(j) - z * fit.se(j));
    fit.shr_upper(j) = std::exp(fit.coef(j) + z * fit.se(j));
  }
  return fit;
}

}  // namespace sirtkit::stats
