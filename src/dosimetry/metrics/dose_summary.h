#pragma once
// The dose metrics and cumulative DVH of one VOI from its voxel doses, in a few
// passes and without sorting them: every number that dose_metrics and
// cumulative_dvh (dosimetry/metrics/dose_metrics.h) give, to the bit. For the doses of
// several injections, Σ a_k·u_k, whose order changes with the activities (a
// what-if of the planning workspace, issue 14; one injection reads its doses
// per GBq sorted once: dosimetry/scaled_doses.h).
//   1. The minimum and maximum (and whether every dose is finite).
//   2. In grid order: the mass-weighted mean summed as dose_metrics sums it;
//      each voxel counted in its DVH bin (cumulative_dvh's formula) and in a
//      finer bucket of an order-preserving key of its float bits (up to 4096
//      buckets from the minimum to the maximum).
//   3. Dx and Vx: the counts show which bucket holds each rank and each
//      threshold; only those buckets' doses are gathered, the rank selected
//      among them (nth_element) and the threshold counted there.
// A higher dose never has a lower bin or bucket, so every count above a
// bucket is exact and only the doses inside it need looking at.

#include <optional>
#include <span>
#include <vector>

#include "dosimetry/metrics/dose_metrics.h"

namespace sirtkit::dosimetry {

struct DoseSummary {
  DoseMetrics metrics;       // as dose_metrics(doses, masses, voxel_volume_ml, request)
  std::vector<DvhPoint> dvh;  // as cumulative_dvh(doses, dvh_bins)
};

// `doses_gy` not empty, `masses_kg` of the same voxels, `dvh_bins` >= 1.
// nullopt when a dose is not finite (dose_metrics and cumulative_dvh, passes
// over the voxels, then give NaN and infinities their place).
std::optional<DoseSummary> summarise_doses(std::span<const float> doses_gy, std::span<const float> masses_kg,
                                           double voxel_volume_ml, const MetricRequest& request, int dvh_bins);

}  // namespace sirtkit::dosimetry
