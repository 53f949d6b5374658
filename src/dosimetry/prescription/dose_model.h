#pragma once
// From the patient's MAA SPECT and VOIs to absorbed dose per GBq administered,
// for each injection. Doses are linear in activity, so a plan (or a "what if")
// is the sum of these maps scaled by each injection's activity.
//
// Activity model for injection k with administered activity A_k:
//   lungs:      LSF·A_k, mean lung dose K·LSF·A_k / M_lung (package insert)
//   liver:      (1 − LSF)·η·A_k spread over the liver part of territory k
//   η           1 for calibration "liver_and_lungs"; for "field_of_view",
//               the share of the non-lung counts that lie in the liver
//               (extrahepatic uptake takes the rest)
// Approaches:
//   standard    uniform over the perfused liver (MIRD single compartment, η = 1)
//   partition   uniform per compartment: each tumour in the territory and the
//               perfused normal liver, tumour-to-normal ratios from counts/mL
//   voxel       activity ∝ counts per voxel; local deposition or kernel

#include <optional>
#include <string>
#include <vector>

#include "dosimetry/voxel/dose_kernel.h"
#include "dosimetry/planning/patient_data.h"
#include "dosimetry/voxel/voxel_dose.h"

namespace sirtkit::dosimetry {

enum class Approach { standard, partition, voxel };
enum class VoxelMethod { local_deposition, kernel };
enum class CountCalibration { liver_and_lungs, field_of_view };

const char* approach_name(Approach a);
const char* voxel_method_name(VoxelMethod m);
const char* calibration_name(CountCalibration c);

struct LungShunt {
  double fraction = 0;
  std::string method;  // "SPECT/CT VOI counts", "planar geometric mean", "stated"
};

struct Injection {
  std::string name;
  std::string territory;  // name of a VOI with role territory
};

struct DoseModelOptions {
  Approach approach = Approach::voxel;
  VoxelMethod voxel_method = VoxelMethod::local_deposition;
  CountCalibration calibration = CountCalibration::liver_and_lungs;
  double k_gy_kg_per_gbq = 0;
  std::optional<double> lung_mass_kg;  // stated; otherwise from the lung VOI on CT
  VoxelDoseOptions voxel;
  int threads = 2;
};

struct Quantification {
  double liver_counts = 0, lung_counts = 0, fov_counts = 0;
  double liver_retained_fraction = 1;         // η
  std::vector<double> territory_counts;       // per injection, in the liver
  double counts_in_liver_outside_territories_fraction = 0;
  double lung_mass_kg = 0;
  std::string lung_mass_source;
  std::vector<std::pair<std::string, double>> tn_ratios;  // tumour name, T/N vs its territory's normal liver
};

struct DoseModel {
  DoseModelOptions options;
  LungShunt lung_shunt;
  std::vector<Injection> injections;
  Quantification quantification;
  image::Volume<float> mass_kg;
  std::vector<image::Volume<float>> unit_dose_gy_per_gbq;  // one per injection
  double lung_dose_gy_per_gbq = 0;                          // mean, per GBq administered (any injection)
  std::vector<Voi> vois;       // input VOIs and derived ones (normal liver, perfused liver per injection)
  double hepatic_reserve_percent = 0;  // normal liver outside every territory, % of normal liver volume
  double excluded_energy_fraction = 0;
  std::optional<DoseKernel> kernel;    // when the kernel method ran

  const Voi& voi(const std::string& name) const;  // throws bad_input naming the VOI
};

// Names of the derived VOIs.
std::string normal_liver_name();
std::string perfused_liver_name(const std::string& injection);
std::string perfused_normal_liver_name(const std::string& injection);
// The normal-tissue reference of a tumour: the perfused normal liver of the
// injection that holds most of it, or the whole normal liver when no injection
// perfuses it (tumour-to-normal ratios of verify, the registry's planned
// normal-liver dose of an approved plan).
std::string normal_reference_name(const DoseModel& model, const image::Mask& tumour);

DoseModel build_dose_model(const PatientData& data, const std::vector<Injection>& injections,
                           const LungShunt& lung_shunt, const DoseModelOptions& options, const std::string& where);

// Σ_k A_k · unit_k, the administered activities in injection order.
image::Volume<float> combined_dose(const DoseModel& model, const std::vector<double>& administered_gbq);

// SPECT/CT lung shunt from the lung and liver VOIs.
LungShunt spect_lung_shunt_of(const PatientData& data, const std::string& where);

}  // namespace sirtkit::dosimetry
