#pragma once
// The per-term table and model tests of a fitted Cox model, shared by the
// right-censored (coxfit6), counting-process (agfit4) and exact-ties
// (coxexact / agexact) fitters: R's summary.coxph numbers from coef, var and
// the log-likelihoods, and the steps that turn a converged fit into them.

#include <Eigen/Dense>
#include <cstdint>
#include <span>
#include <vector>

#include "stats/concordance/concordance.h"
#include "stats/cox/cox_model.h"

namespace sirtkit::stats {

// Needs f.coef, f.var, f.aliased, f.loglik_init, f.loglik and f.score_test.
// Sets se, z, Wald p, hazard ratio with its CI (exp(b -/+ z se)), df (the
// non-aliased terms), the Wald test (coxph.wtest: b' var^-1 b) and the LR,
// Wald and score p-values. Aliased terms get NaN (R's NA) everywhere except
// se, which is 0 as R reports it (also robust_se in use_robust_variance).
void summarise_cox_fit(CoxFit& f, const CoxOptions& options);

// After f.robust_var and f.robust_se are set: z, p, the hazard-ratio CI and
// the Wald test from the robust variance, as coxph (fit$var is the sandwich,
// fit$naive.var the model-based one) and summary.coxph report them. se keeps
// the model-based se(coef), printed beside the robust se as R does.
void use_robust_variance(CoxFit& f, const CoxOptions& options);

// R's robust score test (coxph: rscore = coxph.wtest(t(temp0) %*% temp0, u)):
// u0 = the score at beta = 0, crossprod0 = sum of L L' of the score residuals
// at beta = 0 (summed within cluster first). Sets robust_score_test and _p.
void set_robust_score_test(CoxFit& f, const Eigen::MatrixXd& crossprod0, const Eigen::VectorXd& u0,
                           const CoxOptions& options);

// The number of events (status != 0) for f.nevent; fails (bad input) when
// there are none, as no Cox model can be fitted.
std::int64_t count_events_or_fail(std::span<const int> status);

// From the last Newton-Raphson step in scaled coordinates (x_j * scale_j):
// marks the aliased terms (zero Cholesky pivots of chol), sets f.coef and
// f.var on the input scale and returns the scaled variance, which the
// sandwich variance needs.
Eigen::MatrixXd set_unscaled_estimates(CoxFit& f, const Eigen::VectorXd& beta, const Eigen::MatrixXd& imat,
                                       const Eigen::MatrixXd& chol, const Eigen::VectorXd& scale);

// Aliased (NA) coefficients count as 0 wherever the fitted model is applied
// (linear predictor, score residuals), as R's predict() and residuals() do.
Eigen::VectorXd with_aliased_as_zero(const Eigen::VectorXd& coef, const std::vector<bool>& aliased);

// Stores the pair counts and Harrell's C of the fitted linear predictor in f
// (coxph's fit$concordance).
void set_concordance(CoxFit& f, const Concordance& c);

}  // namespace sirtkit::stats
