#include "stats/survival/time_fix.h"

#include <algorithm>
#include <cmath>

#include "stats/numerics/radix_sort.h"

namespace sirtkit::stats {

namespace {

// mean(abs(y)) over the distinct finite values, long-double sum as R's mean.
long double mean_abs_distinct(std::span<const double> sorted) {
  long double s = 0;
  std::size_t k = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (!std::isfinite(sorted[i])) continue;
    if (i > 0 && sorted[i] == sorted[i - 1]) continue;
    s += std::fabs(sorted[i]);
    ++k;
  }
  return k ? s / static_cast<long double>(k) : 0;
}

}  // namespace

bool aeq_sorted_times(std::span<double> t, double tol) {
  if (t.size() < 2) return false;
  const double mean_abs = static_cast<double>(mean_abs_distinct(t));
  bool changed = false;
  double prev = t[0], cut = t[0];
  for (std::size_t i = 1; i < t.size(); ++i) {
    const double v = t[i];
    if (!std::isfinite(v)) continue;
    if (v != prev) {
      const double dy = v - prev;
      const bool tied = dy <= tol || dy / mean_abs <= tol;
      prev = v;
      if (!tied) cut = v;
    }
    if (t[i] != cut) {
      t[i] = cut;
      changed = true;
    }
  }
  return changed;
}

namespace {

// aeq_times, given the times' stable ascending order.
std::vector<double> aeq_times_of_order(std::span<const double> time, std::span<const std::uint32_t> order, double tol) {
  const std::size_t n = time.size();
  std::vector<double> fixed(n);
  for (std::size_t k = 0; k < n; ++k) fixed[k] = time[order[k]];
  if (!aeq_sorted_times(fixed, tol)) return {};
  // Each row takes the fixed value at the first sorted position of its time.
  std::vector<double> out(n);
  std::size_t run_start = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && time[order[k]] != time[order[k - 1]]) run_start = k;
    out[order[k]] = fixed[run_start];
  }
  return out;
}

}  // namespace

std::vector<double> aeq_times(std::span<const double> time, double tol) {
  return aeq_times_of_order(time, radix_order(time), tol);
}

OrderedTimes aeq_times_in_order(std::span<const double> time, bool timefix, double tol) {
  OrderedTimes t;
  t.order = radix_order(time);
  if (!timefix) return t;
  t.fixed = aeq_times_of_order(time, t.order, tol);
  // Merged near-ties now tie exactly: their rows in row order, as a stable
  // sort of the fixed times has them (rare: only when a time changed).
  if (!t.fixed.empty()) t.order = radix_order(t.fixed);
  return t;
}

}  // namespace sirtkit::stats
