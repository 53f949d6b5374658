#include "stats/time_fix.h"

#include <algorithm>
#include <cmath>

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

std::vector<double> aeq_times(std::span<const double> time, double tol) {
  std::vector<double> sorted(time.begin(), time.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> fixed = sorted;
  if (!aeq_sorted_times(fixed, tol)) return {};
  std::vector<double> out(time.size());
  for (std::size_t i = 0; i < time.size(); ++i) {
    const auto k = std::lower_bound(sorted.begin(), sorted.end(), time[i]) - sorted.begin();
    out[i] = fixed[static_cast<std::size_t>(k)];
  }
  return out;
}

}  // namespace sirtkit::stats
