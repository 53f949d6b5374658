#pragma once
// The plan file (TOML): what a physicist writes to plan one patient. Every
// key carries its unit in its name; unknown keys are refused. The format is
// documented in docs/plan-file.md and exemplified by the demo patient.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dosimetry/devices.h"
#include "dosimetry/dose_model.h"
#include "dosimetry/lung_shunt.h"
#include "dosimetry/planner.h"
#include "dosimetry/tissue_density.h"
#include "physics/y90.h"

namespace sirtkit::pipelines {

struct VoiSpec {
  std::string name;
  dosimetry::VoiRole role = dosimetry::VoiRole::other;
  std::vector<int> labels;                      // from the label map, or
  std::optional<std::filesystem::path> mask;    // a mask file of its own, or
  std::optional<std::filesystem::path> rtstruct;  // a DICOM RTSTRUCT and the ROI name in it
  std::string roi;
  std::optional<double> density_g_per_ml;       // stated density (density.method = "stated")
};

struct PlanSpec {
  std::filesystem::path file;
  std::string patient_id;
  std::optional<double> height_m, weight_kg;

  std::filesystem::path ct, spect;             // NIfTI files or DICOM folders
  std::string ct_series_uid, spect_series_uid;  // which series, when a DICOM folder holds several
  std::optional<std::filesystem::path> labels;
  bool resample = false;                        // resample CT/labels/masks onto the SPECT grid
  std::optional<double> dose_grid_spacing_mm;   // resample everything onto this cubic spacing

  std::vector<VoiSpec> vois;

  std::string density_method = "ct";            // "ct" or "stated"
  dosimetry::HuDensityCalibration hu_calibration;
  double default_density_g_per_ml = dosimetry::kLiverDensityInsertGPerMl;

  std::string lung_shunt_method = "spect";      // "spect", "planar", "stated"
  std::optional<double> stated_lung_shunt_fraction;
  std::optional<dosimetry::PlanarCounts> planar_counts;

  enum class Method { standard, partition, voxel, bsa } method = Method::voxel;
  dosimetry::DoseModelOptions model;
  physics::NuclideData nuclide;
  std::string dose_constant_source;

  dosimetry::Device device;
  dosimetry::TreatmentWindow window;

  std::vector<dosimetry::Injection> injections;
  dosimetry::PlanRules rules;
};

PlanSpec read_plan_file(const std::filesystem::path& path);

}  // namespace sirtkit::pipelines
