#include "report/planning/plan_approval.h"

#include <fmt/format.h>

#include "core/date_time.h"

namespace sirtkit::report {
namespace {

using J = nlohmann::ordered_json;

J injections_json(const PlanView& plan) {
  J injections = J::array();
  const auto& e = plan.result.evaluation;
  for (std::size_t k = 0; k < e.administered_gbq.size(); ++k) {
    J inj = {{"name", plan.model.injections[k].name}, {"administered_gbq", e.administered_gbq[k]}, {"vial_gbq", nullptr},
             {"injection_time", nullptr}};
    if (k < plan.vials.size() && plan.vials[k].chosen) {
      inj["vial_gbq"] = plan.vials[k].chosen->vial_gbq;
      inj["injection_time"] = format_iso(plan.vials[k].chosen->injection_time);
    }
    injections.push_back(inj);
  }
  return injections;
}

J summary_json(const PlannedDosimetry& p, const PlanView& plan) {
  const auto& e = plan.result.evaluation;
  J short_of = J::array();
  for (const auto& g : e.goals)
    if (g.active && !g.met) short_of.push_back({{"label", g.label}, {"value_gy", g.value_gy}, {"limit_gy", g.limit_gy}, {"margin_gy", g.margin_gy}});
  return {{"status", dosimetry::plan_status_name(plan.result.status)},
          {"goals_met", e.goals_met},
          {"goals_not_met", short_of},
          {"index_tumour", p.index_tumour.empty() ? J(nullptr) : J(p.index_tumour)},
          {"planned_tumour_dose_gy", p.index_tumour.empty() ? J(nullptr) : J(p.tumour_mean_gy)},
          {"normal_reference", p.normal_reference},
          {"planned_normal_liver_dose_gy", p.normal_liver_mean_gy},
          {"planned_lung_dose_gy", p.lung_gy},
          {"lung_shunt_fraction_pct", p.lung_shunt_percent},
          {"planned_activity_gbq", p.total_activity_gbq},
          {"device", p.device},
          {"injections", injections_json(plan)}};
}

}  // namespace

PlanApprovalJson plan_approval_json(const PlannedDosimetry& planned, const PlanView& plan) {
  J inputs = J::array();
  for (const auto& f : plan.context.inputs) inputs.push_back({{"role", f.role}, {"name", f.name}, {"sha256", f.sha256}});
  return {nlohmann::json(plan.result.evaluation.administered_gbq).dump(), summary_json(planned, plan).dump(), inputs.dump()};
}

nlohmann::json stored_plan_approval_json(const ApprovalRecord& a) {
  const std::string base = fmt::format("/api/plans/{}/approvals/{}/", a.study_key, a.version);
  return {{"version", a.version},
          {"meaning", a.meaning},
          {"signed_by", a.signed_by},
          {"signed_at", a.signed_at},
          {"patient_id", a.patient_id},
          {"treatment_id", a.treatment_id},
          {"activity_gbq", nlohmann::json::parse(a.activity_gbq)},
          {"summary", nlohmann::json::parse(a.summary)},
          {"inputs", nlohmann::json::parse(a.inputs)},
          {"plan_sha256", a.plan_sha256},
          {"report_sha256", a.report_sha256},
          {"documents", {{"plan_json", base + "plan.json"}, {"report_html", base + "report.html"}, {"report_pdf", base + "report.pdf"}}}};
}

}  // namespace sirtkit::report
