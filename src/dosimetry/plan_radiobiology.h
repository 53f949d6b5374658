#pragma once
// The radiobiology of one VOI of a plan, voxel by voxel (radiobiology.h):
// voxels inside any VOI of role tumour take the tumour parameters, the rest
// the normal ones; NTCP (LKB) for the whole normal liver, TCP for each tumour.
// The lungs are uniform at the partition-formula lung dose, as everywhere else
// in the plan (the package-insert model), so their BED is the BED of that dose.

#include "dosimetry/dose_model.h"
#include "dosimetry/planner.h"
#include "dosimetry/radiobiology.h"

namespace sirtkit::dosimetry {

// Union of the VOIs with role tumour on the model's grid.
image::Mask tumour_mask(const DoseModel& model);

VoiRadiobiology plan_voi_radiobiology(const DoseModel& model, const Voi& voi, const image::Volume<float>& dose_gy,
                                      const image::Mask& tumours, const PlanRules& rules, double mean_dose_gy);

}  // namespace sirtkit::dosimetry
