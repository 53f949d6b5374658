#pragma once
// What the numbers of a planning CT mean, and the check that they mean it.
// A CT given in g/mL (or attenuation coefficients, or HU stored with an
// offset) read as Hounsfield units turns lung into soft tissue and gives a
// wrong lung mass without a word; so a CT must look like what the plan says
// it is, or the plan is refused.

#include <string>

#include "image/volume.h"

namespace sirtkit::pipelines {

// [images] ct_units: "HU" (default; density through the HU calibration) or
// "g/mL" (the voxels are mass densities, used as they are).
enum class CtUnits { hounsfield, g_per_ml };

const char* ct_units_name(CtUnits units);

// The robust statistics the check looks at.
struct CtUnitsEvidence {
  double air_percentile = 0;  // 1st percentile of the whole CT
  double liver_median = 0;    // median of the CT at the liver VOI's voxels (or where the activity is)
  std::size_t liver_voxels = 0;
  std::string tissue = "liver";  // what liver_median describes, for the message
  double lung_median = 0;     // median at the lung VOIs' voxels, when there are any
  std::size_t lung_voxels = 0;
};

// `liver` and `lungs` are masks on the dose grid (`lungs` may be empty); the
// CT is sampled at the centre of each of their voxels (the CT voxel holding it).
CtUnitsEvidence ct_units_evidence(const image::Volume<float>& ct, const image::Mask& liver, const image::Mask& lungs);

// Without VOIs (sirtkit dose): the activity-weighted median of the CT stands
// for the liver (a Y-90 activity map is mostly liver: the lung shunt is below
// 20 % for any treated patient), so a CT in other units, offset (HU + 1000),
// or not covering the activity (the body mostly outside it) is refused.
// `activity` must share the CT's grid.
CtUnitsEvidence ct_units_evidence_from_activity(const image::Volume<float>& ct, const image::Volume<float>& activity);

// Refuses (exit 2) a CT that does not look like `units`, naming the file, the
// values found and what was expected:
//   HU:   1st percentile <= -900 HU (air is -1000 HU by the definition of the
//         scale), liver median within [-100, 250] HU, lung median <= -400 HU;
//   g/mL: 1st percentile <= 0.1 g/mL, liver median within [0.9, 1.3] g/mL,
//         lung median <= 0.6 g/mL.
// `declaration` tells how to state other units (the plan file's key, or the dose command's option).
void check_ct_units(const CtUnitsEvidence& evidence, CtUnits units, const std::string& file,
                    const std::string& declaration = "[images] ct_units = ");

}  // namespace sirtkit::pipelines
