#pragma once
// cox.zph for a Cox model fitted to (start, stop] counting-process data
// (cox_fit_counting), as R's survival::cox.zph(fit) (survival 3.5-3,
// R/cox.zph.R with src/zph2.c): the score test, at (beta-hat, 0), for adding
// g(t) x, with g(t) = 1 - S(t-) from the Kaplan-Meier curve of the (start,
// stop] rows (survfitKM on the counting Surv), centred at its mean over the
// events; per term and GLOBAL. The risk set of an event time t is
// {start < t <= stop}, as in the fit.
//
// R refuses cox.zph for an exact-ties fit of (start, stop] data (agexact.fit
// returns no "coxph" object); this refuses it too (bad_input).

#include <Eigen/Dense>
#include <span>
#include <vector>

#include "stats/cox/cox_model.h"
#include "stats/cox/cox_zph.h"

namespace sirtkit::stats {

// start/stop/status/x/strata as given to cox_fit_counting; fit its result.
// terms: the design columns of each term; empty = one term per column.
CoxZphResult cox_zph_counting(std::span<const double> start, std::span<const double> stop, std::span<const int> status,
                              const Eigen::MatrixXd& x, const CoxFit& fit, Ties ties, std::span<const int> strata = {},
                              const std::vector<std::vector<int>>& terms = {}, bool timefix = true);

}  // namespace sirtkit::stats
