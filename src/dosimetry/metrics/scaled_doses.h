#pragma once
// The doses of one VOI of a one-injection plan in ascending order, read
// without a pass over the voxels (several injections, whose order changes
// with the activities, are summarised in passes: dosimetry/metrics/dose_summary.h).
// Every voxel dose is
// float(a)·u_i, the injection's dose per GBq u_i scaled by the activity a and
// rounded to float, exactly as combined_dose rounds it (dosimetry/metrics/voi_doses.h).
// Rounding is monotone (x ≤ y gives float(a)·x ≤ float(a)·y for a ≥ 0), so the
// doses at any activity are in the order of the doses per GBq: sorted once,
// min, max, Dx, Vx and the cumulative DVH are read from that order (an index,
// or a search for where a threshold falls) instead of a pass over the voxels,
// and every value is the one a pass over float(a)·u_i would give, to the bit.
// The mass-weighted mean still sums the voxels in grid order (as dose_metrics
// does): a sum's rounding depends on its order.

#include <span>
#include <vector>

#include "dosimetry/metrics/dose_metrics.h"

namespace sirtkit::dosimetry {

class ScaledDoses {
 public:
  // `sorted_unit_gy_per_gbq`: the VOI's doses per GBq, ascending, not empty;
  // `administered_gbq` >= 0 (the caller checks). Keeps a view of the span.
  ScaledDoses(std::span<const float> sorted_unit_gy_per_gbq, double administered_gbq);

  std::size_t size() const { return sorted_.size(); }
  // The dose of the voxel at position j of the ascending order.
  float ascending(std::size_t j) const { return 0.f + a_ * sorted_[j]; }  // as VoiDoses::doses: 0 + float(a)·u
  float min_gy() const { return ascending(0); }
  float max_gy() const { return ascending(sorted_.size() - 1); }
  // dx_gy and vx_percent of dose_metrics.h.
  double dx_gy(double percent) const;
  double vx_percent(double threshold_gy) const;
  // cumulative_dvh of dose_metrics.h.
  std::vector<DvhPoint> cumulative_dvh(int bins) const;
  // dose_metrics of dose_metrics.h; `unit_gy_per_gbq` and `masses_kg` in grid order (for the mean).
  DoseMetrics metrics(std::span<const float> unit_gy_per_gbq, std::span<const float> masses_kg, double voxel_volume_ml,
                      const MetricRequest& request) const;
  // The same without the mean (left 0: the lungs' comes from the partition
  // formula), `mass_kg` the VOI's mass summed as dose_metrics sums it: no pass over the voxels.
  DoseMetrics metrics_but_mean(double mass_kg, double voxel_volume_ml, const MetricRequest& request) const;
  // The mass-weighted mean Σ m_i·D_i / Σ m_i summed in grid order, as dose_metrics sums it.
  double mean_gy(std::span<const float> unit_gy_per_gbq, std::span<const float> masses_kg) const;

 private:
  // The first ascending position whose dose satisfies `reached` (false below it, true from it on),
  // searched from a guess near it: `reached` must be monotone along the order.
  template <typename Reached>
  std::size_t first_reaching(std::size_t lo, std::size_t guess, Reached reached) const;

  std::span<const float> sorted_;
  float a_;
};

}  // namespace sirtkit::dosimetry
