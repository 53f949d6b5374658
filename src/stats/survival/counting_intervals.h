#pragma once
// (start, stop] rows of counting-process survival data, prepared alike for the
// Kaplan-Meier curve, the Cox fits and cox.zph: every interval must be
// non-empty, and near-tie times are merged over the start and stop times
// together (R's aeqSurv on a counting Surv), which can collapse an interval.

#include <span>
#include <string>

namespace sirtkit::stats {

// Fails (bad input) at the first row with !(start < stop), quoting its times;
// `analysis` names the method in the message (e.g. "Cox model").
void require_nonempty_intervals(const std::string& analysis, std::span<const double> start,
                                std::span<const double> stop);

// aeqSurv on a counting Surv: the start and stop times are one pool of
// near-ties, merged in place. Returns true if any time changed.
bool merge_near_tie_intervals(std::span<double> start, std::span<double> stop);

// After merge_near_tie_intervals changed (start, stop): fails at the first row
// whose interval the merge collapsed, quoting the row's times as given
// (start_in, stop_in), since the merged ones would not explain the error.
void require_intervals_survive_timefix(const std::string& analysis, std::span<const double> start,
                                       std::span<const double> stop, std::span<const double> start_in,
                                       std::span<const double> stop_in);

}  // namespace sirtkit::stats
