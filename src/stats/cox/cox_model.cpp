#include "stats/cox/cox_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

#include "core/error.h"
#include "stats/numerics/cholesky2.h"
#include "stats/cox/cox_exact.h"
#include "stats/cox/cox_iteration.h"
#include "stats/cox/cox_score_residuals.h"
#include "stats/cox/cox_sorted_data.h"
#include "stats/cox/cox_summary.h"
#include "stats/numerics/distributions.h"

namespace sirtkit::stats {

namespace {

// Score residuals (Therneau & Grambsch 2000 §4.6; survival coxscore2.c) at the
// fitted beta, in the scaled coordinates of `d`; accumulates sum_i L_i L_i'
// (or per-cluster sums) for the sandwich variance. With case weights c the
// risk sets sum c exp(eta) and each residual is multiplied by its c, as coxph
// builds its robust variance (residuals(..., weighted = TRUE)).
Eigen::MatrixXd score_residual_crossprod(const SortedData& d, Ties ties, const Eigen::VectorXd& beta,
                                         std::span<const int> cluster) {
  const int p = d.p;
  const int n = d.n;
  std::vector<double> risk(n);
  for (int i = 0; i < n; ++i) {
    const double* xi = &d.x[static_cast<std::size_t>(i) * p];
    double z = 0;
    for (int j = 0; j < p; ++j) z += beta(j) * xi[j];
    risk[i] = std::exp(z);
  }
  // Backward pass: per distinct time with deaths, the hazard pieces.
  std::vector<int> death_index(n, -1);  // for each row, index of its time's death record (if any)
  std::vector<EventHazard> deaths;
  {
    Eigen::VectorXd s1 = Eigen::VectorXd::Zero(p), d1(p);
    double s0 = 0;
    for (int person = n - 1; person >= 0;) {
      if (d.stratum_end[person]) { s0 = 0; s1.setZero(); }
      const double dtime = d.time[person];
      int ndead = 0;
      double d0 = 0, deadwt = 0;
      d1.setZero();
      const int last = person;
      while (person >= 0 && d.time[person] == dtime) {
        const double* xi = &d.x[static_cast<std::size_t>(person) * p];
        const double r = case_weight(d, static_cast<std::size_t>(person)) * risk[person];
        s0 += r;
        for (int j = 0; j < p; ++j) s1(j) += r * xi[j];
        if (d.status[person]) {
          ++ndead;
          deadwt += case_weight(d, static_cast<std::size_t>(person));
          d0 += r;
          for (int j = 0; j < p; ++j) d1(j) += r * xi[j];
        }
        --person;
        if (person >= 0 && d.stratum_end[person]) break;
      }
      if (ndead == 0) continue;
      deaths.push_back(event_hazard(ties == Ties::efron, ndead, s0, s1, d0, d1, deadwt));
      for (int i = person + 1; i <= last; ++i) death_index[i] = static_cast<int>(deaths.size()) - 1;
    }
  }
  // Forward pass: cumulative hazard pieces before each time, within strata.
  ResidualCrossprod cross(p, cluster);
  double cum0 = 0;
  Eigen::VectorXd cum1 = Eigen::VectorXd::Zero(p), resid(p);
  bool new_stratum = true;
  for (int i = 0; i < n;) {
    if (new_stratum) { cum0 = 0; cum1.setZero(); new_stratum = false; }
    int j = i;
    while (j < n && d.time[j] == d.time[i]) {
      ++j;
      if (d.stratum_end[j - 1]) break;
    }
    const int di = death_index[i];
    for (int k = i; k < j; ++k) {
      const double* xk = &d.x[static_cast<std::size_t>(k) * p];
      double h0 = cum0;
      Eigen::VectorXd h1 = cum1;
      if (di >= 0) {
        const EventHazard& dt = deaths[di];
        h0 += d.status[k] ? dt.h0_dead : dt.h0_full;
        h1 += d.status[k] ? dt.h1_dead : dt.h1_full;
      }
      for (int c = 0; c < p; ++c) {
        resid(c) = -risk[k] * (xk[c] * h0 - h1(c));
        if (d.status[k]) resid(c) += xk[c] - deaths[di].xbar_dead(c);
      }
      if (!d.weight.empty()) resid *= d.weight[k];  // residuals(type = "dfbeta", weighted = TRUE)
      cross.add(resid, d.original_row[k]);
    }
    if (di >= 0) {
      cum0 += deaths[di].h0_full;
      cum1 += deaths[di].h1_full;
    }
    if (d.stratum_end[j - 1]) new_stratum = true;
    i = j;
  }
  return cross.result();
}

void check_cox_inputs(std::size_t n, const Eigen::MatrixXd& x, std::span<const int> status, const CoxOptions& options,
                      std::span<const int> strata, std::span<const int> cluster, std::span<const double> weights) {
  if (status.size() != n || static_cast<std::size_t>(x.rows()) != n || (!strata.empty() && strata.size() != n) ||
      (!cluster.empty() && cluster.size() != n) || (!weights.empty() && weights.size() != n))
    throw Error(ErrorCategory::internal, "cox_fit: input columns differ in length");
  if (x.cols() < 1) throw Error(ErrorCategory::internal, "cox_fit: no covariates");
  if (n < 2) fail_input("Cox model", "rows", std::to_string(n), "at least 2 observations");
  if (!weights.empty()) {
    for (double w : weights)
      if (!(std::isfinite(w) && w > 0)) fail_input("Cox model", "weights", std::to_string(w), "case weights > 0 and finite");
    if (options.ties == Ties::exact)
      fail_input("Cox model", "ties", "exact", "efron or breslow ties with case weights (exact ties take no weights here)");
  }
}

// Newton-Raphson as coxfit6.c: sets f's loglik_init, score_test, iterations,
// converged, loglik and step_halving_at_end; leaves the fitted beta (the last
// good one when out of iterations), its score, information and the
// information's Cholesky factor, and the score at beta = 0 (for the robust
// score test). Returns whether it converged.
bool cox_newton(const SortedData& d, const CoxOptions& options, CoxIterationScratch& scratch, CoxFit& f,
                Eigen::VectorXd& beta, Eigen::VectorXd& u, Eigen::MatrixXd& imat, Eigen::MatrixXd& chol,
                Eigen::VectorXd& u_init) {
  const int p = d.p;
  beta = Eigen::VectorXd::Zero(p);
  Eigen::VectorXd newbeta(p), a(p);
  u.resize(p);
  imat.resize(p, p);
  chol.resize(p, p);
  f.loglik_init = cox_iteration(d, options.ties, beta, u, imat, scratch);
  double best = f.loglik_init;
  a = u;
  chol = imat;
  cholesky2(chol, options.toler_chol);
  chsolve2(chol, a);
  f.score_test = u.dot(a);
  u_init = u;
  newbeta = beta + a;

  bool done = false;
  int halving = 0;
  int iter = 1;
  for (; iter <= options.iter_max; ++iter) {
    const double newlk = cox_iteration(d, options.ties, newbeta, u, imat, scratch);
    chol = imat;
    cholesky2(chol, options.toler_chol);
    bool notfinite = !std::isfinite(newlk) || !u.allFinite() || !imat.allFinite();
    if (!notfinite && std::fabs(1 - best / newlk) <= options.eps) {
      best = newlk;
      beta = newbeta;
      f.step_halving_at_end = halving > 0;
      done = true;
      break;
    }
    if (notfinite || newlk < best) {
      ++halving;  // step halving towards the last good beta
      newbeta = (newbeta + halving * beta) / (halving + 1.0);
    } else {
      halving = 0;
      best = newlk;
      chsolve2(chol, u);
      beta = newbeta;
      newbeta = newbeta + u;
    }
  }
  if (!done) {  // ran out of iterations: report the last good beta
    iter = options.iter_max;
    if (options.iter_max > 1) best = cox_iteration(d, options.ties, beta, u, imat, scratch);
    chol = imat;
    cholesky2(chol, options.toler_chol);
    f.converged = false;
  }
  f.iterations = iter;
  f.loglik = best;
  return done;
}

// Coefficients and variance in the original coordinates, and the
// infinite-coefficient check of coxph.fit: |u var| > eps and > toler.inf |coef|.
// Returns the variance in the scaled coordinates.
Eigen::MatrixXd set_cox_estimates(CoxFit& f, const Eigen::VectorXd& beta, const Eigen::VectorXd& u,
                                  const Eigen::MatrixXd& imat, const Eigen::MatrixXd& chol,
                                  const Eigen::VectorXd& scale, const CoxOptions& options) {
  const int p = f.p;
  f.aliased.assign(p, false);
  for (int j = 0; j < p; ++j) f.aliased[j] = chol(j, j) == 0;
  Eigen::MatrixXd var_scaled = inverse_nonaliased(imat, f.aliased);
  f.coef.resize(p);
  f.var.resize(p, p);
  for (int i = 0; i < p; ++i) {
    f.coef(i) = beta(i) * scale(i);
    for (int j = 0; j < p; ++j) f.var(i, j) = var_scaled(i, j) * scale(i) * scale(j);
  }
  const Eigen::VectorXd u_orig = u.cwiseQuotient(scale);
  const Eigen::VectorXd infs = (u_orig.transpose() * f.var).transpose().cwiseAbs();
  f.maybe_infinite.assign(p, false);
  if (f.converged)
    for (int j = 0; j < p; ++j)
      f.maybe_infinite[j] = infs(j) > options.eps && infs(j) > options.toler_inf * std::fabs(f.coef(j));
  return var_scaled;
}

// The sandwich variance: dfbeta = L var (scaled coordinates); robust var =
// var B var, then unscaled; and the robust score test.
void set_cox_robust_variance(CoxFit& f, const SortedData& d, const CoxOptions& options, const Eigen::VectorXd& beta,
                             const Eigen::MatrixXd& var_scaled, std::span<const int> cluster,
                             const Eigen::VectorXd& u_init) {
  const int p = f.p;
  const Eigen::VectorXd& scale = d.scale;
  const Eigen::VectorXd beta_fit = with_aliased_as_zero(beta, f.aliased);
  const Eigen::MatrixXd cross = score_residual_crossprod(d, options.ties, beta_fit, cluster);
  const Eigen::MatrixXd rv = var_scaled * cross * var_scaled;
  f.robust_var.resize(p, p);
  f.robust_se.resize(p);
  for (int i = 0; i < p; ++i)
    for (int j = 0; j < p; ++j) f.robust_var(i, j) = rv(i, j) * scale(i) * scale(j);
  // an aliased term has a zero row in var, so robust se 0, as R's vcov reports
  for (int j = 0; j < p; ++j) f.robust_se(j) = std::sqrt(f.robust_var(j, j));
  use_robust_variance(f, options);
  set_robust_score_test(f, score_residual_crossprod(d, options.ties, Eigen::VectorXd::Zero(p), cluster), u_init,
                        options);
}

}  // namespace

const char* ties_name(Ties ties) {
  switch (ties) {
    case Ties::efron: return "efron";
    case Ties::breslow: return "breslow";
    case Ties::exact: return "exact";
  }
  return "efron";
}

Ties parse_ties(const std::string& name) {
  if (name == "efron") return Ties::efron;
  if (name == "breslow") return Ties::breslow;
  if (name == "exact") return Ties::exact;
  fail_input("options", "ties", name, "efron, breslow or exact");
}

CoxFit cox_fit(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x,
               const CoxOptions& options, std::span<const int> strata, std::span<const int> cluster,
               std::span<const double> weights) {
  const std::size_t n = time.size();
  const int p = static_cast<int>(x.cols());
  check_cox_inputs(n, x, status, options, strata, cluster, weights);
  // coxph(ties = "exact") on right-censored data is coxexact.fit, a different algorithm.
  if (options.ties == Ties::exact) return cox_fit_exact({}, time, status, x, options, strata, cluster);

  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const SortedData d = sort_and_scale(time, status, x, strata, options.timefix, threads, weights);
  // coxph turns the robust variance on by itself for non-integer case weights
  // (R/coxph.R: has.rwt), which are then sampling, not frequency, weights.
  const bool fractional_weights =
      std::any_of(weights.begin(), weights.end(), [](double w) { return w != std::floor(w); });

  CoxFit f;
  f.p = p;
  f.n = static_cast<std::int64_t>(n);
  f.nevent = d.nevent;
  Eigen::VectorXd beta, u, u_init;
  Eigen::MatrixXd imat, chol;
  CoxIterationScratch scratch = make_cox_scratch(d, threads);
  const bool done = cox_newton(d, options, scratch, f, beta, u, imat, chol, u_init);
  const Eigen::MatrixXd var_scaled = set_cox_estimates(f, beta, u, imat, chol, d.scale, options);
  summarise_cox_fit(f, options);
  if (options.robust || !cluster.empty() || fractional_weights)
    set_cox_robust_variance(f, d, options, beta, var_scaled, cluster, u_init);

  if (!weights.empty()) {
    // coxph's concordance with case weights is a weighted pair count, which
    // concordance_sorted does not form: left NaN rather than an unweighted C.
  } else if (options.concordance && done) {
    // The last likelihood pass, at the fitted beta, left eta = (x - means) * scale
    // * beta in sorted order: the centred linear predictor that coxph hands to
    // concordancefit (aliased terms stay at 0 throughout).
    set_concordance(f, concordance_sorted(d.time, d.status, scratch.eta, d.stratum_end, threads));
  } else if (options.concordance) {
    const Eigen::VectorXd lp_rows = x * with_aliased_as_zero(f.coef, f.aliased);
    LargeVector<double> lp(n);
    for (std::size_t i = 0; i < n; ++i) lp[i] = lp_rows(static_cast<Eigen::Index>(d.original_row[i]));
    set_concordance(f, concordance_sorted(d.time, d.status, lp, d.stratum_end, threads));
  }
  return f;
}

}  // namespace sirtkit::stats
