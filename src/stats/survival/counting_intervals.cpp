#include "stats/survival/counting_intervals.h"

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "stats/survival/time_fix.h"

namespace sirtkit::stats {

namespace {

// The first row with !(start < stop) fails with the times shown (as given by
// the user) and what was expected of it.
void require_ordered(const std::string& analysis, std::span<const double> start, std::span<const double> stop,
                     std::span<const double> shown_start, std::span<const double> shown_stop,
                     const std::string& expected) {
  for (std::size_t i = 0; i < stop.size(); ++i)
    if (!(start[i] < stop[i])) {
      std::string interval = "(";
      interval += std::to_string(shown_start[i]);
      interval += ", ";
      interval += std::to_string(shown_stop[i]);
      interval += "]";
      fail_input(analysis, "row " + std::to_string(i + 1), interval, expected);
    }
}

}  // namespace

void require_nonempty_intervals(const std::string& analysis, std::span<const double> start,
                                std::span<const double> stop) {
  require_ordered(analysis, start, stop, start, stop, "an interval with start < stop");
}

bool merge_near_tie_intervals(std::span<double> start, std::span<double> stop) {
  const std::size_t n = stop.size();
  std::vector<double> both(start.begin(), start.end());
  both.insert(both.end(), stop.begin(), stop.end());
  const auto fixed = aeq_times(both);
  if (fixed.empty()) return false;
  std::copy(fixed.begin(), fixed.begin() + static_cast<std::ptrdiff_t>(n), start.begin());
  std::copy(fixed.begin() + static_cast<std::ptrdiff_t>(n), fixed.end(), stop.begin());
  return true;
}

void require_intervals_survive_timefix(const std::string& analysis, std::span<const double> start,
                                       std::span<const double> stop, std::span<const double> start_in,
                                       std::span<const double> stop_in) {
  require_ordered(analysis, start, stop, start_in, stop_in,
                  "an interval longer than rounding error (aeqSurv: an interval has effective length 0)");
}

}  // namespace sirtkit::stats
