#pragma once
// Quick dosimetry calculations for the command line (`sirtkit calc ...`,
// `sirtkit dvh`): each validates its inputs, naming the option, and returns
// every number (report/planning/dose_calculations renders them).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "report/planning/dose_calculations.h"

namespace sirtkit::pipelines {

struct DoseConstantChoice {
  std::optional<double> k_gy_kg_per_gbq;  // stated; otherwise from the Y-90 data below
  double half_life_h = 64.1;
  double mean_energy_mev = 0.9367;
};

report::MirdCalculation calc_mird(double dose_gy, double mass_kg, double lung_shunt_fraction, double residual_fraction,
                     double lung_mass_kg, const DoseConstantChoice& k);

struct TumourArg {
  std::string name;
  double mass_kg = 0;
  double tn_ratio = 0;
};
// "name:mass_kg:tn" as typed on the command line.
TumourArg parse_tumour_arg(const std::string& text);

report::PartitionCalculation calc_partition(double administered_gbq, double lung_shunt_fraction, const std::vector<TumourArg>& tumours,
                          double normal_mass_kg, double lung_mass_kg, const DoseConstantChoice& k);

// Either `hours` (activity after that time) or `to_gbq` (time to reach it).
report::DecayCalculation calc_decay(double activity_gbq, std::optional<double> hours, std::optional<double> to_gbq, double half_life_h);

// `liver_ml` is the whole liver including the tumours.
report::BsaCalculation calc_bsa(double height_m, double weight_kg, double tumour_ml, double liver_ml, double perfused_fraction,
                    double lung_shunt_fraction);

report::BedCalculation calc_bed(double dose_gy, double alpha_beta_gy, double repair_half_time_h, double half_life_h);

// Dose-volume metrics of a dose map (Gy) over masks ("name=file") and/or
// label groups of a label map ("name=1,2"), volume-weighted (uniform density).
report::DvhCalculation calc_dvh(const std::filesystem::path& dose, const std::vector<std::string>& masks,
                    const std::optional<std::filesystem::path>& labels, const std::vector<std::string>& label_vois,
                    const std::vector<double>& d_percents, const std::vector<double>& v_gy);

}  // namespace sirtkit::pipelines
