#include "stats/cox/cox_exact.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/error.h"
#include "stats/numerics/cholesky2.h"
#include "stats/concordance/concordance.h"
#include "stats/concordance/concordance_variance.h"
#include "stats/survival/counting_intervals.h"
#include "stats/cox/cox_summary.h"
#include "stats/survival/time_fix.h"

namespace sirtkit::stats {

namespace {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The sums over all k-subsets of the rows added so far, k = 0..dmax, of
// prod r, (prod r) sum x and (prod r) (sum x)(sum x)' (coxd0, coxd1, coxd2 of
// coxexact.c). Adding a row m with risk r and covariates x, for k from dmax
// down to 1 (so that the right-hand sides are the values before m):
//   e0[k] += r e0[k-1]
//   e1[k] += r (e1[k-1] + x e0[k-1])
//   e2[k] += r (e2[k-1] + x e1[k-1]' + e1[k-1] x' + x x' e0[k-1])
struct SubsetSums {
  int dmax = 0, p = 0;
  std::vector<double> e0;            // dmax + 1
  std::vector<Eigen::VectorXd> e1;   // dmax + 1
  std::vector<Eigen::MatrixXd> e2;   // dmax + 1

  void reset(int d, int nvar) {
    dmax = d;
    p = nvar;
    e0.assign(static_cast<std::size_t>(d + 1), 0.0);
    e0[0] = 1;
    e1.assign(static_cast<std::size_t>(d + 1), Eigen::VectorXd::Zero(nvar));
    e2.assign(static_cast<std::size_t>(d + 1), Eigen::MatrixXd::Zero(nvar, nvar));
  }
  void add(double r, const Eigen::Ref<const Eigen::VectorXd>& x) {
    const Eigen::VectorXd rx = r * x;
    for (int k = dmax; k >= 1; --k) {
      const auto km = static_cast<std::size_t>(k - 1);
      const auto kk = static_cast<std::size_t>(k);
      e2[kk] += r * e2[km];
      e2[kk].noalias() += rx * e1[km].transpose();
      e2[kk].noalias() += e1[km] * rx.transpose();
      e2[kk].noalias() += (e0[km] * rx) * x.transpose();
      e1[kk] += r * e1[km] + e0[km] * rx;
      e0[kk] += r * e0[km];
    }
  }
};

struct ExactData {
  int n = 0, p = 0;
  bool counting = false;
  std::vector<double> start, stop;
  std::vector<int> status, stratum;
  RowMajorMatrix x;              // centred (and scaled), rows in processing order
  std::vector<std::size_t> row;  // input row of each sorted row
  std::vector<int> max_deaths;   // per row: the largest tie count in its stratum
};

// Adds, for one event time with d events, loglik += sum_D eta - log e0[d],
// u += sum_D x - e1[d]/e0[d], imat += e2[d]/e0[d] - (e1/e0)(e1/e0)'.
void add_event_time(const SubsetSums& s, int d, double& loglik, Eigen::VectorXd& u, Eigen::MatrixXd& imat) {
  const auto k = static_cast<std::size_t>(d);
  loglik -= std::log(s.e0[k]);
  const Eigen::VectorXd mean = s.e1[k] / s.e0[k];
  u -= mean;
  imat.noalias() += s.e2[k] / s.e0[k] - mean * mean.transpose();
}

double exact_iteration(const ExactData& d, const Eigen::VectorXd& beta, Eigen::VectorXd& u, Eigen::MatrixXd& imat) {
  const int n = d.n, p = d.p;
  u.setZero(p);
  imat.setZero(p, p);
  const Eigen::VectorXd eta = d.x * beta;
  double loglik = 0;
  SubsetSums sums;
  if (!d.counting) {
    // Rows by (stratum, time descending): each risk set is a prefix of its
    // stratum, so the subset sums grow row by row (coxexact.c reuses its
    // memo the same way).
    for (int i = 0; i < n;) {
      if (i == 0 || d.stratum[i] != d.stratum[i - 1]) sums.reset(d.max_deaths[i], p);
      const double t = d.stop[i];
      int deaths = 0;
      int j = i;
      for (; j < n && d.stop[j] == t && d.stratum[j] == d.stratum[i]; ++j) {
        sums.add(std::exp(eta(j)), d.x.row(j).transpose());
        if (d.status[j]) {
          ++deaths;
          loglik += eta(j);
          u += d.x.row(j).transpose();
        }
      }
      if (deaths > 0) add_event_time(sums, deaths, loglik, u, imat);
      i = j;
    }
  } else {
    // (start, stop]: rows by (stratum, stop ascending); the risk set of each
    // event time {start < t <= stop} is gathered and summed afresh (agexact.c).
    for (int i = 0; i < n;) {
      const double t = d.stop[i];
      int j = i, deaths = 0;
      while (j < n && d.stop[j] == t && d.stratum[j] == d.stratum[i]) deaths += d.status[j++];
      if (deaths > 0) {
        sums.reset(deaths, p);
        for (int k = i; k < n && d.stratum[k] == d.stratum[i]; ++k)
          if (d.start[k] < t) sums.add(std::exp(eta(k)), d.x.row(k).transpose());
        for (int k = i; k < j; ++k)
          if (d.status[k]) {
            loglik += eta(k);
            u += d.x.row(k).transpose();
          }
        add_event_time(sums, deaths, loglik, u, imat);
      }
      i = j;
    }
  }
  return loglik;
}

// Sort: coxexact.fit order(strata, -time); agexact.fit order(strata, stop, -event).
// Sets everything but x.
ExactData sorted_exact_data(const std::vector<double>& start, const std::vector<double>& stop,
                            std::span<const int> status, std::span<const int> strata, bool counting, int p) {
  const std::size_t n = stop.size();
  auto stratum_of = [&](std::size_t i) { return strata.empty() ? 0 : strata[i]; };
  ExactData d;
  d.n = static_cast<int>(n);
  d.p = p;
  d.counting = counting;
  d.row.resize(n);
  std::iota(d.row.begin(), d.row.end(), std::size_t{0});
  std::stable_sort(d.row.begin(), d.row.end(), [&](std::size_t a, std::size_t b) {
    if (stratum_of(a) != stratum_of(b)) return stratum_of(a) < stratum_of(b);
    if (stop[a] != stop[b]) return counting ? stop[a] < stop[b] : stop[a] > stop[b];
    return counting && (status[a] != 0) > (status[b] != 0);
  });
  d.start.resize(n);
  d.stop.resize(n);
  d.status.resize(n);
  d.stratum.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = d.row[k];
    d.start[k] = start[i];
    d.stop[k] = stop[i];
    d.status[k] = status[i] != 0;
    d.stratum[k] = stratum_of(i);
  }
  // Largest number of tied events in each stratum (the depth of the recursion).
  d.max_deaths.assign(n, 0);
  for (std::size_t i = 0; i < n;) {
    std::size_t e = i;
    int most = 0;
    while (e < n && d.stratum[e] == d.stratum[i]) {
      std::size_t j = e;
      int ties = 0;
      while (j < n && d.stratum[j] == d.stratum[e] && d.stop[j] == d.stop[e]) ties += d.status[j++];
      most = std::max(most, ties);
      e = j;
    }
    std::fill(d.max_deaths.begin() + static_cast<std::ptrdiff_t>(i), d.max_deaths.begin() + static_cast<std::ptrdiff_t>(e), most);
    i = e;
  }
  return d;
}

// Copies x in d's row order, centred; right-censored data are also scaled by
// the SD (coxexact.fit's scale()); columns all in {-1, 0, 1} are left alone
// (nocenter). Returns the scale per column.
Eigen::VectorXd centre_exact_covariates(const Eigen::MatrixXd& x, ExactData& d) {
  const auto n = static_cast<std::size_t>(d.n);
  const int p = d.p;
  Eigen::VectorXd scale = Eigen::VectorXd::Ones(p);
  d.x.resize(static_cast<Eigen::Index>(n), p);
  for (int j = 0; j < p; ++j) {
    for (std::size_t k = 0; k < n; ++k) d.x(k, j) = x(d.row[k], j);
    bool zero_one = true;
    for (std::size_t k = 0; k < n && zero_one; ++k) zero_one = d.x(k, j) == 0 || d.x(k, j) == 1 || d.x(k, j) == -1;
    if (zero_one) continue;
    const double mean = d.x.col(j).mean();
    d.x.col(j).array() -= mean;
    if (!d.counting && n > 1) {
      const double sd = std::sqrt(d.x.col(j).squaredNorm() / static_cast<double>(n - 1));
      if (sd > 0) {
        scale(j) = 1.0 / sd;
        d.x.col(j) *= scale(j);
      }
    }
  }
  return scale;
}

// Newton-Raphson as coxexact.c / agexact.c: sets f's loglik_init, score_test,
// iterations, converged, loglik and step_halving_at_end; leaves the last beta
// tried (coxexact.c returns it, converged or not), its score, information and
// the information's Cholesky factor.
void exact_newton(const ExactData& d, const CoxOptions& options, CoxFit& f, Eigen::VectorXd& beta,
                  Eigen::VectorXd& u, Eigen::MatrixXd& imat, Eigen::MatrixXd& chol) {
  const int p = d.p;
  Eigen::VectorXd newbeta(p), step(p);
  beta = Eigen::VectorXd::Zero(p);
  u.resize(p);
  imat.resize(p, p);
  chol.resize(p, p);
  f.loglik_init = exact_iteration(d, beta, u, imat);
  if (!std::isfinite(f.loglik_init))
    fail_input("Cox model", "ties", "exact",
               "fewer tied events per time: the exact partial likelihood overflows (use efron)");
  chol = imat;
  cholesky2(chol, options.toler_chol);
  step = u;
  chsolve2(chol, step);
  f.score_test = u.dot(step);
  newbeta = options.iter_max > 0 ? Eigen::VectorXd(beta + step) : beta;  // iter.max = 0: the fit at 0
  double best = f.loglik_init, newlk = best;
  int halving = 0, iter = 1;
  bool converged = false;
  for (; iter <= options.iter_max; ++iter) {
    newlk = exact_iteration(d, newbeta, u, imat);
    chol = imat;
    cholesky2(chol, options.toler_chol);
    if (std::fabs(1 - best / newlk) <= options.eps && halving == 0) {
      converged = true;
      break;
    }
    if (iter == options.iter_max) break;
    if (!(newlk >= best)) {  // worse (or not finite): halve the step
      halving = 1;
      newbeta = (newbeta + beta) / 2;
    } else {
      halving = 0;
      best = newlk;
      step = u;
      chsolve2(chol, step);
      beta = newbeta;
      newbeta += step;
    }
  }
  beta = newbeta;
  f.iterations = std::min(iter, std::max(options.iter_max, 0));
  f.converged = converged || options.iter_max <= 0;
  f.loglik = newlk;
  f.step_halving_at_end = halving > 0;
}

void set_exact_concordance(CoxFit& f, const std::vector<double>& start, const std::vector<double>& stop,
                           std::span<const int> status, const Eigen::MatrixXd& x, std::span<const int> strata,
                           std::span<const int> cluster, bool counting) {
  const Eigen::VectorXd lp = x * with_aliased_as_zero(f.coef, f.aliased);
  const std::span<const double> lps(lp.data(), stop.size());
  std::vector<int> st(status.begin(), status.end());
  if (counting) {
    const auto c = concordance_counting_with_std_err(start, stop, st, lps, strata, cluster);
    set_concordance(f, c.counts);
    f.concordance_std_err = c.std_err;
  } else {
    set_concordance(f, concordance(stop, st, lps, strata));
  }
}

}  // namespace

