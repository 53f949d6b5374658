#include "dosimetry/dose_metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "core/error.h"

namespace sirtkit::dosimetry {
namespace {

// The 1-based rank of Dx among n doses sorted high to low: ceil(x/100 · n), within [1, n].
std::size_t dx_rank(std::size_t n, double percent) {
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(percent / 100.0 * static_cast<double>(n) - 1e-9)));
  return std::min(rank, n);
}

}  // namespace

double dx_gy(std::vector<float> doses, double percent) {
  if (doses.empty()) throw Error(ErrorCategory::internal, "dx_gy of an empty VOI");
  // The dose at that rank of the high-to-low order: a selection, the value a full sort would put there.
  const std::size_t rank = dx_rank(doses.size(), percent);
  std::nth_element(doses.begin(), doses.begin() + static_cast<std::ptrdiff_t>(rank - 1), doses.end(), std::greater<float>());
  return doses[rank - 1];
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
  // Each Dx is the dose at its rank of the high-to-low order. Selecting the
  // ranks in increasing order, each within the part after the previous one,
  // gives the values a full sort would (and costs O(n) per rank, not O(n log n)).
  std::vector<std::size_t> ranks;
  for (double x : request.d_percents) ranks.push_back(dx_rank(doses.size(), x));
  std::vector<std::size_t> wanted(ranks);
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<float> desc(doses.begin(), doses.end());
  auto from = desc.begin();
  for (std::size_t r : wanted) {
    const auto at = desc.begin() + static_cast<std::ptrdiff_t>(r - 1);
    std::nth_element(from, at, desc.end(), std::greater<float>());
    from = at + 1;
  }
  for (std::size_t i = 0; i < ranks.size(); ++i) m.d_at_percent.emplace_back(request.d_percents[i], desc[ranks[i] - 1]);
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
