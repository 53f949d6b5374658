#pragma once
// Cox proportional-hazards regression for right-censored data, fitted as R's
// survival::coxph (survival 3.5-3): src/coxfit6.c (Newton-Raphson), src/
// cholesky2.c / chsolve2.c (generalised Cholesky with toler.chol), R/coxph.fit.R
// (aliased terms, infinite-coefficient check), coxph.control defaults.
//
//  - covariates are centred at their mean and scaled by n / sum|x - mean|,
//    except columns whose values all lie in {-1, 0, 1} (coxph nocenter)
//  - ties: Efron (R default) or Breslow; exact ties (the discrete / conditional
//    logistic partial likelihood, coxexact.fit) are fitted by cox_fit_exact
//    (stats/cox/cox_exact.h), to which cox_fit hands over when ties == exact
//  - (start, stop] counting-process data: stats/cox/cox_counting_process.h
//  - convergence when |1 - loglik_old / loglik_new| <= eps; a step that lowers
//    the log-likelihood (or is not finite) is halved towards the last good beta
//    (newbeta = (newbeta + h beta) / (h + 1), h = 1, 2, ...)
//  - strata: separate baseline hazards, risk sets never cross strata
//  - robust (sandwich) variance: D'D with D the dfbeta residuals (score
//    residuals x var), summed within cluster when a cluster is given (Lin & Wei 1989)
//  - concordance as concordancefit(reverse = TRUE): (concordant + tied.x / 2) /
//    (concordant + discordant + tied.x), comparable pairs within strata only.

#include <Eigen/Dense>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "stats/concordance/concordance.h"

namespace sirtkit::stats {

enum class Ties { efron, breslow, exact };
const char* ties_name(Ties ties);
Ties parse_ties(const std::string& name);  // efron | breslow | exact; bad_input otherwise

struct CoxOptions {
  Ties ties = Ties::efron;     // coxph ties = "efron" | "breslow" | "exact"
  double eps = 1e-9;           // coxph.control eps
  double toler_chol = 1.8189894035458565e-12;  // .Machine$double.eps^0.75
  int iter_max = 20;           // coxph.control iter.max
  double toler_inf = 3.1622776601683795e-05;   // sqrt(eps)
  double conf_level = 0.95;
  bool robust = false;         // sandwich variance (forced on when a cluster is given)
  bool concordance = true;
  bool timefix = true;         // merge float near-ties (aeqSurv), coxph.control timefix
  int threads = 0;             // 0 = all hardware threads; the results do not depend on it
};

struct CoxFit {
  int p = 0;
  Eigen::VectorXd coef;        // NaN for aliased (collinear) terms, as R's NA
  Eigen::MatrixXd var;         // inverse information (naive), 0 rows/cols for aliased
  Eigen::VectorXd se, z, p_value, hr, hr_lower, hr_upper;
  Eigen::MatrixXd robust_var;  // empty unless robust
  Eigen::VectorXd robust_se;
  std::vector<bool> aliased;
  std::vector<bool> maybe_infinite;  // R's "Loglik converges before variable ..." warning
  double loglik_init = 0, loglik = 0;
  double score_test = 0, wald_test = 0, lr_test = 0;
  double robust_score_test = std::nan(""), robust_score_p = std::nan("");  // robust fits only (coxph rscore)
  double score_p = 1, wald_p = 1, lr_p = 1;
  int df = 0;
  int iterations = 0;
  bool converged = true;
  bool step_halving_at_end = false;
  std::int64_t n = 0, nevent = 0;
  double concordance = std::nan("");
  // Its infinitesimal-jackknife standard error (summary(coxph)'s "se"), summed
  // within clusters when a cluster is given; set by the (start, stop] fits
  // (stats/concordance/concordance_variance.h), NaN otherwise.
  double concordance_std_err = std::nan("");
  std::int64_t concordant = 0, discordant = 0, tied_x = 0, tied_y = 0;
  double aic() const { return -2.0 * loglik + 2.0 * df; }  // AIC(coxph)
};

// x: n rows x p columns (p >= 1). status 1 = event, 0 = censored. strata and
// cluster: empty or one code per row. weights: empty or one case weight per
// row (> 0), as coxph(weights = ): every sum of the partial likelihood
// weighted (Efron and Breslow ties; exact ties refused); n and nevent stay
// row counts. Non-integer weights (e.g. inverse probability of treatment)
// turn the robust variance on, as coxph does; the concordance is then NaN
// (R's is a weighted pair count, not computed here).
CoxFit cox_fit(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x,
               const CoxOptions& options = {}, std::span<const int> strata = {},
               std::span<const int> cluster = {}, std::span<const double> weights = {});

}  // namespace sirtkit::stats
