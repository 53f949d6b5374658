#pragma once
// The per-term table and model tests of a fitted Cox model, shared by the
// right-censored (coxfit6), counting-process (agfit4) and exact-ties
// (coxexact / agexact) fitters: R's summary.coxph numbers from coef, var and
// the log-likelihoods.

#include "stats/cox_model.h"

namespace sirtkit::stats {

// Needs f.coef, f.var, f.aliased, f.loglik_init, f.loglik and f.score_test.
// Sets se, z, Wald p, hazard ratio with its CI (exp(b -/+ z se)), df (the
// non-aliased terms), the Wald test (coxph.wtest: b' var^-1 b) and the LR,
// Wald and score p-values. Aliased terms get NaN everywhere (R's NA).
void summarise_cox_fit(CoxFit& f, const CoxOptions& options);

// After f.robust_var and f.robust_se are set: z, p, the hazard-ratio CI and
// the Wald test from the robust variance, as coxph (fit$var is the sandwich,
// fit$naive.var the model-based one) and summary.coxph report them. se keeps
// the model-based se(coef), printed beside the robust se as R does.
void use_robust_variance(CoxFit& f, const CoxOptions& options);

}  // namespace sirtkit::stats
