// End-to-end planning of the digital demo patient, with analytic checks of
// each approach and the planner's verdicts.
#include "pipelines/planning/plan_patient.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "dosimetry/prescription/bsa_method.h"
#include "dosimetry/prescription/mird.h"
#include "io/image/nifti.h"
#include "pipelines/planning/phantom.h"
#include "report/planning/plan_report.h"

#include <fmt/format.h>

namespace sirtkit::pipelines {
namespace {

namespace fs = std::filesystem;

class PlanDemo : public ::testing::Test {
 protected:
  // One folder per process: ctest runs the tests of this suite in parallel processes.
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_plan_test_" + std::to_string(::getpid())); }
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    write_phantom(dir());
  }
  // The demo plan with `from` replaced by `to`, written beside it.
  static fs::path variant(const std::string& name, const std::string& from, const std::string& to,
                          const std::string& base = "plan.toml") {
    std::string text = read_text_file(dir() / base);
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    const fs::path p = dir() / name;
    write_file_atomic(p, text);
    return p;
  }
  static const dosimetry::VoiResult& voi(const PlanOutcome& o, const std::string& name) {
    for (const auto& v : o.result.evaluation.vois)
      if (v.name == name) return v;
    throw std::runtime_error("no VOI " + name);
  }
  static double energy_j(const PlanOutcome& o) {
    double e = 0;
    for (std::size_t i = 0; i < o.dose_gy.data.size(); ++i) e += o.dose_gy.data[i] * o.model.mass_kg.data[i];
    return e;
  }
};

TEST_F(PlanDemo, PersonalisedPlanMeetsTheAim) {
  const PlanOutcome o = plan_patient(read_plan_file(dir() / "plan.toml"));
  EXPECT_EQ(o.result.status, dosimetry::PlanStatus::aims_met);
  EXPECT_NEAR(voi(o, "index tumour").metrics.mean_gy, 250.0, 1e-3);
  const double a = o.result.evaluation.administered_gbq[0];
  // Lung dose by the package-insert formula with the CT lung mass.
  const auto& q = o.model.quantification;
  EXPECT_NEAR(o.result.evaluation.lung_dose_gy, o.model.options.k_gy_kg_per_gbq * a * o.model.lung_shunt.fraction / q.lung_mass_kg, 1e-9);
  // The phantom was built with a 6 % shunt; blur moves a little across the dome.
  EXPECT_NEAR(o.model.lung_shunt.fraction, 0.06, 0.01);
  // Kernel dosimetry conserves energy: Σ D·m = K·A (liver share + lung share), minus what the density floor drops.
  EXPECT_NEAR(energy_j(o), o.model.options.k_gy_kg_per_gbq * a * (1 - o.model.excluded_energy_fraction), 2e-3 * 50 * a);
  ASSERT_TRUE(o.vials[0].chosen);
  EXPECT_NEAR(o.vials[0].chosen->vial_activity_at_injection_gbq, a / 0.99, 1e-6);
  EXPECT_TRUE(plan_is_deliverable(o));
  EXPECT_GT(o.model.hepatic_reserve_percent, 30);
}

TEST_F(PlanDemo, StandardApproachIsThePackageInsertFormula) {
  const PlanOutcome o = plan_patient(read_plan_file(dir() / "plan_standard.toml"));
  const auto& perfused = voi(o, "perfused liver: right lobar");
  EXPECT_NEAR(perfused.metrics.mean_gy, 120.0, 1e-3);
  EXPECT_NEAR(perfused.metrics.mass_kg, perfused.metrics.volume_ml * 1.03 / 1000, 1e-4);
  const double lsf = o.model.lung_shunt.fraction;
  EXPECT_NEAR(o.result.evaluation.administered_gbq[0], dosimetry::mird_activity_gbq(120, perfused.metrics.mass_kg, lsf, 0, 50), 1e-4);
  EXPECT_NEAR(o.result.evaluation.lung_dose_gy, 50 * o.result.evaluation.administered_gbq[0] * lsf / 1.0, 1e-9);
  // Uniform: D70 equals the mean.
  EXPECT_NEAR(perfused.metrics.d_at_percent[2].second, 120.0, 1e-3);
}

TEST_F(PlanDemo, PartitionDosesFollowTheTumourToNormalRatio) {
  const PlanOutcome o = plan_patient(read_plan_file(variant("partition.toml", "approach = \"standard\"", "approach = \"partition\"", "plan_standard.toml")));
  const double normal = voi(o, "perfused normal liver: right lobar").metrics.mean_gy;
  for (const auto& [name, tn] : o.model.quantification.tn_ratios)
    EXPECT_NEAR(voi(o, name).metrics.mean_gy / normal, tn, 1e-4) << name;
}

TEST_F(PlanDemo, LocalDepositionConservesEnergyExactly) {
  const PlanOutcome o = plan_patient(read_plan_file(variant("ldm.toml", "voxel_method = \"kernel\"", "voxel_method = \"local_deposition\"")));
  const double a = o.result.evaluation.administered_gbq[0];
  EXPECT_NEAR(energy_j(o), o.model.options.k_gy_kg_per_gbq * a * (1 - o.model.excluded_energy_fraction), 1e-4 * 50 * a);
  EXPECT_NEAR(voi(o, "index tumour").metrics.mean_gy, 250.0, 1e-3);
}

TEST_F(PlanDemo, ALungLimitCanReduceTheActivity) {
  const PlanOutcome o = plan_patient(read_plan_file(variant("reduced.toml", "max_dose_gy = 30", "max_dose_gy = 15")));
  EXPECT_EQ(o.result.status, dosimetry::PlanStatus::reduced_by_constraint);
  // On the limit, rounded down to the printed 1 MBq: within one MBq's lung dose below 15 Gy, never above.
  EXPECT_LE(o.result.evaluation.lung_dose_gy, 15.0);
  EXPECT_NEAR(o.result.evaluation.lung_dose_gy, 15.0, 1.001e-3 * o.model.lung_dose_gy_per_gbq);
  EXPECT_TRUE(o.result.evaluation.constraints[0].binding);
  EXPECT_GE(voi(o, "index tumour").metrics.mean_gy, 205.0);
  EXPECT_LT(voi(o, "index tumour").metrics.mean_gy, 250.0);
}

TEST_F(PlanDemo, CumulativeLungLimitCountsEarlierTreatments) {
  // 35 Gy already given: at most 15 Gy more under the 50 Gy cumulative limit.
  const PlanOutcome o = plan_patient(read_plan_file(variant("previous.toml", "previous_dose_gy = 0", "previous_dose_gy = 35")));
  EXPECT_EQ(o.result.status, dosimetry::PlanStatus::reduced_by_constraint);
  EXPECT_LE(o.result.evaluation.lung_cumulative_gy, 50.0);
  EXPECT_NEAR(o.result.evaluation.lung_dose_gy, 15.0, 1.001e-3 * o.model.lung_dose_gy_per_gbq);
  EXPECT_NEAR(o.result.evaluation.lung_cumulative_gy, 50.0, 1.001e-3 * o.model.lung_dose_gy_per_gbq);
  EXPECT_NE(o.result.binding_constraint.find("cumulative"), std::string::npos);
}

TEST_F(PlanDemo, InfeasiblePlanSaysWhichConstraintAndByHowMuch) {
  const PlanOutcome o = plan_patient(read_plan_file(variant("infeasible.toml", "max_dose_gy = 30", "max_dose_gy = 10")));
  EXPECT_EQ(o.result.status, dosimetry::PlanStatus::infeasible);
  EXPECT_FALSE(plan_is_deliverable(o));
  // Evaluated at the least activity meeting the goal, rounded up to the printed 1 MBq: the tumour at 205 Gy or one MBq above.
  EXPECT_GE(voi(o, "index tumour").metrics.mean_gy, 205.0);
  EXPECT_NEAR(voi(o, "index tumour").metrics.mean_gy, 205.0, 0.1);
  // Not deliverable: no vial is chosen, none is offered.
  for (const auto& v : o.vials) {
    EXPECT_FALSE(v.chosen);
    EXPECT_TRUE(v.options.empty());
  }
  const auto& lung = o.result.evaluation.constraints[0];
  EXPECT_FALSE(lung.met);
  EXPECT_NEAR(lung.margin_gy, 10.0 - o.result.evaluation.lung_dose_gy, 1e-9);
  bool named = false;
  for (const auto& f : o.result.findings) named = named || (f.find("lungs mean <= 10 Gy") != std::string::npos && f.find("over its limit by") != std::string::npos);
  EXPECT_TRUE(named);
}

TEST_F(PlanDemo, HepaticReserveBelowTheMinimumIsInfeasible) {
  const PlanOutcome o = plan_patient(read_plan_file(variant("reserve.toml", "min_percent = 30", "min_percent = 60")));
  EXPECT_EQ(o.result.status, dosimetry::PlanStatus::infeasible);
  EXPECT_NE(o.result.findings.at(0).find("hepatic reserve"), std::string::npos);
}

TEST_F(PlanDemo, WhatIfScalesLinearly) {
  const PlanSpec spec = read_plan_file(dir() / "plan.toml");
  const PlanOutcome base = plan_patient(spec);
  const PlanOutcome w = plan_patient(spec, {5.0});
  EXPECT_EQ(w.result.status, dosimetry::PlanStatus::what_if);
  const double ratio = 5.0 / base.result.evaluation.administered_gbq[0];
  EXPECT_NEAR(voi(w, "index tumour").metrics.mean_gy, 250.0 * ratio, 1e-3 * ratio);
  EXPECT_NEAR(w.result.evaluation.lung_dose_gy, base.result.evaluation.lung_dose_gy * ratio, 1e-9);
}

TEST_F(PlanDemo, WritesEveryOutputFile) {
  const PlanOutcome o = plan_patient(read_plan_file(dir() / "plan.toml"));
  const fs::path out = dir() / "out";
  write_plan_outputs(o, out);
  for (const char* f : {"dose.nii.gz", "dvh.csv", "plan.json", "report.html"}) EXPECT_TRUE(fs::exists(out / f)) << f;
  const std::string html = read_text_file(out / "report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Axial slice"), std::string::npos);  // the dose map over the anatomy
  EXPECT_NE(read_text_file(out / "plan.json").find("\"schema\": \"sirtkit.plan/1\""), std::string::npos);
}

