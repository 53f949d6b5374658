#pragma once
// Covariate balance between a treated and a control arm, one row per
// variable, as MatchIt 4.5's summary.matchit() computes it (internal
// bal1var(), standardize = TRUE), so that sirtkit's table can be checked
// against MatchIt number for number:
//  - means by arm, weighted by the matching or IPT weights (unit weights
//    before);
//  - the standardised mean difference (mean_T - mean_C) / s, where s comes
//    from the unweighted sample: the treated arm's SD for the ATT, the square
//    root of the mean of the two arms' variances for the ATE (pooled, equal
//    contributions); a binary (0/1) variable's variance is p (1 - p), any
//    other's the sample variance. A difference of means below sqrt(DBL_EPSILON)
//    is reported raw, as MatchIt does; when s is 0 the pooled SD of the whole
//    sample is used instead;
//  - the variance ratio s_T^2 / s_C^2 of weighted variances (none for binary
//    variables);
//  - eCDF mean and max: the mean and largest distance between the weighted
//    empirical CDFs of the arms over the variable's distinct values (|mean_T -
//    mean_C| for a binary variable);
//  - the standardised pair distance: the mean |x_t - x_c| over the matched
//    pairs, over the same s (matching only).
// Undefined entries (a variance ratio of a binary variable, fewer than two
// weighted units in both arms) are NaN.

#include <limits>
#include <span>
#include <vector>

namespace sirtkit::stats {

enum class SdDenominator { treated, pooled };

struct BalanceRow {
  static constexpr double na = std::numeric_limits<double>::quiet_NaN();
  double mean_treated = na, mean_control = na, smd = na, variance_ratio = na, ecdf_mean = na, ecdf_max = na,
         pair_distance = na;
};

// treat: 0/1 per row; weights: per row (empty = unit weights, the table
// before matching or weighting); pairs: the matched (treated row, control row)
// pairs for the pair distance (empty: not computed).
struct MatchedPair {
  std::size_t treated = 0, control = 0;
};
BalanceRow balance_row(std::span<const double> x, std::span<const int> treat, std::span<const double> weights,
                       SdDenominator denominator, std::span<const MatchedPair> pairs = {});

}  // namespace sirtkit::stats