CoxFit cox_fit_exact(std::span<const double> start_in, std::span<const double> stop_in, std::span<const int> status,
                     const Eigen::MatrixXd& x, const CoxOptions& options, std::span<const int> strata,
                     std::span<const int> cluster) {
  const std::size_t n = stop_in.size();
  const int p = static_cast<int>(x.cols());
  const bool counting = !start_in.empty();
  if ((counting && start_in.size() != n) || status.size() != n || static_cast<std::size_t>(x.rows()) != n ||
      (!strata.empty() && strata.size() != n) || (!cluster.empty() && cluster.size() != n))
    throw Error(ErrorCategory::internal, "cox_fit_exact: input columns differ in length");
  if (p < 1) throw Error(ErrorCategory::internal, "cox_fit_exact: no covariates");
  if (n < 2) fail_input("Cox model", "rows", std::to_string(n), "at least 2 observations");
  if (options.robust || !cluster.empty())
    fail_input("Cox model", "ties", "exact",
               "efron or breslow ties for robust (sandwich) variance: R's coxph stops with \"dfbeta residuals are "
               "not available for the exact method\"");
  std::vector<double> start(counting ? start_in.begin() : stop_in.begin(), counting ? start_in.end() : stop_in.end());
  std::vector<double> stop(stop_in.begin(), stop_in.end());
  if (counting) require_nonempty_intervals("Cox model", start, stop);
  // Near-ties (aeqSurv), as coxph applies before either fitter.
  if (options.timefix) {
    if (counting) {
      if (merge_near_tie_intervals(start, stop))
        require_intervals_survive_timefix("Cox model", start, stop, start_in, stop_in);
    } else if (const auto fixed = aeq_times(stop); !fixed.empty()) {
      std::copy(fixed.begin(), fixed.end(), stop.begin());
    }
  }
  const std::int64_t nevent = count_events_or_fail(status);
  ExactData d = sorted_exact_data(start, stop, status, strata, counting, p);
  const Eigen::VectorXd scale = centre_exact_covariates(x, d);

  CoxFit f;
  f.p = p;
  f.n = static_cast<std::int64_t>(n);
  f.nevent = nevent;
  Eigen::VectorXd beta, u;
  Eigen::MatrixXd imat, chol;
  exact_newton(d, options, f, beta, u, imat, chol);
  const Eigen::MatrixXd var_scaled = set_unscaled_estimates(f, beta, imat, chol, scale);
  // coxexact.fit: |U var| > eps and > toler.inf |b|, in its scaled coordinates.
  const Eigen::VectorXd infs = (u.transpose() * var_scaled).transpose().cwiseAbs();
  f.maybe_infinite.assign(p, false);
  if (f.converged && options.iter_max > 1)
    for (int j = 0; j < p; ++j)
      f.maybe_infinite[j] = infs(j) > options.eps && infs(j) > options.toler_inf * std::fabs(beta(j));
  summarise_cox_fit(f, options);
  if (options.concordance) set_exact_concordance(f, start, stop, status, x, strata, cluster, counting);
  return f;
}

}  // namespace sirtkit::stats
