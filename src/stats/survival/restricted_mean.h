#pragma once
// Restricted mean survival time: the area under a Kaplan-Meier curve from 0
// to tau, with its standard error, as R's print(survfit, rmean = tau) and
// summary(survfit, rmean = tau)$table give them (survival 3.5-3, survmean):
//   rmean = sum of the rectangles S(t_{j-1}) (t_j - t_{j-1}) over the curve's
//           times up to tau, the last one carried to tau (also past the last
//           follow-up time: the curve's last value is extended, as R does);
//   var   = sum over the curve's times t_j <= tau of A_j^2 d_j / (n_j (n_j - d_j)),
//           A_j = the area from t_j to tau (0 where n_j = d_j);
// with case weights, d and n are the weighted counts (R's n.risk, n.event).
// The interval is rmean -/+ z se; the difference between two independent
// arms has se sqrt(se_1^2 + se_2^2) and a normal CI and two-sided p.

#include "stats/survival/kaplan_meier.h"

namespace sirtkit::stats {

struct RestrictedMean {
  double tau = 0;
  double rmean = 0;
  double std_err = 0;
  double lower = 0, upper = 0;  // rmean -/+ z se
  bool beyond_follow_up = false;  // tau is after the curve's last time (its last value is carried on)
};

// tau > 0 (bad_input otherwise).
RestrictedMean restricted_mean(const KmCurve& curve, double tau, double conf_level = 0.95);

struct RestrictedMeanDifference {
  double estimate = 0;  // a - b
  double std_err = 0;
  double lower = 0, upper = 0;
  double z = 0, p_value = 1;
};
RestrictedMeanDifference restricted_mean_difference(const RestrictedMean& a, const RestrictedMean& b, double conf_level = 0.95);

}  // namespace sirtkit::stats