TEST_F(PlanDemo, TwoInjectionsLobarAndContralateral) {
  // Left lobe = the liver outside the right-lobe territory.
  const auto labels = io::read_nifti_labels(dir() / "labels.nii.gz");
  auto left = io::read_nifti_labels(dir() / "territory_right.nii.gz");
  for (std::size_t i = 0; i < left.data.size(); ++i) left.data[i] = (labels.data[i] >= 1 && labels.data[i] <= 3 && !left.data[i]) ? 1 : 0;
  io::write_nifti(dir() / "territory_left.nii.gz", left);
  std::string text = read_text_file(dir() / "plan.toml");
  text.replace(text.find("[density]"), 9,
               "[[voi]]\nname = \"left lobe\"\nrole = \"territory\"\nmask = \"territory_left.nii.gz\"\n\n[density]");
  text.replace(text.find("[[goal]]"), 8, "[[injection]]\nname = \"left lobar\"\nterritory = \"left lobe\"\nperfused_liver_dose_gy = 80\n\n[[goal]]");
  text.replace(text.find("min_percent = 30"), 16, "");
  write_file_atomic(dir() / "two.toml", text);
  const PlanOutcome o = plan_patient(read_plan_file(dir() / "two.toml"));
  ASSERT_EQ(o.result.evaluation.administered_gbq.size(), 2u);
  EXPECT_DOUBLE_EQ(o.model.hepatic_reserve_percent, 0.0);
  // Each injection is aimed on its own map; the kernel spills a little across the lobe boundary.
  EXPECT_NEAR(voi(o, "perfused liver: left lobar").metrics.mean_gy, 80.0, 0.02 * 80);
  EXPECT_NEAR(voi(o, "index tumour").metrics.mean_gy, 250.0, 0.01 * 250);
  // With no reserve the 120 Gy perfused-normal-liver limit becomes active.
  EXPECT_TRUE(o.result.evaluation.constraints[2].active);
  const double total = o.result.evaluation.administered_gbq[0] + o.result.evaluation.administered_gbq[1];
  EXPECT_NEAR(o.result.evaluation.lung_dose_gy, o.model.lung_dose_gy_per_gbq * total, 1e-9);
  EXPECT_EQ(o.vials.size(), 2u);
}

