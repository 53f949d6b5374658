#pragma once
// Floating-point near-ties, handled as R survival's aeqSurv() (R/aeqSurv.R),
// which survfit, survdiff and coxph apply by default (timefix = TRUE): among
// the sorted distinct times y, consecutive values with
//   diff <= tol  or  diff / mean(|y|) <= tol,   tol = sqrt(DBL_EPSILON),
// are one time, the first value of the chain. Times such as days / 30.4375
// computed two ways otherwise give spurious distinct times.

#include <cstdint>
#include <span>
#include <vector>

#include "core/large_vector.h"

namespace sirtkit::stats {

inline constexpr double kTimeFixTolerance = 1.4901161193847656e-08;  // sqrt(.Machine$double.eps)

// The adjusted times, or an empty vector when no two distinct times are near-ties.
std::vector<double> aeq_times(std::span<const double> time, double tolerance = kTimeFixTolerance);

// aeq_times with the stable ascending order of the times it gives: one sort
// that the analyses of one model share (sirtkit cox: the concordance standard
// error and cox.zph) instead of sorting the times each.
struct OrderedTimes {
  std::vector<double> fixed;               // aeq_times(time); empty when no time changed or timefix is off
  LargeVector<std::uint32_t> order;        // rows by their (fixed) time, tied rows in row order
  std::span<const double> times(std::span<const double> given) const { return fixed.empty() ? given : std::span<const double>(fixed); }
};
OrderedTimes aeq_times_in_order(std::span<const double> time, bool timefix, double tolerance = kTimeFixTolerance);

// The same rule applied in place to times sorted ascending; returns true if
// any value changed.
bool aeq_sorted_times(std::span<double> sorted_time, double tolerance = kTimeFixTolerance);

}  // namespace sirtkit::stats
