#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/csv_text.h"
#include "core/date_time.h"
#include "report/planning/plan_report.h"

namespace sirtkit::report {
namespace {

using nlohmann::json;

json finite_or_null(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

json check_json(const dosimetry::Check& c) {
  json j{{"label", c.label}, {"value_gy", c.value_gy}, {"limit_gy", c.limit_gy}, {"met", c.met}, {"active", c.active},
         {"margin_gy", c.margin_gy}, {"binding", c.binding}, {"goal_gy_per_limit_gy", c.goal_gy_per_limit_gy}};
  j["aim_gy"] = c.aim_gy ? json(*c.aim_gy) : json(nullptr);
  return j;
}

json vial_option_json(const dosimetry::VialOption& o) {
  return {{"vial_gbq", o.vial_gbq},
          {"hours_after_calibration", o.hours_after_calibration},
          {"injection_time", format_iso(o.injection_time)},
          {"vial_activity_at_injection_gbq", o.vial_activity_at_injection_gbq},
          {"draw_fraction", o.draw_fraction},
          {"usable", o.usable},
          {"reason", o.reason}};
}

json vial_choice_json(const dosimetry::VialChoice& v) {
  json options = json::array();
  for (const auto& o : v.options) options.push_back(vial_option_json(o));
  return {{"needed_vial_activity_gbq", v.needed_vial_activity_gbq},
          {"chosen", v.chosen ? vial_option_json(*v.chosen) : json(nullptr)},
          {"options", options}};
}

// A VOI's dose metrics (the radiobiology and the DVH are added by the caller).
json voi_metrics_json(const dosimetry::VoiResult& v) {
  json d = json::object(), vx = json::object();
  for (const auto& [x, val] : v.metrics.d_at_percent) d[fmt::format("D{}", x)] = val;
  for (const auto& [x, val] : v.metrics.v_at_gy) vx[fmt::format("V{}", x)] = val;
  return {{"name", v.name}, {"role", v.role}, {"voxels", v.metrics.voxels}, {"volume_ml", v.metrics.volume_ml},
          {"mass_kg", v.metrics.mass_kg}, {"mean_gy", v.metrics.mean_gy}, {"min_gy", v.metrics.min_gy},
          {"max_gy", v.metrics.max_gy}, {"d_gy", d}, {"v_percent", vx}};
}

// Status, injections (with `all_injection_fields`: territory and the optimum's
// bounds too), lung dose, goals and constraints: the parts of sirtkit.plan/1
// that the activities change, and the injections' fixed fields.
void decision_json(json& j, const PlanView& p, bool all_injection_fields) {
  const auto& m = p.model;
  const auto& r = p.result;
  const auto& e = r.evaluation;
  j["status"] = dosimetry::plan_status_name(r.status);
  j["deliverable"] = dosimetry::plan_status_deliverable(r.status);
  j["exit_code"] = dosimetry::plan_status_deliverable(r.status) ? 0 : 3;
  j["findings"] = r.findings;
  json injections = json::array();
  for (std::size_t k = 0; k < m.injections.size(); ++k) {
    json inj = {{"name", m.injections[k].name}, {"aim_gbq", r.aim_gbq[k]}, {"administered_gbq", e.administered_gbq[k]}};
    if (all_injection_fields) {
      const bool bounded = k < r.bounds.size();
      inj["territory"] = m.injections[k].territory;
      inj["keeps_constraints_up_to_gbq"] = bounded ? finite_or_null(r.bounds[k].keeps_constraints_up_to_gbq) : json(nullptr);
      inj["keeps_constraints_set_by"] = bounded ? json(r.bounds[k].set_by) : json(nullptr);
      inj["meets_goals_from_gbq"] = bounded ? finite_or_null(r.bounds[k].meets_goals_from_gbq) : json(nullptr);
    }
    inj["vial"] = vial_choice_json(p.vials[k]);
    injections.push_back(std::move(inj));
  }
  j["injections"] = std::move(injections);
  j["lung"] = {{"dose_gy", e.lung_dose_gy}, {"cumulative_gy", e.lung_cumulative_gy}};
  json goals = json::array(), constraints = json::array();
  for (const auto& g : e.goals) goals.push_back(check_json(g));
  for (const auto& c : e.constraints) constraints.push_back(check_json(c));
  j["goals"] = std::move(goals);
  j["constraints"] = std::move(constraints);
  j["goals_met"] = e.goals_met;
  j["constraints_met"] = e.constraints_met;
}

// The DVH as voxel counts: {step_gy, voxels_at_or_above} when every point is
// exactly b·step_gy and 100·count/voxels (as dosimetry/metrics/dose_metrics.h computes
// them, and as a browser recomputes them in double), else the two arrays.
json compact_dvh_json(const dosimetry::VoiResult& v) {
  const auto n = static_cast<double>(v.metrics.voxels);
  const double step = v.dvh.size() > 1 ? v.dvh[1].dose_gy : 0.0;
  json counts = json::array();
  bool exact = v.metrics.voxels > 0;
  for (std::size_t b = 0; exact && b < v.dvh.size(); ++b) {
    const double c = std::round(v.dvh[b].volume_percent * n / 100.0);
    exact = static_cast<double>(b) * step == v.dvh[b].dose_gy && 100.0 * c / n == v.dvh[b].volume_percent;
    counts.push_back(static_cast<std::uint64_t>(c));
  }
  if (exact) return {{"step_gy", step}, {"voxels_at_or_above", std::move(counts)}};
  json dose = json::array(), volume = json::array();
  for (const auto& pt : v.dvh) {
    dose.push_back(pt.dose_gy);
    volume.push_back(pt.volume_percent);
  }
  return {{"dose_gy", std::move(dose)}, {"volume_percent", std::move(volume)}};
}

}  // namespace

json what_if_json_value(const PlanView& p) {
  json j;
  j["schema"] = "sirtkit.what-if/1";
  decision_json(j, p, false);
  json vois = json::array();
  for (const auto& v : p.result.evaluation.vois) {
    json voi = voi_metrics_json(v);
    voi["dvh"] = compact_dvh_json(v);
    vois.push_back(std::move(voi));
  }
  j["vois"] = std::move(vois);
  return j;
}

json plan_json_value(const PlanView& p) {
  const auto& m = p.model;
  const auto& r = p.result;
  const auto& e = r.evaluation;
  const auto& q = m.quantification;
  json j;
  j["schema"] = "sirtkit.plan/1";
  j["patient_id"] = p.context.patient_id;
  j["plan_file"] = p.context.plan_file;
  j["generated_utc"] = p.context.generated_utc;
  j["operator"] = p.context.operator_name.empty() ? json(nullptr) : json(p.context.operator_name);
  if (const auto& sig = p.context.signature)
    j["signature"] = {{"signed_by", sig->signed_by}, {"role", sig->role}, {"signed_utc", sig->signed_utc}, {"meaning", sig->meaning},
                      {"version", sig->version}};
  j["inputs"] = json::array();
  for (const auto& f : p.context.inputs) j["inputs"].push_back({{"role", f.role}, {"name", f.name}, {"sha256", f.sha256}});
  j["solver"] = r.solver;
  j["notes"] = p.context.notes;
  j["method"] = {{"approach", p.context.approach},
                 {"voxel_method", m.options.approach == dosimetry::Approach::voxel ? json(dosimetry::voxel_method_name(m.options.voxel_method)) : json(nullptr)},
                 {"calibration", dosimetry::calibration_name(m.options.calibration)},
                 {"dose_constant_gy_kg_per_gbq", m.options.k_gy_kg_per_gbq},
                 {"dose_constant_source", p.context.dose_constant_source},
                 {"half_life_h", p.context.half_life_h},
                 {"mean_beta_energy_mev", p.context.mean_energy_mev},
                 {"min_density_g_per_ml", m.options.voxel.min_density_g_per_ml},
                 {"device", p.context.device}};
  j["method"]["kernel"] = m.kernel ? json{{"source", m.kernel->source}, {"voxel_mm", m.kernel->voxel_mm},
                                          {"table_energy_mev", m.kernel->table_energy_mev}, {"half_width_voxels", m.kernel->half}}
                                   : json(nullptr);
  json tn = json::array();
  for (const auto& [name, ratio] : q.tn_ratios) tn.push_back({{"tumour", name}, {"ratio", ratio}});
  j["quantification"] = {{"lung_shunt_fraction", m.lung_shunt.fraction},
                         {"lung_shunt_method", m.lung_shunt.method},
                         {"lung_mass_kg", q.lung_mass_kg},
                         {"lung_mass_source", q.lung_mass_source},
                         {"liver_counts", q.liver_counts},
                         {"lung_counts", q.lung_counts},
                         {"fov_counts", q.fov_counts},
                         {"liver_retained_fraction", q.liver_retained_fraction},
                         {"liver_counts_outside_territories_fraction", q.counts_in_liver_outside_territories_fraction},
                         {"tn_ratios", tn},
                         {"hepatic_reserve_percent", m.hepatic_reserve_percent},
                         {"energy_below_density_floor_fraction", m.excluded_energy_fraction}};
  if (p.context.bsa)
    j["bsa"] = {{"bsa_m2", p.context.bsa->bsa_m2},
                {"whole_liver_activity_gbq", p.context.bsa->whole_liver_activity_gbq},
                {"lung_shunt_rule", p.context.bsa->reduction.rule},
                {"lung_shunt_factor", p.context.bsa->reduction.factor}};
  decision_json(j, p, true);
  j["scale"] = {{"min", finite_or_null(r.scale_min)}, {"max", finite_or_null(r.scale_max)}, {"binding_constraint", r.binding_constraint}};
  json vois = json::array();
  for (const auto& v : e.vois) {
    json dvh_dose = json::array(), dvh_volume = json::array();
    for (const auto& pt : v.dvh) {
      dvh_dose.push_back(pt.dose_gy);
      dvh_volume.push_back(pt.volume_percent);
    }
    json voi = voi_metrics_json(v);
    voi["bed_mean_gy"] = v.radiobiology.bed_mean_gy;
    voi["bed_of_mean_dose_gy"] = v.radiobiology.bed_of_mean_dose_gy;
    voi["eud_gy"] = v.radiobiology.eud_gy;
    voi["eubed_gy"] = v.radiobiology.eubed_gy;
    voi["tumour_voxel_fraction"] = v.radiobiology.tumour_voxel_fraction;
    voi["ntcp_fraction"] = v.radiobiology.ntcp ? json(*v.radiobiology.ntcp) : json(nullptr);
    voi["tcp_fraction"] = v.radiobiology.tcp ? json(*v.radiobiology.tcp) : json(nullptr);
    voi["dvh"] = {{"dose_gy", std::move(dvh_dose)}, {"volume_percent", std::move(dvh_volume)}};
    vois.push_back(std::move(voi));
  }
  j["vois"] = vois;
  auto rb = [](const dosimetry::RadiobiologyParameters& x) {
    return json{{"alpha_beta_gy", x.alpha_beta_gy}, {"repair_half_time_h", x.repair_half_time_h}, {"alpha_per_gy", x.alpha_per_gy}};
  };
  const auto& ntcp = p.context.liver_ntcp;
  const auto& tcp = p.context.tumour_tcp;
  j["radiobiology"] = {{"tumour", rb(p.context.tumour_radiobiology)},
                       {"normal", rb(p.context.normal_radiobiology)},
                       {"liver_ntcp", {{"model", "Lyman-Kutcher-Burman on BED, whole normal liver"},
                                       {"td50_gy", ntcp.td50_gy}, {"m", ntcp.m}, {"n", ntcp.n}}},
                       {"tumour_tcp", {{"model", "LQ Poisson on BED"}, {"alpha_per_gy", tcp.alpha_per_gy},
                                       {"clonogen_density_per_ml", tcp.clonogen_density_per_ml}}}};
  j["elapsed_s"] = p.context.elapsed_s;
  return j;
}

std::string plan_json(const PlanView& p) { return plan_json_value(p).dump(2) + "\n"; }

std::string dvh_csv(const dosimetry::Evaluation& e) {
  std::string s = "voi,dose_gy,volume_percent\n";
  for (const auto& v : e.vois) {
    const std::string name = csv_field(v.name);
    for (const auto& pt : v.dvh) s += fmt::format("{},{},{}\n", name, pt.dose_gy, pt.volume_percent);
  }
  return s;
}

}  // namespace sirtkit::report
