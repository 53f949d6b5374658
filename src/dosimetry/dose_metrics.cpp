#include "dosimetry/dose_metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "core/error.h"

namespace sirtkit::dosimetry {
namespace {

// Dx on a descending-sorted copy.
double dx_sorted_desc(const std::vector<float>& desc, double percent) {
  const double n = static_cast<double>(desc.size());
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(percent / 100.0 * n - 1e-9)));
  return desc[std::min(rank, desc.size()) - 1];
}

}  // namespace

double dx_gy(std::vector<float> doses, double percent) {
  if (doses.empty()) throw Error(ErrorCategory::internal, "dx_gy of an empty VOI");
  std::sort(doses.begin(), doses.end(), std::greater<float>());
  return dx_sorted_desc(doses, percent);
}

double vx_percent(std::span<const float> doses, double threshold_gy) {
  if (doses.empty()) return 0;
  const auto n = std::count_if(doses.begin(), doses.end(), [&](float d) { return d >= threshold_gy; });
  return 100.0 * static_cast<double>(n) / static_cast<double>(doses.size());
}

DoseMetrics dose_metrics(std::span<const float> doses, std::span<const float> masses, double voxel_volume_ml,
                         const MetricRequest& request) {
  if (doses.empty()) throw Error(ErrorCategory::internal, "dose_metrics of an empty VOI");
  DoseMetrics m;
  m.voxels = doses.size();
  m.volume_ml = static_cast<double>(doses.size()) * voxel_volume_ml;
  double energy = 0, mass = 0;
  m.min_gy = doses[0];
  m.max_gy = doses[0];
  for (std::size_t i = 0; i < doses.size(); ++i) {
    energy += static_cast<double>(doses[i]) * masses[i];
    mass += masses[i];
    m.min_gy = std::min<double>(m.min_gy, doses[i]);
    m.max_gy = std::max<double>(m.max_gy, doses[i]);
  }
  m.mass_kg = mass;
  m.mean_gy = mass > 0 ? energy / mass : 0;
  std::vector<float> desc(doses.begin(), doses.end());
  std::sort(desc.begin(), desc.end(), std::greater<float>());
  for (double x : request.d_percents) m.d_at_percent.emplace_back(x, dx_sorted_desc(desc, x));
  for (double x : request.v_gy) m.v_at_gy.emplace_back(x, vx_percent(doses, x));
  return m;
}

std::vector<DvhPoint> cumulative_dvh(std::span<const float> doses, int bins) {
  std::vector<DvhPoint> out;
  if (doses.empty()) return out;
  const double max_dose = *std::max_element(doses.begin(), doses.end());
  std::vector<std::size_t> histogram(bins + 1, 0);
  const double step = max_dose > 0 ? max_dose / bins : 1.0;
  for (float d : doses) histogram[std::min<std::size_t>(bins, static_cast<std::size_t>(std::max(0.0, d / step)))]++;
  // at_or_above[b] = voxels whose bin is ≥ b, i.e. dose ≥ b·step (up to float binning).
  std::size_t above = 0;
  std::vector<double> percent(bins + 1);
  for (int b = bins; b >= 0; --b) {
    above += histogram[b];
    percent[b] = 100.0 * static_cast<double>(above) / static_cast<double>(doses.size());
  }
  for (int b = 0; b <= bins; ++b) out.push_back({b * step, percent[b]});
  return out;
}

}  // namespace sirtkit::dosimetry
