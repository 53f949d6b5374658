#pragma once
// Subgroup (forest-plot) analysis of a two-arm treatment effect with Cox
// models: the hazard ratio of the treatment within each level of a subgroup
// variable (a separate coxph(Surv ~ treatment) per level), the overall HR, and
// the treatment x subgroup interaction likelihood-ratio test
// (anova(coxph(~ trt + sub), coxph(~ trt * sub)), df = number of estimable
// interaction terms).

#include <Eigen/Dense>
#include <cstdint>
#include <span>
#include <vector>

#include "stats/cox/cox_model.h"

namespace sirtkit::stats {

struct SubgroupEffect {
  std::int64_t n = 0, events = 0;
  bool estimable = false;  // false when the arm is constant or there are no events in the subgroup
  double coef = 0, se = 0, hr = 0, hr_lower = 0, hr_upper = 0, p_value = 1;
};

struct SubgroupAnalysis {
  std::vector<SubgroupEffect> levels;  // one per subgroup level
  SubgroupEffect overall;
  double interaction_chisq = 0;
  int interaction_df = 0;
  double interaction_p = 1;
};

// treatment: 0/1 per row (1 = experimental arm); subgroup: codes 0..n_levels-1.
SubgroupAnalysis subgroup_analysis(std::span<const double> time, std::span<const int> status,
                                   std::span<const double> treatment, std::span<const int> subgroup, int n_levels,
                                   const CoxOptions& options = {});

}  // namespace sirtkit::stats
