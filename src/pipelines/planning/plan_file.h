#pragma once
// The plan file (TOML): what a physicist writes to plan one patient. Every
// key carries its unit in its name; unknown keys are refused. The format is
// documented in docs/plan-file.md and exemplified by the demo patient.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dosimetry/prescription/devices.h"
#include "dosimetry/prescription/dose_model.h"
#include "dosimetry/prescription/lung_shunt.h"
#include "dosimetry/planning/planner.h"
#include "dosimetry/voxel/tissue_density.h"
#include "physics/y90.h"
#include "pipelines/planning/ct_units.h"

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
  CtUnits ct_units = CtUnits::hounsfield;       // what the CT's numbers are (checked when it gives density)
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

// The valid range of a number the user gives, shared by the plan file and the
// command line (plan, verify, dose) so that both refuse the same values.
struct NumberRange {
  double lo, hi;
  const char* what;
  bool lo_excluded = false;  // (lo, hi] instead of [lo, hi]
};
// Administered activity per injection (plan file activity_gbq, --activity):
// 10 MBq to 30 GBq, the largest glass vial being 20 GBq at calibration.
inline constexpr NumberRange kActivityRangeGbq{dosimetry::kMinAdministeredGbq, 30, "administered activity"};
// Hours from injection to a post-treatment scan, at most about 15 Y-90 half-lives.
inline constexpr NumberRange kScanHoursRange{0, 1000, "hours after injection"};
inline constexpr NumberRange kDensityRangeGPerMl{0.01, 3, "tissue density"};
inline constexpr NumberRange kDensityFloorRangeGPerMl{0, 0.5, "density floor"};
inline constexpr NumberRange kHalfLifeRangeH{60, 70, "Y-90 half-life"};
inline constexpr NumberRange kMeanBetaEnergyRangeMev{0.8, 1.1, "Y-90 mean beta energy"};
inline constexpr NumberRange kDoseConstantRange{45, 55, "dose constant"};
inline constexpr NumberRange kDoseRangeGy{0, 5000, "dose"};  // goals, constraints, Vx thresholds
inline constexpr NumberRange kPerfusedLiverDoseRangeGy{1, 1000, "perfused liver dose"};
inline constexpr NumberRange kDosePercentRange{0, 100, "Dx percentage", true};
inline constexpr NumberRange kAlphaBetaRangeGy{0.1, 100, "alpha/beta"};
inline constexpr NumberRange kRepairHalfTimeRangeH{0.01, 100, "repair half-time"};

// Returns `value` when it is a finite number within [lo, hi]; otherwise
// refuses (NaN, infinities, out of range) naming where, field and value.
double check_in_range(double value, const NumberRange& range, const std::string& where, const std::string& field);

}  // namespace sirtkit::pipelines
