#pragma once
// Cox model for counting-process data (start, stop]: time-varying covariates
// (one row per interval of a subject) and late entry (left truncation), fitted
// as R's coxph(Surv(start, stop, event) ~ ...) (survival 3.5-3: R/agreg.fit.R,
// src/agfit4.c; robust variance from the score residuals of
// residuals.coxph(type = "dfbeta"), summed by cluster).
//
//  - a row is at risk at an event time t of its stratum iff start < t <= stop
//  - rows whose interval holds no event time of their stratum are left out of
//    the sums (agreg.fit `ignore`), as are the scaling sums
//  - ties: Efron or Breslow; exact ties go to cox_fit_exact (agexact.fit)
//  - Newton-Raphson as agfit4.c: convergence needs a step that was not halved;
//    a step that lowers the log-likelihood, or that changes the rank of the
//    information, is pulled back (beta = (h oldbeta + beta)/(h + 1))
//  - the running sums walk backwards in stop time, removing rows whose start
//    is >= t before adding the new ones (agreg.Rnw), with the recentring of
//    the linear predictor that keeps exp() finite
//  - robust variance: D'D with D the dfbeta residuals summed within cluster.
//    R needs cluster(id) (or id) for robust variance of (start, stop] data,
//    because rows of one subject are not independent; so does this function.
//  - the infinite-coefficient check of agreg.fit: |U var| > toler.inf (1 + |b|)
//  - concordance over the pairs comparable at each event time (stats/
//    concordance_counting.h)

#include <span>

#include "stats/cox/cox_model.h"

namespace sirtkit::stats {

// start < stop on every row (bad_input otherwise); status 1 = event at stop.
// strata and cluster: empty or one code per row. n in the result counts rows.
CoxFit cox_fit_counting(std::span<const double> start, std::span<const double> stop, std::span<const int> status,
                        const Eigen::MatrixXd& x, const CoxOptions& options = {}, std::span<const int> strata = {},
                        std::span<const int> cluster = {});

}  // namespace sirtkit::stats
