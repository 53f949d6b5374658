#include "dosimetry/metrics/dose_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

#include "core/error.h"

namespace sirtkit::dosimetry {
namespace {

// The values at 1-based ranks `ranks` (ascending, distinct) of the high-to-low
// order of `v` (not empty), as a full sort would place them, in O(n): the
// values go into buckets by a monotone map of the value (so every value of a
// higher bucket is higher), the bucket holding each rank is found from the
// counts, and the rank is selected among that bucket's values only.
std::vector<float> values_at_descending_ranks(std::span<const float> v, const std::vector<std::size_t>& ranks) {
  float lo = v[0], hi = v[0];
  for (float x : v) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  std::vector<float> out(ranks.size(), hi);
  if (!(hi > lo)) return out;  // all equal
  constexpr std::size_t kBuckets = 4096;
  const double scale = static_cast<double>(kBuckets - 1) / (static_cast<double>(hi) - static_cast<double>(lo));
  std::vector<std::uint16_t> bucket(v.size());
  for (std::size_t i = 0; i < v.size(); ++i)
    bucket[i] = static_cast<std::uint16_t>(std::min<double>(kBuckets - 1, (static_cast<double>(v[i]) - lo) * scale));
  std::vector<std::uint32_t> count(kBuckets, 0);
  for (std::uint16_t b : bucket) ++count[b];
  // For each rank: its bucket and its rank among that bucket's values (high to low).
  std::vector<int> slot_of(kBuckets, -1);
  std::vector<std::vector<float>> members;
  std::vector<std::pair<int, std::size_t>> where(ranks.size());
  std::size_t above = 0, r = 0;
  for (std::size_t b = kBuckets; b-- > 0 && r < ranks.size();) {
    while (r < ranks.size() && ranks[r] <= above + count[b]) {
      if (slot_of[b] < 0) {
        slot_of[b] = static_cast<int>(members.size());
        members.emplace_back();
        members.back().reserve(count[b]);
      }
      where[r] = {slot_of[b], ranks[r] - above};
      ++r;
    }
    above += count[b];
  }
  for (std::size_t i = 0; i < v.size(); ++i)
    if (const int s = slot_of[bucket[i]]; s >= 0) members[s].push_back(v[i]);
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    std::vector<float>& m = members[where[i].first];
    const auto at = m.begin() + static_cast<std::ptrdiff_t>(where[i].second - 1);
    std::nth_element(m.begin(), at, m.end(), std::greater<float>());
    out[i] = *at;
  }
  return out;
}

}  // namespace

std::size_t dx_rank(std::size_t n, double percent) {
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(percent / 100.0 * static_cast<double>(n) - 1e-9)));
  return std::min(rank, n);
}

double dx_gy(std::vector<float> doses, double percent) {
  if (doses.empty()) throw Error(ErrorCategory::internal, "dx_gy of an empty VOI");
  // The dose at that rank of the high-to-low order, the value a full sort would put there.
  return values_at_descending_ranks(doses, {dx_rank(doses.size(), percent)})[0];
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
  // Each Dx is the dose at its rank of the high-to-low order (the value a full sort would put there).
  std::vector<std::size_t> ranks;
  for (double x : request.d_percents) ranks.push_back(dx_rank(doses.size(), x));
  std::vector<std::size_t> wanted(ranks);
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  const std::vector<float> at = values_at_descending_ranks(doses, wanted);
  for (std::size_t i = 0; i < ranks.size(); ++i)
    m.d_at_percent.emplace_back(request.d_percents[i], at[std::lower_bound(wanted.begin(), wanted.end(), ranks[i]) - wanted.begin()]);
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