TEST_F(PlanDemo, BsaMethodWithResin) {
  std::string text = read_text_file(dir() / "plan_standard.toml");
  auto swap = [&text](const std::string& from, const std::string& to) { text.replace(text.find(from), from.size(), to); };
  swap("id = \"DEMO-001\"", "id = \"DEMO-001\"\nheight_m = 1.75\nweight_kg = 70");
  swap("approach = \"standard\"", "approach = \"bsa\"");
  swap("type = \"glass\"", "type = \"resin\"");
  swap("vial_sizes_gbq = [3, 5, 7, 10, 15, 20]", "vial_sizes_gbq = [3]");
  swap("residual_fraction = 0.01", "residual_fraction = 0.03");
  swap("earliest = 2026-11-30T08:00:00+01:00\nlatest = 2026-12-04T17:00:00+01:00", "time = 2026-11-30T10:00:00-05:00");
  swap("perfused_liver_dose_gy = 120\n", "");
  write_file_atomic(dir() / "bsa.toml", text);
  const PlanOutcome o = plan_patient(read_plan_file(dir() / "bsa.toml"));
  const double tumour_ml = voi(o, "index tumour").metrics.volume_ml + voi(o, "tumour 2").metrics.volume_ml;
  const double liver_ml = voi(o, "liver").metrics.volume_ml;
  const double perfused = voi(o, "perfused liver: right lobar").metrics.volume_ml / liver_ml;
  const double expected = (dosimetry::du_bois_bsa_m2(1.75, 70) - 0.2 + tumour_ml / liver_ml) * perfused;  // LSF < 10 %
  EXPECT_NEAR(o.result.evaluation.administered_gbq[0], expected, 1e-9);
  ASSERT_TRUE(o.vials[0].chosen);
  // 22 h after the Sunday-noon calibration the 3 GBq vial holds 3 × 2^(−22/64.1).
  EXPECT_NEAR(o.vials[0].chosen->draw_fraction, expected / 0.97 / (3 * std::exp2(-22.0 / 64.1)), 1e-9);
}

