#pragma once
// The job "dose from an activity image": absorbed dose (Gy) per voxel from a
// Y-90 activity distribution, by local deposition or kernel convolution, with
// tissue mass from a CT or a stated density. No plan file needed.

#include <filesystem>
#include <optional>
#include <string>

#include "image/volume.h"
#include "pipelines/planning/ct_units.h"
#include "pipelines/planning/dose_calculators.h"
#include "report/planning/dose_calculations.h"

namespace sirtkit::pipelines {

enum class ActivityUnits { gbq_per_voxel, bq_per_ml, counts };

struct DoseMapOptions {
  std::filesystem::path activity;
  ActivityUnits units = ActivityUnits::gbq_per_voxel;
  std::optional<double> total_gbq;              // counts: the activity the image is calibrated to
  std::optional<double> hours_after_injection;  // bq_per_ml: decay-correct back to the injection
  std::optional<std::filesystem::path> ct;      // HU → density; the grids must match
  CtUnits ct_units = CtUnits::hounsfield;       // what the CT's numbers are (checked: pipelines/planning/ct_units.h)
  std::optional<double> density_g_per_ml;       // or a stated uniform density
  bool kernel = false;
  DoseConstantChoice dose_constant;
  double min_density_g_per_ml = 0.05;
};

struct DoseMapResult {
  image::Volume<float> dose_gy;
  report::DoseMapCalculation summary;  // rendered by report::dose_map_output
};

DoseMapResult dose_map(const DoseMapOptions& options);

ActivityUnits parse_activity_units(const std::string& text);

}  // namespace sirtkit::pipelines
