#include "report/planning/plan_approval.h"

#include <gtest/gtest.h>

namespace sirtkit::report {
namespace {

dosimetry::Check goal(const std::string& label, double value, double limit, bool met, bool active) {
  dosimetry::Check g;
  g.label = label;
  g.value_gy = value;
  g.limit_gy = limit;
  g.met = met;
  g.active = active;
  g.margin_gy = value - limit;
  return g;
}

// Two injections, the first with its vial ordered; one active goal short of
// its minimum (listed), one met and one inactive short one (not listed).
TEST(PlanApprovalRender, StoredJsonKeepsKeyOrderAndListsActiveGoalsShortOfTheirLimit) {
  PlanContext c;
  c.inputs = {{"plan file", "plan.toml", "ab12"}, {"CT", "ct.nii.gz", "cd34"}};
  dosimetry::DoseModel model;
  model.injections = {{"right lobar", "right"}, {"segment 2", "left"}};
  dosimetry::PlanResult result;
  result.status = dosimetry::PlanStatus::what_if;
  result.evaluation.administered_gbq = {3.5, 1.25};
  result.evaluation.goals_met = false;
  result.evaluation.goals = {goal("index tumour mean >= 205 Gy", 180, 205, false, true), goal("other >= 100 Gy", 150, 100, true, true),
                             goal("inactive >= 300 Gy", 10, 300, false, false)};
  std::vector<dosimetry::VialChoice> vials(2);
  dosimetry::VialOption vial;
  vial.vial_gbq = 7;
  vial.injection_time = make_date_time(2026, 12, 7, 9, 30, 0, -300);
  vials[0].chosen = vial;
  const PlannedDosimetry planned{"index tumour", 180, "perfused normal liver: right lobar", 55.5, 12.25, 5.5, 4.75, "glass"};
  const PlanApprovalJson j = plan_approval_json(planned, PlanView{c, model, result, vials, nullptr});
  EXPECT_EQ(j.activity_gbq, "[3.5,1.25]");
  EXPECT_EQ(j.inputs, R"([{"role":"plan file","name":"plan.toml","sha256":"ab12"},{"role":"CT","name":"ct.nii.gz","sha256":"cd34"}])");
  EXPECT_EQ(j.summary,
            R"({"status":"what if","goals_met":false,)"
            R"("goals_not_met":[{"label":"index tumour mean >= 205 Gy","value_gy":180.0,"limit_gy":205.0,"margin_gy":-25.0}],)"
            R"("index_tumour":"index tumour","planned_tumour_dose_gy":180.0,"normal_reference":"perfused normal liver: right lobar",)"
            R"("planned_normal_liver_dose_gy":55.5,"planned_lung_dose_gy":12.25,"lung_shunt_fraction_pct":5.5,)"
            R"("planned_activity_gbq":4.75,"device":"glass","injections":[)"
            R"({"name":"right lobar","administered_gbq":3.5,"vial_gbq":7.0,"injection_time":"2026-12-07T09:30:00-05:00"},)"
            R"({"name":"segment 2","administered_gbq":1.25,"vial_gbq":null,"injection_time":null}]})");
}

TEST(PlanApprovalRender, NoTumourVoiLeavesTheTumourDoseNull) {
  PlanContext c;
  dosimetry::DoseModel model;
  dosimetry::PlanResult result;
  const std::vector<dosimetry::VialChoice> vials;
  PlannedDosimetry planned;
  planned.tumour_mean_gy = 99;  // not shown without an index tumour
  const PlanApprovalJson j = plan_approval_json(planned, PlanView{c, model, result, vials, nullptr});
  EXPECT_NE(j.summary.find(R"("index_tumour":null,"planned_tumour_dose_gy":null,)"), std::string::npos) << j.summary;
  EXPECT_NE(j.summary.find(R"("injections":[])"), std::string::npos) << j.summary;
  EXPECT_EQ(j.activity_gbq, "[]");
  EXPECT_EQ(j.inputs, "[]");
}

// GET /api/plans/{id}/approvals: the stored JSON texts come back parsed, with
// the URLs of the version's documents.
TEST(PlanApprovalRender, StoredApprovalParsesItsTextsAndLinksItsDocuments) {
  ApprovalRecord a;
  a.study_key = "0123456789abcdef";
  a.version = 2;
  a.patient_id = 7;
  a.treatment_id = 11;
  a.signed_by = "phys";
  a.signed_at = "2026-12-06T07:00:00Z";
  a.activity_gbq = "[3.5]";
  a.summary = R"({"status":"optimal"})";
  a.inputs = R"([{"role":"CT","name":"ct.nii.gz","sha256":"cd34"}])";
  a.plan_sha256 = "aa";
  a.report_sha256 = "bb";
  const nlohmann::json j = stored_plan_approval_json(a);
  EXPECT_EQ(j["activity_gbq"], nlohmann::json::array({3.5}));
  EXPECT_EQ(j["summary"]["status"], "optimal");
  EXPECT_EQ(j["inputs"][0]["sha256"], "cd34");
  EXPECT_EQ(j["meaning"], "approved");
  EXPECT_EQ(j["version"], 2);
  EXPECT_EQ(j["documents"]["report_pdf"], "/api/plans/0123456789abcdef/approvals/2/report.pdf");
  EXPECT_EQ(j["documents"]["plan_json"], "/api/plans/0123456789abcdef/approvals/2/plan.json");
  EXPECT_EQ(j.size(), 12u);
}

}  // namespace
}  // namespace sirtkit::report
