#include "stats/cox/cox_counting_process.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_map>

#include "core/error.h"
#include "stats/numerics/cholesky2.h"
#include "stats/concordance/concordance_variance.h"
#include "stats/cox/cox_exact.h"
#include "stats/cox/cox_score_residuals.h"
#include "stats/cox/cox_summary.h"
#include "stats/survival/counting_intervals.h"

namespace sirtkit::stats {

namespace {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The rows that enter the sums (agreg.fit: those whose interval holds an event
// time of their stratum), covariates centred and scaled, with the two sort
// orders of agfit4.c: by (stratum, stop descending) and (stratum, start
// descending).
struct AgData {
  int n = 0, p = 0;
  std::vector<double> start, stop;
  std::vector<int> status, stratum;
  std::vector<std::size_t> row;  // the input row of each used row
  RowMajorMatrix x;
  std::vector<int> by_stop, by_start;
};

// agfit4.c's walk over the event times, shared by the fit and the score
// residuals: from `person` down the (stratum, stop descending) order to the
// next event row, whose stop is dtime. At a new stratum both cursors move to
// its first row and the running sums start empty (reset). Returns false when
// no event time is left.
template <class Reset>
bool next_event_time(const AgData& d, int& person, int& indx1, int& istrat, double& dtime, Reset&& reset) {
  for (int k = person; k < d.n; ++k) {
    const int r = d.by_stop[static_cast<std::size_t>(k)];
    if (d.stratum[r] != istrat) {
      istrat = d.stratum[r];
      reset();
      person = k;
      indx1 = k;
    }
    if (d.status[r]) {
      dtime = d.stop[r];
      return true;
    }
  }
  return false;
}

// The rows no longer at risk at dtime (start >= dtime, walking the (stratum,
// start descending) order) leave before the new ones join: remove(r) takes
// each out of the running sums, except that when the last one leaves the sums
// are reset to exact zeros rather than rounding residue.
template <class Reset, class Remove>
void leave_risk_set(const AgData& d, double dtime, int istrat, int& indx1, int& nrisk, Reset&& reset,
                    Remove&& remove) {
  for (; indx1 < d.n; ++indx1) {
    const int r = d.by_start[static_cast<std::size_t>(indx1)];
    if (d.start[r] < dtime || d.stratum[r] != istrat) break;
    if (--nrisk == 0)
      reset();
    else
      remove(r);
  }
}

// Log-likelihood, score and information at beta (agfit4.c, one pass of the
// Newton-Raphson loop). Running sums over the risk set: denom = sum r,
// a = sum r x, cmat = sum r x x' (lower triangle), updated at each event time:
// first the rows whose start is >= t leave, then the rows with stop >= t join.
// r = exp(eta - recenter); log(sum exp(eta)) = recenter + log(denom).
double ag_iteration(const AgData& d, bool efron, const Eigen::VectorXd& beta, Eigen::VectorXd& u,
                    Eigen::MatrixXd& imat, std::vector<double>& eta) {
  const int n = d.n, p = d.p;
  u.setZero(p);
  imat.setZero(p, p);
  eta.resize(static_cast<std::size_t>(n));
  Eigen::Map<Eigen::VectorXd>(eta.data(), n).noalias() = d.x * beta;
  Eigen::VectorXd a = Eigen::VectorXd::Zero(p), a2(p), mean(p);
  Eigen::MatrixXd cmat = Eigen::MatrixXd::Zero(p, p), cmat2(p, p);
  double loglik = 0, denom = 0, recenter = 0, etasum = 0;
  int nrisk = 0;
  auto reset = [&] {
    denom = 0;
    etasum = 0;
    nrisk = 0;
    a.setZero();
    cmat.setZero();
  };
  auto rank1 = [&](Eigen::MatrixXd& m, double w, int r) {
    const auto xr = d.x.row(r);
    for (int j = 0; j < p; ++j) {
      const double wx = w * xr(j);
      for (int i = j; i < p; ++i) m(i, j) += wx * xr(i);
    }
  };
  int person = 0, indx1 = 0;
  int istrat = d.stratum[static_cast<std::size_t>(d.by_stop[0])];
  while (person < n) {
    double dtime = 0;
    if (!next_event_time(d, person, indx1, istrat, dtime, reset)) break;
    leave_risk_set(d, dtime, istrat, indx1, nrisk, reset, [&](int r) {
      etasum -= eta[r];
      const double risk = std::exp(eta[r] - recenter);
      denom -= risk;
      a -= risk * d.x.row(r).transpose();
      rank1(cmat, -risk, r);
    });
    double denom2 = 0;
    int deaths = 0;
    a2.setZero();
    cmat2.setZero();
    for (; person < n; ++person) {
      const int r = d.by_stop[static_cast<std::size_t>(person)];
      if (d.stratum[r] != istrat || d.stop[r] < dtime) break;
      ++nrisk;
      etasum += eta[r];
      // Keep exp() finite: recentre when the mean eta of the risk set drifts
      // by more than 200 (agfit4.c). The death sums of this time are rescaled
      // too, so that their terms stay on one scale.
      if (std::fabs(etasum / nrisk - recenter) > 200) {
        const double shift = etasum / nrisk - recenter;
        recenter = etasum / nrisk;
        const double f = std::exp(-shift);
        denom *= f;
        a *= f;
        cmat *= f;
        denom2 *= f;
        a2 *= f;
        cmat2 *= f;
      }
      const double risk = std::exp(eta[r] - recenter);
      if (d.status[r]) {
        ++deaths;
        denom2 += risk;
        loglik += eta[r];
        u += d.x.row(r).transpose();
        a2 += risk * d.x.row(r).transpose();
        rank1(cmat2, risk, r);
      } else {
        denom += risk;
        a += risk * d.x.row(r).transpose();
        rank1(cmat, risk, r);
      }
    }
    // Breslow: one term with all d deaths; Efron: d terms, the tied deaths
    // entering 1/d at a time (unit case weights, so meanwt = 1).
    const bool breslow = !efron || deaths == 1;
    const int terms = breslow ? 1 : deaths;
    const double wt = breslow ? static_cast<double>(deaths) : 1.0;
    for (int t = 0; t < terms; ++t) {
      denom += denom2 / terms;
      a += a2 / terms;
      cmat += cmat2 / terms;
      loglik -= wt * (std::log(denom) + recenter);
      mean = a / denom;
      u -= wt * mean;
      for (int j = 0; j < p; ++j)
        for (int i = j; i < p; ++i) imat(i, j) += wt * (cmat(i, j) / denom - mean(i) * mean(j));
    }
  }
  imat.triangularView<Eigen::StrictlyUpper>() = imat.transpose();
  return loglik;
}

// Score residuals (residuals.coxph type "score" for counting data) at beta,
// collapsed by cluster: returns D'D before the var sandwich, D = rows (or
// cluster sums) of the residuals
//   L_i = status_i (x_i - xbar_dead(t_i)) - r_i sum_{t in (start_i, stop_i]} (x_i dH0(t) - dH1(t)),
// where at a tied event time the Efron increments of the dying rows carry the
// (1 - k/d) weights, as for right-censored data (coxscore2.c).
Eigen::MatrixXd ag_score_crossprod(const AgData& d, bool efron, const Eigen::VectorXd& beta,
                                   std::span<const int> cluster) {
  const int n = d.n, p = d.p;
  const Eigen::VectorXd eta = d.x * beta;
  // Event times per stratum, ascending; their risk-set sums from a walk as in
  // ag_iteration (no recentring needed: eta is centred and at the fitted beta).
  struct EventTime {
    int stratum;
    double time;
    EventHazard h;
  };
  std::vector<EventTime> times;
  {
    double s0 = 0;
    Eigen::VectorXd s1 = Eigen::VectorXd::Zero(p), d1(p);
    int nrisk = 0;
    int person = 0, indx1 = 0;
    int istrat = d.stratum[static_cast<std::size_t>(d.by_stop[0])];
    auto reset = [&] {
      s0 = 0;
      s1.setZero();
      nrisk = 0;
    };
    while (person < n) {
      double dtime = 0;
      if (!next_event_time(d, person, indx1, istrat, dtime, reset)) break;
      leave_risk_set(d, dtime, istrat, indx1, nrisk, reset, [&](int r) {
        const double risk = std::exp(eta(r));
        s0 -= risk;
        s1 -= risk * d.x.row(r).transpose();
      });
      double d0 = 0;
      int deaths = 0;
      d1.setZero();
      for (; person < n; ++person) {
        const int r = d.by_stop[static_cast<std::size_t>(person)];
        if (d.stratum[r] != istrat || d.stop[r] < dtime) break;
        ++nrisk;
        const double risk = std::exp(eta(r));
        s0 += risk;
        s1 += risk * d.x.row(r).transpose();
        if (d.status[r]) {
          ++deaths;
          d0 += risk;
          d1 += risk * d.x.row(r).transpose();
        }
      }
      EventTime et{istrat, dtime, event_hazard(efron, deaths, s0, s1, d0, d1)};
      times.push_back(std::move(et));
    }
  }
  std::sort(times.begin(), times.end(), [](const EventTime& a, const EventTime& b) {
    return a.stratum != b.stratum ? a.stratum < b.stratum : a.time < b.time;
  });
  // Prefix sums of the full increments: cum[k] = sum over times[0..k).
  const std::size_t nt = times.size();
  std::vector<double> cum0(nt + 1, 0);
  Eigen::MatrixXd cum1 = Eigen::MatrixXd::Zero(p, static_cast<Eigen::Index>(nt + 1));
  for (std::size_t k = 0; k < nt; ++k) {
    cum0[k + 1] = cum0[k] + times[k].h.h0_full;
    cum1.col(static_cast<Eigen::Index>(k + 1)) = cum1.col(static_cast<Eigen::Index>(k)) + times[k].h.h1_full;
  }
  auto first_not_before = [&](int s, double t, bool strictly_after) {
    return static_cast<std::size_t>(
        std::partition_point(times.begin(), times.end(),
                             [&](const EventTime& e) {
                               return e.stratum < s || (e.stratum == s && (strictly_after ? e.time <= t : e.time < t));
                             }) -
        times.begin());
  };
  ResidualCrossprod cross(p, cluster);
  Eigen::VectorXd resid(p);
  for (int i = 0; i < n; ++i) {
    const int s = d.stratum[i];
    const std::size_t lo = first_not_before(s, d.start[i], true);  // first event time > start
    const std::size_t hi = first_not_before(s, d.stop[i], false);  // first event time >= stop
    double h0 = cum0[hi] - cum0[lo];
    Eigen::VectorXd h1 = cum1.col(static_cast<Eigen::Index>(hi)) - cum1.col(static_cast<Eigen::Index>(lo));
    const bool at_event_time = hi < nt && times[hi].stratum == s && times[hi].time == d.stop[i];
    if (at_event_time) {
      h0 += d.status[i] ? times[hi].h.h0_dead : times[hi].h.h0_full;
      h1 += d.status[i] ? times[hi].h.h1_dead : times[hi].h.h1_full;
    }
    const auto xi = d.x.row(i).transpose();
    resid = -std::exp(eta(i)) * (xi * h0 - h1);
    if (d.status[i]) resid += xi - times[hi].h.xbar_dead;
    cross.add(resid, static_cast<std::size_t>(d.row[static_cast<std::size_t>(i)]));
  }
  return cross.result();
}

// The rows whose (start, stop] holds an event time of their stratum (the
// others never enter a risk set; agreg.fit: indx1 == indx2), copied into d
// with their covariates not yet centred.
void select_used_rows(const std::vector<double>& start, const std::vector<double>& stop, std::span<const int> status,
                      const Eigen::MatrixXd& x, std::span<const int> strata, AgData& d) {
  const std::size_t n = stop.size();
  auto stratum_of = [&](std::size_t i) { return strata.empty() ? 0 : strata[i]; };
  std::vector<std::pair<int, double>> event_times;
  for (std::size_t i = 0; i < n; ++i)
    if (status[i]) event_times.emplace_back(stratum_of(i), stop[i]);
  std::sort(event_times.begin(), event_times.end());
  event_times.erase(std::unique(event_times.begin(), event_times.end()), event_times.end());
  d.p = static_cast<int>(x.cols());
  for (std::size_t i = 0; i < n; ++i) {
    const auto it = std::upper_bound(event_times.begin(), event_times.end(), std::make_pair(stratum_of(i), start[i]));
    if (it != event_times.end() && it->first == stratum_of(i) && it->second <= stop[i]) d.row.push_back(i);
  }
  d.n = static_cast<int>(d.row.size());
  const auto nu = d.row.size();
  d.start.resize(nu);
  d.stop.resize(nu);
  d.status.resize(nu);
  d.stratum.resize(nu);
  d.x.resize(static_cast<Eigen::Index>(nu), d.p);
  for (std::size_t k = 0; k < nu; ++k) {
    const std::size_t i = d.row[k];
    d.start[k] = start[i];
    d.stop[k] = stop[i];
    d.status[k] = status[i] != 0;
    d.stratum[k] = stratum_of(i);
  }
}

// Centre (per stratum, as agfit4.c) and scale by n / sum|x - mean| over the
// used rows; columns all in {-1, 0, 1} over all rows are left alone
// (nocenter). Returns the scale per column.
Eigen::VectorXd centre_and_scale_used_rows(const Eigen::MatrixXd& x, AgData& d) {
  const auto n = static_cast<std::size_t>(x.rows());
  const auto nu = d.row.size();
  const int p = d.p;
  Eigen::VectorXd scale = Eigen::VectorXd::Ones(p);
  for (int j = 0; j < p; ++j) {
    bool zero_one = true;
    for (std::size_t i = 0; i < n && zero_one; ++i) zero_one = x(i, j) == 0 || x(i, j) == 1 || x(i, j) == -1;
    for (std::size_t k = 0; k < nu; ++k) d.x(k, j) = x(d.row[k], j);
    if (zero_one) continue;
    std::unordered_map<int, std::pair<double, double>> sums;  // stratum -> (sum, count)
    for (std::size_t k = 0; k < nu; ++k) {
      auto& s = sums[d.stratum[k]];
      s.first += d.x(k, j);
      s.second += 1;
    }
    double sabs = 0;
    for (std::size_t k = 0; k < nu; ++k) {
      const auto& s = sums[d.stratum[k]];
      d.x(k, j) -= s.first / s.second;
      sabs += std::fabs(d.x(k, j));
    }
    scale(j) = sabs > 0 ? static_cast<double>(nu) / sabs : 1.0;
    d.x.col(j) *= scale(j);
  }
  return scale;
}

// agfit4.c's two orders: (stratum, stop descending) and (stratum, start descending).
void sort_used_rows(AgData& d) {
  const auto nu = d.row.size();
  d.by_stop.resize(nu);
  std::iota(d.by_stop.begin(), d.by_stop.end(), 0);
  d.by_start = d.by_stop;
  std::stable_sort(d.by_stop.begin(), d.by_stop.end(), [&](int a, int b) {
    return d.stratum[a] != d.stratum[b] ? d.stratum[a] < d.stratum[b] : d.stop[a] > d.stop[b];
  });
  std::stable_sort(d.by_start.begin(), d.by_start.end(), [&](int a, int b) {
    return d.stratum[a] != d.stratum[b] ? d.stratum[a] < d.stratum[b] : d.start[a] > d.start[b];
  });
}

// Newton-Raphson, as agfit4.c: sets f's loglik_init, score_test, iterations,
// converged, loglik and step_halving_at_end; leaves the reported beta, its
// score, information and the information's Cholesky factor, and the score at
// beta = 0 (for the robust score test).
void ag_newton(const AgData& d, bool efron, const CoxOptions& options, CoxFit& f, Eigen::VectorXd& beta,
               Eigen::VectorXd& u, Eigen::MatrixXd& imat, Eigen::MatrixXd& chol, Eigen::VectorXd& u_init) {
  const int p = d.p;
  beta = Eigen::VectorXd::Zero(p);
  Eigen::VectorXd oldbeta = beta, step(p);
  u.resize(p);
  imat.resize(p, p);
  chol.resize(p, p);
  std::vector<double> eta;
  f.loglik_init = ag_iteration(d, efron, beta, u, imat, eta);
  chol = imat;
  const int rank = cholesky2(chol, options.toler_chol);
  step = u;
  chsolve2(chol, step);
  f.score_test = u.dot(step);
  u_init = u;
  if (!std::isfinite(f.loglik_init)) fail_input("Cox model", "covariates", "log-likelihood at 0 is not finite", "finite covariates");
  double best = f.loglik_init, newlk = f.loglik_init;
  if (options.iter_max > 0) beta = oldbeta + step;  // iter.max = 0: the fit at beta = 0
  int halving = 0, iter = 1;
  bool converged = false;
  for (; iter <= options.iter_max; ++iter) {
    newlk = ag_iteration(d, efron, beta, u, imat, eta);
    int fail = 0;
    for (int j = 0; j < p; ++j) fail += !std::isfinite(imat(j, j));
    chol = imat;
    const int rank2 = cholesky2(chol, options.toler_chol);
    fail += !std::isfinite(newlk) + std::abs(rank - rank2);
    if (fail == 0 && halving == 0 && std::fabs(1 - best / newlk) <= options.eps) {
      converged = true;
      break;
    }
    if (iter == options.iter_max) {
      // Out of iterations; if the last try was worse than the best by more
      // than rounding, report the last good beta (agfit4.c).
      if (options.iter_max > 1 && (newlk - best) / std::fabs(best) < -options.eps) {
        beta = oldbeta;
        newlk = ag_iteration(d, efron, beta, u, imat, eta);
        chol = imat;
        cholesky2(chol, options.toler_chol);
      }
      break;
    }
    if (fail > 0 || newlk < best) {
      ++halving;
      beta = (oldbeta * halving + beta) / (halving + 1.0);
    } else {
      halving = 0;
      best = newlk;
      step = u;
      chsolve2(chol, step);
      oldbeta = beta;
      beta += step;
    }
  }
  f.iterations = std::min(iter, std::max(options.iter_max, 0));
  f.converged = converged || options.iter_max <= 0;
  f.loglik = newlk;
  f.step_halving_at_end = halving > 0;
}

// The sandwich variance from the score residuals (clustered when a cluster is
// given) and the robust score test.
void set_counting_robust_variance(CoxFit& f, const AgData& d, bool efron, const Eigen::VectorXd& beta,
                                  const Eigen::MatrixXd& var_scaled, const Eigen::VectorXd& scale,
                                  std::span<const int> cluster, const Eigen::VectorXd& u_init,
                                  const CoxOptions& options) {
  const int p = d.p;
  const Eigen::VectorXd beta_fit = with_aliased_as_zero(beta, f.aliased);
  const Eigen::MatrixXd rv = var_scaled * ag_score_crossprod(d, efron, beta_fit, cluster) * var_scaled;
  f.robust_var = scale.asDiagonal() * rv * scale.asDiagonal();
  f.robust_se.resize(p);
  for (int j = 0; j < p; ++j) f.robust_se(j) = f.aliased[j] ? std::nan("") : std::sqrt(f.robust_var(j, j));
  use_robust_variance(f, options);
  set_robust_score_test(f, ag_score_crossprod(d, efron, Eigen::VectorXd::Zero(p), cluster), u_init, options);
}

}  // namespace

CoxFit cox_fit_counting(std::span<const double> start_in, std::span<const double> stop_in, std::span<const int> status,
                        const Eigen::MatrixXd& x, const CoxOptions& options, std::span<const int> strata,
                        std::span<const int> cluster) {
  const std::size_t n = stop_in.size();
  const int p = static_cast<int>(x.cols());
  if (start_in.size() != n || status.size() != n || static_cast<std::size_t>(x.rows()) != n ||
      (!strata.empty() && strata.size() != n) || (!cluster.empty() && cluster.size() != n))
    throw Error(ErrorCategory::internal, "cox_fit_counting: input columns differ in length");
  if (p < 1) throw Error(ErrorCategory::internal, "cox_fit_counting: no covariates");
  if (n < 2) fail_input("Cox model", "rows", std::to_string(n), "at least 2 observations");
  require_nonempty_intervals("Cox model", start_in, stop_in);
  if (options.ties == Ties::exact) return cox_fit_exact(start_in, stop_in, status, x, options, strata, cluster);
  // R: coxph(Surv(start, stop, event) ~ x, robust = TRUE) without cluster or id
  // stops ("one of cluster or id is needed").
  if (options.robust && cluster.empty())
    fail_input("Cox model", "cluster", "(none)",
               "a cluster (subject id) column for robust variance of (start, stop] data, as R's coxph requires");

  // Near-ties of start and stop times together (aeqSurv on a counting Surv).
  std::vector<double> start(start_in.begin(), start_in.end()), stop(stop_in.begin(), stop_in.end());
  if (options.timefix && merge_near_tie_intervals(start, stop))
    require_intervals_survive_timefix("Cox model", start, stop, start_in, stop_in);
  const std::int64_t nevent = count_events_or_fail(status);
  AgData d;
  select_used_rows(start, stop, status, x, strata, d);
  const Eigen::VectorXd scale = centre_and_scale_used_rows(x, d);
  sort_used_rows(d);

  const bool efron = options.ties == Ties::efron;
  CoxFit f;
  f.p = p;
  f.n = static_cast<std::int64_t>(n);
  f.nevent = nevent;
  Eigen::VectorXd beta, u, u_init;
  Eigen::MatrixXd imat, chol;
  ag_newton(d, efron, options, f, beta, u, imat, chol, u_init);
  const Eigen::MatrixXd var_scaled = set_unscaled_estimates(f, beta, imat, chol, scale);
  // agreg.fit: a score that is not finite, or |U var| > toler.inf (1 + |b|).
  const Eigen::VectorXd u_orig = u.cwiseQuotient(scale);
  const Eigen::VectorXd infs = (u_orig.transpose() * f.var).transpose().cwiseAbs();
  f.maybe_infinite.assign(p, false);
  if (f.converged && options.iter_max > 1)
    for (int j = 0; j < p; ++j)
      f.maybe_infinite[j] = !std::isfinite(u_orig(j)) || infs(j) > options.toler_inf * (1 + std::fabs(f.coef(j)));
  summarise_cox_fit(f, options);
  if (options.robust || !cluster.empty())
    set_counting_robust_variance(f, d, efron, beta, var_scaled, scale, cluster, u_init, options);
  if (options.concordance) {
    const Eigen::VectorXd lp = x * with_aliased_as_zero(f.coef, f.aliased);
    std::vector<int> st(status.begin(), status.end());
    const auto c = concordance_counting_with_std_err(start, stop, st, std::span<const double>(lp.data(), n), strata, cluster);
    set_concordance(f, c.counts);
    f.concordance_std_err = c.std_err;
  }
  return f;
}

}  // namespace sirtkit::stats
