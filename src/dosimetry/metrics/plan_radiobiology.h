#pragma once
// The radiobiology of one VOI of a plan, voxel by voxel (radiobiology.h):
// voxels inside any VOI of role tumour take the tumour parameters, the rest
// the normal ones; NTCP (LKB) for the whole normal liver, TCP for each tumour.
// The lungs are uniform at the partition-formula lung dose, as everywhere else
// in the plan (the package-insert model), so their BED is the BED of that dose.

#include "dosimetry/prescription/dose_model.h"
#include "dosimetry/planning/planner.h"
#include "dosimetry/metrics/radiobiology.h"

namespace sirtkit::dosimetry {

// Union of the VOIs with role tumour on the model's grid.
image::Mask tumour_mask(const DoseModel& model);

// `doses_gy`, `masses_kg` and `is_tumour` (inside tumour_mask) hold the VOI's voxels only (dosimetry/metrics/voi_doses.h).
VoiRadiobiology plan_voi_radiobiology(const Voi& voi, std::span<const float> doses_gy, std::span<const float> masses_kg,
                                      std::span<const std::uint8_t> is_tumour, const PlanRules& rules, double mean_dose_gy,
                                      double voxel_volume_ml);

}  // namespace sirtkit::dosimetry
