#pragma once
// Text and JSON of the quick calculations (`sirtkit calc mird | partition |
// decay | bsa | bed`, `sirtkit dvh`, `sirtkit dose`) from the values
// pipelines/planning/dose_calculators and dose_map return.

#include <optional>
#include <string>
#include <vector>

#include "dosimetry/prescription/bsa_method.h"
#include "dosimetry/metrics/dose_metrics.h"
#include "report/command_output.h"

namespace sirtkit::report {

struct DoseConstantUsed {
  double k_gy_kg_per_gbq = 0;
  std::string source;  // "stated", or how it was computed
};

struct MirdCalculation {
  double dose_gy = 0, mass_kg = 0, lung_shunt_fraction = 0, residual_fraction = 0, lung_mass_kg = 0;
  DoseConstantUsed k;
  double vial_activity_gbq = 0, administered_gbq = 0, lung_dose_gy = 0;
};
CommandOutput mird_output(const MirdCalculation& c);

struct TumourDose {
  std::string name;
  double mass_kg = 0, tn_ratio = 0, dose_gy = 0;
};
struct PartitionCalculation {
  double administered_gbq = 0, lung_shunt_fraction = 0, normal_mass_kg = 0, lung_mass_kg = 0;
  DoseConstantUsed k;
  std::vector<TumourDose> tumours;
  double normal_dose_gy = 0, lung_dose_gy = 0;
};
CommandOutput partition_output(const PartitionCalculation& c);

// Activity after `hours`, or (with to_gbq) the hours until it reaches to_gbq.
struct DecayCalculation {
  double activity_gbq = 0, half_life_h = 0;
  double hours = 0;
  std::optional<double> to_gbq;  // set: hours is the answer
  double decay_factor = 0;       // without to_gbq
};
CommandOutput decay_output(const DecayCalculation& c);

struct BsaCalculation {
  dosimetry::BsaPrescription prescription;
  double mosteller_bsa_m2 = 0;
  double perfused_fraction = 1;
};
CommandOutput bsa_output(const BsaCalculation& c);

struct BedCalculation {
  double dose_gy = 0, alpha_beta_gy = 0, repair_half_time_h = 0, half_life_h = 0, bed_gy = 0;
};
CommandOutput bed_output(const BedCalculation& c);

// Volume-weighted dose-volume metrics of named VOIs of one dose map.
struct DvhCalculation {
  std::string dose_file;
  std::vector<double> d_percents, v_gy;  // the Dx and Vx columns asked for
  std::vector<std::pair<std::string, dosimetry::DoseMetrics>> vois;
};
CommandOutput dvh_output(const DvhCalculation& c);

// The summary of a dose map from an activity image (`sirtkit dose`).
struct DoseMapCalculation {
  std::string activity_file;
  std::string calibration;     // how the image became GBq per voxel
  double total_gbq = 0;        // administered activity in the image
  std::string density_source;  // the CT's calibration, or the stated density
  bool kernel = false;         // dose-voxel kernel, else local deposition
  std::string kernel_source;   // the kernel's source ("" for local deposition)
  DoseConstantUsed k;
  double absorbed_energy_j = 0, max_dose_gy = 0;
  double energy_below_density_floor_fraction = 0;  // of the energy, in voxels lighter than min_density_g_per_ml
  double min_density_g_per_ml = 0;
};
CommandOutput dose_map_output(const DoseMapCalculation& c);

}  // namespace sirtkit::report
