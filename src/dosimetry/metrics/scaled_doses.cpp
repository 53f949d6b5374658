#include "dosimetry/metrics/scaled_doses.h"

#include <algorithm>

#include "core/error.h"

namespace sirtkit::dosimetry {

ScaledDoses::ScaledDoses(std::span<const float> sorted_unit, double administered_gbq)
    : sorted_(sorted_unit), a_(static_cast<float>(administered_gbq)) {
  if (sorted_.empty()) throw Error(ErrorCategory::internal, "ScaledDoses of an empty VOI");
  if (!(a_ >= 0)) throw Error(ErrorCategory::internal, "ScaledDoses: a negative activity");
}

template <typename Reached>
std::size_t ScaledDoses::first_reaching(std::size_t lo, std::size_t guess, Reached reached) const {
  const std::size_t n = sorted_.size();
  // The first position in [l, r) that reaches, r when none does.
  const auto first_in = [&](std::size_t l, std::size_t r) {
    while (l < r) {
      const std::size_t mid = l + (r - l) / 2;
      if (reached(mid)) r = mid;
      else l = mid + 1;
    }
    return l;
  };
  const std::size_t j = std::clamp(guess, lo, n);
  if (j < n && !reached(j)) {  // the answer is to the right: gallop, then bisect
    std::size_t below = j, step = 1;
    while (j + step < n && !reached(j + step)) {
      below = j + step;
      step *= 2;
    }
    return first_in(below + 1, std::min(j + step, n));
  }
  // j reaches (or is the end): the answer is j or to its left.
  std::size_t at = j, step = 1;
  while (j >= lo + step && reached(j - step)) {
    at = j - step;
    step *= 2;
  }
  return first_in(j >= lo + step ? j - step + 1 : lo, at);
}

double ScaledDoses::dx_gy(double percent) const {
  // The dose at rank ceil(x/100 · n) of the high-to-low order.
  return ascending(sorted_.size() - dx_rank(sorted_.size(), percent));
}

double ScaledDoses::vx_percent(double threshold_gy) const {
  const std::size_t n = sorted_.size();
  // Where the doses reach the threshold: near the dose per GBq threshold / a.
  const double unit = threshold_gy / a_;
  const std::size_t guess = static_cast<std::size_t>(
      std::lower_bound(sorted_.begin(), sorted_.end(), unit, [](float u, double t) { return u < t; }) - sorted_.begin());
  const std::size_t first = first_reaching(0, guess, [&](std::size_t j) { return ascending(j) >= threshold_gy; });
  return 100.0 * static_cast<double>(n - first) / static_cast<double>(n);
}

std::vector<DvhPoint> ScaledDoses::cumulative_dvh(int bins) const {
  // As dose_metrics.h's: bin(d) = min(bins, floor(max(0, d / step))), step = max / bins;
  // the percent at bin b counts the voxels whose bin is b or more.
  const std::size_t n = sorted_.size();
  const double max_dose = max_gy();
  const double step = max_dose > 0 ? max_dose / bins : 1.0;
  const auto bin_of = [&](std::size_t j) {
    return std::min<std::size_t>(static_cast<std::size_t>(bins), static_cast<std::size_t>(std::max(0.0, ascending(j) / step)));
  };
  std::vector<DvhPoint> out;
  out.reserve(static_cast<std::size_t>(bins) + 1);
  out.push_back({0.0, 100.0});  // every bin is 0 or more
  std::size_t first = 0;
  for (int b = 1; b <= bins; ++b) {
    const double unit = b * step / a_;
    const std::size_t guess = static_cast<std::size_t>(
        std::lower_bound(sorted_.begin() + static_cast<std::ptrdiff_t>(first), sorted_.end(), unit, [](float u, double t) { return u < t; }) -
        sorted_.begin());
    const auto wanted = static_cast<std::size_t>(b);
    first = first_reaching(first, guess, [&](std::size_t j) { return bin_of(j) >= wanted; });
    out.push_back({b * step, 100.0 * static_cast<double>(n - first) / static_cast<double>(n)});
  }
  return out;
}

double ScaledDoses::mean_gy(std::span<const float> unit, std::span<const float> masses) const {
  if (unit.size() != sorted_.size() || masses.size() != sorted_.size())
    throw Error(ErrorCategory::internal, "ScaledDoses: voxel spans of different lengths");
  double energy = 0, mass = 0;
  for (std::size_t i = 0; i < unit.size(); ++i) {
    const float d = 0.f + a_ * unit[i];
    energy += static_cast<double>(d) * masses[i];
    mass += masses[i];
  }
  return mass > 0 ? energy / mass : 0;
}

DoseMetrics ScaledDoses::metrics(std::span<const float> unit, std::span<const float> masses, double voxel_volume_ml,
                                 const MetricRequest& request) const {
  if (unit.size() != sorted_.size() || masses.size() != sorted_.size())
    throw Error(ErrorCategory::internal, "ScaledDoses: voxel spans of different lengths");
  double energy = 0, mass = 0;
  for (std::size_t i = 0; i < unit.size(); ++i) {
    const float d = 0.f + a_ * unit[i];
    energy += static_cast<double>(d) * masses[i];
    mass += masses[i];
  }
  DoseMetrics m = metrics_but_mean(mass, voxel_volume_ml, request);
  m.mean_gy = mass > 0 ? energy / mass : 0;
  return m;
}

DoseMetrics ScaledDoses::metrics_but_mean(double mass_kg, double voxel_volume_ml, const MetricRequest& request) const {
  DoseMetrics m;
  m.voxels = sorted_.size();
  m.volume_ml = static_cast<double>(sorted_.size()) * voxel_volume_ml;
  m.mass_kg = mass_kg;
  m.min_gy = min_gy();
  m.max_gy = max_gy();
  for (double x : request.d_percents) m.d_at_percent.emplace_back(x, dx_gy(x));
  for (double x : request.v_gy) m.v_at_gy.emplace_back(x, vx_percent(x));
  return m;
}

}  // namespace sirtkit::dosimetry
