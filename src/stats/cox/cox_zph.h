#pragma once
// Test of proportional hazards for a fitted Cox model, as R's
// survival::cox.zph(fit, transform = "km", terms = TRUE, global = TRUE)
// (survival >= 3.0, R/cox.zph.R and src/zph1.c): the score test, at
// (beta-hat, 0), for adding g(t) x to the model, where
//   g(t) = 1 - S(t-) (left-continuous pooled Kaplan-Meier), centred at its
//   mean over the events;
// per term (all columns of a factor together) and GLOBAL (all terms).
// chi2 = u' I^-1 u with u = (0, U_gamma[term]) and I the (beta, gamma[term])
// block of the 2p x 2p information (Therneau & Grambsch 2000, §6.2).

#include <Eigen/Dense>
#include <span>
#include <vector>

#include "stats/cox/cox_model.h"
#include "stats/survival/time_fix.h"

namespace sirtkit::stats {

struct CoxZphResult {
  // One entry per term, then GLOBAL last.
  std::vector<double> chisq;
  std::vector<int> df;
  std::vector<double> p_value;
};

// time/status/x/strata as given to cox_fit; fit its result (same ties).
// terms: the design columns of each term; empty = one term per column.
// Aliased (NA) columns are left out, as R does. ordered: null, or
// aeq_times_in_order(time, timefix) (stats/survival/time_fix.h) when the caller has
// it, which saves sorting the times again.
CoxZphResult cox_zph(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x,
                     const CoxFit& fit, Ties ties, std::span<const int> strata = {},
                     const std::vector<std::vector<int>>& terms = {}, bool timefix = true,
                     const OrderedTimes* ordered = nullptr);

}  // namespace sirtkit::stats