// ---- round-off (issue 11 item 5): every printed bound re-run as a what-if ----

double printed3(double gbq) { return std::stod(fmt::format("{:.3f}", gbq)); }

// The plan's own activities and each injection's printed bounds, re-run as
// what-ifs the way the CLI reads `--activity` (3 decimals): the verdict at the
// bound holds, one MBq beyond it fails; the summary never shows a failed check
// beside a deliverable status.
void expect_printed_bounds_hold(const PlanSpec& spec, const PlanOutcome& o) {
  SCOPED_TRACE(spec.file.string());
  std::vector<double> printed;
  for (double a : o.result.evaluation.administered_gbq) printed.push_back(printed3(a));
  auto what_if = [&](const std::vector<double>& a) {
    dosimetry::PlanRules rules = spec.rules;
    for (std::size_t k = 0; k < a.size(); ++k) rules.injections[k].activity_gbq = a[k];
    return dosimetry::plan_activities(o.model, rules);
  };
  const bool feasible = o.result.status == dosimetry::PlanStatus::aims_met || o.result.status == dosimetry::PlanStatus::reduced_by_constraint;
  if (feasible) {
    const auto w = what_if(printed);
    EXPECT_EQ(w.status, dosimetry::PlanStatus::what_if);
    EXPECT_TRUE(w.evaluation.goals_met);
    const std::string text = report::plan_summary_text({o.context, o.model, o.result, o.vials, nullptr});
    EXPECT_EQ(text.find("[NO]"), std::string::npos) << text;
    EXPECT_EQ(text.find("margin -0.00 "), std::string::npos) << text;
  }
  ASSERT_EQ(o.result.bounds.size(), printed.size());
  int checked = 0;
  for (std::size_t k = 0; k < printed.size(); ++k) {
    const auto& b = o.result.bounds[k];
    auto at = [&](double a_k) {
      std::vector<double> a = printed;
      a[k] = printed3(a_k);
      return what_if(a);
    };
    if (std::isfinite(b.keeps_constraints_up_to_gbq)) {
      EXPECT_TRUE(at(b.keeps_constraints_up_to_gbq).evaluation.constraints_met) << k;
      EXPECT_FALSE(at(b.keeps_constraints_up_to_gbq + 0.001).evaluation.constraints_met) << k << " " << b.set_by;
      ++checked;
    }
    if (!std::isnan(b.meets_goals_from_gbq)) {
      EXPECT_TRUE(at(b.meets_goals_from_gbq).evaluation.goals_met) << k;
      EXPECT_TRUE(at(b.meets_goals_from_gbq).evaluation.constraints_met) << k;
      if (b.meets_goals_from_gbq > 0) EXPECT_FALSE(at(b.meets_goals_from_gbq - 0.001).evaluation.goals_met) << k;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

TEST_F(PlanDemo, PrintedBoundsHoldAsWhatIfs) {
  // Reduced by the lungs; by the cumulative lung limit; a goal without aim (prescribed on its minimum).
  const std::vector<fs::path> plans = {
      variant("s_lung.toml", "max_dose_gy = 30", "max_dose_gy = 15"),
      variant("s_previous.toml", "previous_dose_gy = 0", "previous_dose_gy = 35"),
      variant("s_noaim.toml", "aim_gy = 250\n", ""),
      variant("s_reserve.toml", "min_percent = 30", "min_percent = 60"),
  };
  for (const auto& plan : plans) {
    const PlanSpec spec = read_plan_file(plan);
    expect_printed_bounds_hold(spec, plan_patient(spec));
  }
}

TEST_F(PlanDemo, PrintedBoundsHoldWithDxAndSeveralGoalsAndConstraints) {
  // Limits set from the demo plan's own doses so that each one binds.
  const PlanOutcome base = plan_patient(read_plan_file(dir() / "plan.toml"));
  const auto& pnl = voi(base, "perfused normal liver: right lobar").metrics;
  const double d50 = pnl.d_at_percent[1].second;  // D50 (d_percents = [2, 50, 70, 95, 98])
  const fs::path plan = variant(
      "s_dx.toml", "[reserve]",
      fmt::format("[[constraint]]\nvoi = \"perfused normal liver: right lobar\"\nmetric = \"D50\"\nmax_gy = {:.1f}\n\n"
                  "[[constraint]]\nvoi = \"normal liver\"\nmetric = \"max\"\nmax_gy = {:.1f}\n\n"
                  "[[goal]]\nvoi = \"tumour 2\"\nmetric = \"D70\"\nmin_gy = 20\n\n[reserve]",
                  0.9 * d50, 2 * pnl.max_gy));
  const PlanSpec spec = read_plan_file(plan);
  const PlanOutcome o = plan_patient(spec);
  EXPECT_EQ(o.result.status, dosimetry::PlanStatus::reduced_by_constraint);
  EXPECT_NE(o.result.binding_constraint.find("D50"), std::string::npos) << o.result.binding_constraint;
  // One injection: D50 scales with the activity, so the index tumour drops to about 0.9 × 250 Gy.
  EXPECT_NEAR(voi(o, "index tumour").metrics.mean_gy, 0.9 * 250, 0.5);
  expect_printed_bounds_hold(spec, o);
}

// ---- one status (issue 11 item 6) ----

TEST_F(PlanDemo, InfeasiblePlanOrdersNothingAndSaysSoEverywhere) {
  const PlanOutcome o = plan_patient(read_plan_file(variant("s_infeasible.toml", "max_dose_gy = 30", "max_dose_gy = 10")));
  ASSERT_EQ(o.result.status, dosimetry::PlanStatus::infeasible);
  const report::PlanView view{o.context, o.model, o.result, o.vials, &o.dose_gy};
  const std::string json = report::plan_json(view);
  EXPECT_NE(json.find("\"status\": \"infeasible\""), std::string::npos);
  EXPECT_NE(json.find("\"deliverable\": false"), std::string::npos);
  EXPECT_NE(json.find("\"exit_code\": 3"), std::string::npos);
  EXPECT_NE(json.find("\"chosen\": null"), std::string::npos);
  const std::string html = report::plan_html(view);
  const auto top = html.find("NOT DELIVERABLE");
  ASSERT_NE(top, std::string::npos);
  EXPECT_LT(top, html.find("<h2>"));  // at the top, before any section
  EXPECT_LT(html.find("over its limit by"), html.find("<h2>"));  // with the reason
  EXPECT_EQ(html.find("Administered<b>"), std::string::npos);
  const std::string text = report::plan_summary_text(view);
  EXPECT_NE(text.find("NOT DELIVERABLE"), std::string::npos);
  EXPECT_NE(text.find("no vial ordered"), std::string::npos);
  EXPECT_EQ(text.find("administered"), std::string::npos);
}

TEST_F(PlanDemo, NoVialIsOneStatusWithAFinding) {
  // Only a 3 GBq glass vial, while the plan needs more: feasible, but nothing delivers it.
  const PlanOutcome o = plan_patient(read_plan_file(variant("s_novial.toml", "vial_sizes_gbq = [3, 5, 7, 10, 15, 20]", "vial_sizes_gbq = [3]")));
  ASSERT_GT(o.result.evaluation.administered_gbq[0], 3.0);
  EXPECT_EQ(o.result.status, dosimetry::PlanStatus::no_vial);
  EXPECT_FALSE(plan_is_deliverable(o));
  const report::PlanView view{o.context, o.model, o.result, o.vials, &o.dose_gy};
  const std::string json = report::plan_json(view);
  EXPECT_NE(json.find("\"status\": \"no vial delivers the activity\""), std::string::npos);
  EXPECT_NE(json.find("\"exit_code\": 3"), std::string::npos);
  EXPECT_NE(json.find("no vial delivers"), json.rfind("\"status\""));  // a finding besides the status
  EXPECT_LT(report::plan_html(view).find("NOT DELIVERABLE"), report::plan_html(view).find("<h2>"));
}

// ---- resin: the range stops at what the vial holds (issue 11 item 9) ----

TEST_F(PlanDemo, ResinRangeStopsAtWhatTheVialHolds) {
  std::string text = read_text_file(dir() / "plan.toml");
  auto swap = [&text](const std::string& from, const std::string& to) { text.replace(text.find(from), from.size(), to); };
  swap("type = \"glass\"", "type = \"resin\"");
  swap("vial_sizes_gbq = [3, 5, 7, 10, 15, 20]", "vial_sizes_gbq = [3]");
  swap("residual_fraction = 0.01", "residual_fraction = 0.03");
  swap("earliest = 2026-11-30T08:00:00+01:00\nlatest = 2026-12-04T17:00:00+01:00", "time = 2026-11-30T10:00:00-05:00");
  swap("min_gy = 205", "min_gy = 150");  // the vial holds about 165 Gy's worth for the index tumour
  write_file_atomic(dir() / "resin.toml", text);
  const PlanSpec spec = read_plan_file(dir() / "resin.toml");
  const PlanOutcome o = plan_patient(spec);
  // 22 h after the Sunday-noon calibration the 3 GBq vial holds 3 × 2^(−22/64.1); 3 % stays behind.
  const double holds = 3 * std::exp2(-22.0 / 64.1) * 0.97;
  const auto& b = o.result.bounds.at(0);
  EXPECT_LE(b.keeps_constraints_up_to_gbq, holds);
  EXPECT_GT(b.keeps_constraints_up_to_gbq, holds - 0.001);
  EXPECT_NE(b.set_by.find("resin vial"), std::string::npos) << b.set_by;
  EXPECT_EQ(o.result.status, dosimetry::PlanStatus::reduced_by_constraint);
  EXPECT_LE(o.result.evaluation.administered_gbq[0], holds);
  ASSERT_TRUE(o.vials[0].chosen);
  EXPECT_LE(o.vials[0].chosen->draw_fraction, 1.0);
  // The bound as a what-if: the vial delivers it.
  const PlanOutcome w = plan_patient(spec, {b.keeps_constraints_up_to_gbq});
  EXPECT_TRUE(plan_is_deliverable(w));
  EXPECT_TRUE(w.vials[0].chosen);
}

// ---- bad input: a clear error naming file, key and value ----

void expect_bad_input(const fs::path& plan, const std::string& needle) {
  try {
    plan_patient(read_plan_file(plan));
    ADD_FAILURE() << "no error for " << plan;
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST_F(PlanDemo, RefusesUnknownKeysAndKeysWithoutUnits) {
  expect_bad_input(variant("unknown.toml", "min_gy = 205", "min_gy = 205\ncolour = \"red\""), "goal[0].colour");
  expect_bad_input(variant("nounit.toml", "min_gy = 205", "min = 205"), "did you mean 'min_gy'");
}

TEST_F(PlanDemo, RefusesImpossibleValues) {
  expect_bad_input(variant("lsf.toml", "method = \"spect\"", "method = \"stated\"\nfraction = 1.0"), "lung_shunt.fraction");
  expect_bad_input(variant("resid.toml", "residual_fraction = 0.01", "residual_fraction = 1"), "residual_fraction");
  expect_bad_input(variant("metric.toml", "metric = \"mean\"\nmin_gy", "metric = \"D170\"\nmin_gy"), "D170");
  expect_bad_input(variant("voi.toml", "voi = \"index tumour\"", "voi = \"index tumor\""), "index tumor");
}

TEST_F(PlanDemo, RefusesOverlappingTumours) {
  expect_bad_input(variant("overlap.toml", "labels = [3]", "labels = [2, 3]"), "must not overlap");
}

TEST_F(PlanDemo, RefusesAMismatchedGridUnlessAskedToResample) {
  auto labels = io::read_nifti_labels(dir() / "labels.nii.gz");
  labels.grid.spacing_mm = {4.0, 4.0, 4.0};
  io::write_nifti(dir() / "labels_4mm.nii.gz", labels);
  const fs::path p = variant("grid.toml", "labels = \"labels.nii.gz\"", "labels = \"labels_4mm.nii.gz\"");
  expect_bad_input(p, "spacing 4x4x4 vs 4.42x4.42x4.42 mm");
}

TEST_F(PlanDemo, RefusesNegativeOrMissingCounts) {
  auto spect = io::read_nifti_float(dir() / "maa_spect.nii.gz");
  spect.data[1000] = -3.f;
  io::write_nifti(dir() / "negative.nii.gz", spect);
  expect_bad_input(variant("neg.toml", "spect = \"maa_spect.nii.gz\"", "spect = \"negative.nii.gz\""), "counts must be finite and >= 0");
  spect.data[1000] = std::nanf("");
  io::write_nifti(dir() / "nan.nii.gz", spect);
  expect_bad_input(variant("nan.toml", "spect = \"maa_spect.nii.gz\"", "spect = \"nan.nii.gz\""), "nan or inf");
  for (float& c : spect.data) c = 0.f;
  io::write_nifti(dir() / "empty.nii.gz", spect);
  expect_bad_input(variant("empty.toml", "spect = \"maa_spect.nii.gz\"", "spect = \"empty.nii.gz\""), "no counts in the liver");
}

TEST_F(PlanDemo, MissingImageIsAnIoError) {
  try {
    plan_patient(read_plan_file(variant("missing.toml", "ct = \"ct.nii.gz\"", "ct = \"nowhere.nii.gz\"")));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::io);
    EXPECT_NE(std::string(e.what()).find("nowhere.nii.gz"), std::string::npos);
  }
}

}  // namespace
}  // namespace sirtkit::pipelines
