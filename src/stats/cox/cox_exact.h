#pragma once
// Cox model with exact ties: coxph(ties = "exact"), the exact partial
// likelihood of the discrete-time (conditional logistic) model. At an event
// time with d tied events the risk set R contributes
//   exp(sum_D eta) / sum over all d-subsets Q of R of exp(sum_Q eta),
// whose denominator and its first two derivatives are computed by the
// recursion of Gail, Lubin & Rubinstein (1981, Biometrika 68:703):
//   E_k(m) = E_k(m-1) + r_m E_{k-1}(m-1)  over the first m members of R,
// with the same recursion differentiated for the score and information
// (R survival 3.5-3: src/coxexact.c coxd0/coxd1/coxd2, R/coxexact.fit.R; for
// (start, stop] data R/agexact.fit.R, src/agexact.c, which enumerates the
// subsets; the recursion gives the same numbers).
//
//  - Newton-Raphson as coxexact.c: convergence needs a step that was not
//    halved; a worse step is halved towards the last good beta
//  - right-censored data: covariates centred and scaled by their SD
//    (coxexact.fit's scale()), except columns all in {-1, 0, 1}; the recursion
//    runs once per stratum over rows by decreasing time (risk sets are nested)
//  - (start, stop] data: the recursion runs over each event time's risk set
//    {start < t <= stop}
//  - no robust variance: R stops with "dfbeta residuals are not available for
//    the exact method"; this refuses the same request (bad_input)
//  - with one event at a time the result equals Breslow and Efron

#include <span>

#include "stats/cox/cox_model.h"

namespace sirtkit::stats {

// start empty: right-censored times in stop. Otherwise start < stop per row.
// cluster must be empty and options.robust false (bad_input otherwise).
CoxFit cox_fit_exact(std::span<const double> start, std::span<const double> stop, std::span<const int> status,
                     const Eigen::MatrixXd& x, const CoxOptions& options = {}, std::span<const int> strata = {},
                     std::span<const int> cluster = {});

}  // namespace sirtkit::stats
