#include "report/planning/dose_calculations.h"

#include <fmt/format.h>

namespace sirtkit::report {
namespace {

using nlohmann::json;
using Rows = std::vector<std::pair<std::string, std::string>>;

// One "label   value" line per row.
std::string rows_text(const Rows& rows) {
  std::string text;
  for (const auto& [label, value] : rows) text += fmt::format("{:<34} {}\n", label, value);
  return text;
}

std::string constant_text(const DoseConstantUsed& k) { return fmt::format("{:.4f} Gy·kg/GBq ({})", k.k_gy_kg_per_gbq, k.source); }

}  // namespace

CommandOutput mird_output(const MirdCalculation& c) {
  json j{{"method", "MIRD single compartment (package insert)"}, {"dose_gy", c.dose_gy}, {"mass_kg", c.mass_kg},
         {"lung_shunt_fraction", c.lung_shunt_fraction}, {"residual_fraction", c.residual_fraction}, {"lung_mass_kg", c.lung_mass_kg},
         {"dose_constant_gy_kg_per_gbq", c.k.k_gy_kg_per_gbq}, {"dose_constant_source", c.k.source},
         {"vial_activity_at_injection_gbq", c.vial_activity_gbq}, {"administered_gbq", c.administered_gbq}, {"lung_dose_gy", c.lung_dose_gy}};
  return {j, rows_text({{"dose constant", constant_text(c.k)},
                        {"vial activity at injection", fmt::format("{:.4f} GBq", c.vial_activity_gbq)},
                        {"administered (after residual)", fmt::format("{:.4f} GBq", c.administered_gbq)},
                        {"lung dose", fmt::format("{:.3f} Gy", c.lung_dose_gy)}})};
}

CommandOutput partition_output(const PartitionCalculation& c) {
  json j{{"method", "partition model"}, {"administered_gbq", c.administered_gbq}, {"lung_shunt_fraction", c.lung_shunt_fraction},
         {"dose_constant_gy_kg_per_gbq", c.k.k_gy_kg_per_gbq}, {"dose_constant_source", c.k.source}, {"normal_mass_kg", c.normal_mass_kg},
         {"normal_dose_gy", c.normal_dose_gy}, {"lung_mass_kg", c.lung_mass_kg}, {"lung_dose_gy", c.lung_dose_gy}};
  Rows rows{{"dose constant", constant_text(c.k)}};
  j["tumours"] = json::array();
  for (const auto& t : c.tumours) {
    j["tumours"].push_back({{"name", t.name}, {"mass_kg", t.mass_kg}, {"tn_ratio", t.tn_ratio}, {"dose_gy", t.dose_gy}});
    rows.emplace_back("tumour " + t.name, fmt::format("{:.3f} Gy", t.dose_gy));
  }
  rows.emplace_back("normal perfused liver", fmt::format("{:.3f} Gy", c.normal_dose_gy));
  rows.emplace_back("lungs", fmt::format("{:.3f} Gy", c.lung_dose_gy));
  return {j, rows_text(rows)};
}

CommandOutput decay_output(const DecayCalculation& c) {
  json j{{"activity_gbq", c.activity_gbq}, {"half_life_h", c.half_life_h}, {"hours", c.hours}};
  if (c.to_gbq) {
    j["to_gbq"] = *c.to_gbq;
    return {j, rows_text({{"hours until reached",
                           fmt::format("{:.3f} h{}", c.hours, c.hours < 0 ? " (before the reference: it is never reached by decay)" : "")}})};
  }
  j["decay_factor"] = c.decay_factor;
  j["activity_after_gbq"] = c.activity_gbq * c.decay_factor;
  return {j, rows_text({{"decay factor", fmt::format("{:.6f}", c.decay_factor)},
                        {"activity", fmt::format("{:.4f} GBq", c.activity_gbq * c.decay_factor)}})};
}

CommandOutput bsa_output(const BsaCalculation& c) {
  const dosimetry::BsaPrescription& p = c.prescription;
  json j{{"method", "BSA (SIR-Spheres IFU)"}, {"bsa_m2", p.bsa_m2}, {"bsa_formula", "Du Bois"}, {"mosteller_bsa_m2", c.mosteller_bsa_m2},
         {"whole_liver_activity_gbq", p.whole_liver_activity_gbq}, {"perfused_fraction", c.perfused_fraction},
         {"lung_shunt_rule", p.reduction.rule}, {"lung_shunt_factor", p.reduction.factor},
         {"treatment_allowed", p.reduction.treatment_allowed}, {"activity_gbq", p.activity_gbq}};
  return {j, rows_text({{"BSA (Du Bois)", fmt::format("{:.4f} m² (Mosteller {:.4f})", p.bsa_m2, c.mosteller_bsa_m2)},
                        {"whole-liver activity", fmt::format("{:.4f} GBq", p.whole_liver_activity_gbq)},
                        {"lung shunt", p.reduction.rule},
                        {"activity", p.reduction.treatment_allowed ? fmt::format("{:.4f} GBq", p.activity_gbq) : "no treatment"}})};
}

CommandOutput bed_output(const BedCalculation& c) {
  json j{{"method", "BED, permanent implant (Dale 1985)"}, {"dose_gy", c.dose_gy}, {"alpha_beta_gy", c.alpha_beta_gy},
         {"repair_half_time_h", c.repair_half_time_h}, {"half_life_h", c.half_life_h}, {"bed_gy", c.bed_gy}};
  return {j, rows_text({{"BED", fmt::format("{:.3f} Gy", c.bed_gy)}})};
}

CommandOutput dvh_output(const DvhCalculation& c) {
  json j{{"dose_file", c.dose_file}, {"weighting", "volume (uniform density)"}, {"vois", json::array()}};
  std::string text = fmt::format("{:<24} {:>9} {:>8} {:>8} {:>8}", "VOI", "volume mL", "mean Gy", "min", "max");
  for (double x : c.d_percents) text += fmt::format(" {:>7}", fmt::format("D{}", x));
  for (double x : c.v_gy) text += fmt::format(" {:>7}", fmt::format("V{}", x));
  text += "\n";
  for (const auto& [name, r] : c.vois) {
    json jd = json::object(), jv = json::object();
    text += fmt::format("{:<24} {:9.2f} {:8.2f} {:8.2f} {:8.2f}", name.substr(0, 24), r.volume_ml, r.mean_gy, r.min_gy, r.max_gy);
    for (const auto& [x, val] : r.d_at_percent) {
      jd[fmt::format("D{}", x)] = val;
      text += fmt::format(" {:7.2f}", val);
    }
    for (const auto& [x, val] : r.v_at_gy) {
      jv[fmt::format("V{}", x)] = val;
      text += fmt::format(" {:6.2f}%", val);
    }
    text += "\n";
    j["vois"].push_back({{"name", name}, {"voxels", r.voxels}, {"volume_ml", r.volume_ml}, {"mean_gy", r.mean_gy},
                         {"min_gy", r.min_gy}, {"max_gy", r.max_gy}, {"d_gy", jd}, {"v_percent", jv}});
  }
  return {j, text};
}

CommandOutput dose_map_output(const DoseMapCalculation& c) {
  json j{{"activity_file", c.activity_file}, {"calibration", c.calibration}, {"total_gbq", c.total_gbq}, {"density", c.density_source},
         {"method", c.kernel ? "dose-voxel kernel" : "local deposition"}, {"kernel", c.kernel_source},
         {"dose_constant_gy_kg_per_gbq", c.k.k_gy_kg_per_gbq}, {"dose_constant_source", c.k.source}, {"absorbed_energy_j", c.absorbed_energy_j},
         {"max_dose_gy", c.max_dose_gy}, {"energy_below_density_floor_fraction", c.energy_below_density_floor_fraction}};
  std::string text = fmt::format("{:<30} {:.6g} GBq ({})\n{:<30} {}\n{:<30} {}{}\n{:<30} {:.4f} Gy·kg/GBq ({})\n{:<30} {:.6g} J\n{:<30} {:.2f} Gy\n",
                                 "activity", c.total_gbq, c.calibration, "density", c.density_source, "method",
                                 c.kernel ? "dose-voxel kernel: " : "local deposition", c.kernel_source, "dose constant", c.k.k_gy_kg_per_gbq,
                                 c.k.source, "absorbed energy", c.absorbed_energy_j, "maximum dose", c.max_dose_gy);
  if (c.energy_below_density_floor_fraction > 0)
    text += fmt::format("{:<30} {:.4f} % of the energy (voxels below {} g/mL get no dose)\n", "below density floor",
                        100 * c.energy_below_density_floor_fraction, c.min_density_g_per_ml);
  return {j, text};
}

}  // namespace sirtkit::report
