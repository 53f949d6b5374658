// The planner on hand-solved toy models: one voxel per VOI, 1 kg each, so a
// mean dose is the voxel's dose and every optimum can be worked out on paper.
#include "dosimetry/planning/planner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fmt/format.h>

#include "core/error.h"

namespace sirtkit::dosimetry {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Toy {
  DoseModel m;
  PlanRules r;
  Toy(int voxels, int injections, double lung_gy_per_gbq) {
    image::Grid g;
    g.size = {voxels, 1, 1};
    g.spacing_mm = {10, 10, 10};  // 1 mL
    m.mass_kg = image::Volume<float>(g, 1.f);
    m.options.approach = Approach::voxel;
    m.lung_dose_gy_per_gbq = lung_gy_per_gbq;
    m.hepatic_reserve_percent = 50;
    for (int k = 0; k < injections; ++k) {
      m.injections.push_back({fmt::format("injection {}", k + 1), ""});
      m.unit_dose_gy_per_gbq.emplace_back(g, 0.f);
      r.injections.emplace_back();
    }
    r.metrics.d_percents = {50};
    r.metrics.v_gy = {100};
    r.dvh_bins = 10;
  }
  void dose(int injection, int voxel, float gy_per_gbq) { m.unit_dose_gy_per_gbq[injection].data[voxel] = gy_per_gbq; }
  void voi(const std::string& name, VoiRole role, std::vector<int> voxels) {
    Voi v{name, role, image::Mask(m.mass_kg.grid, 0)};
    for (int i : voxels) v.mask.data[i] = 1;
    m.vois.push_back(v);
  }
  void goal(const std::string& voi, double min_gy, std::optional<double> aim_gy, DoseMetric metric = {}) {
    r.goals.push_back({voi, metric, min_gy, aim_gy});
  }
  void constraint(const std::string& voi, double max_gy, DoseMetric metric = {}) { r.constraints.push_back({voi, metric, max_gy, {}}); }
};

const Check& constraint_named(const PlanResult& p, const std::string& start) {
  for (const Check& c : p.evaluation.constraints)
    if (c.label.rfind(start, 0) == 0) return c;
  throw std::runtime_error("no constraint " + start);
}

// Re-runs every printed bound as a what-if: at the bound the verdict holds,
// one MBq beyond it it does not (unless nothing beyond it is allowed).
void expect_bounds_reproduce(const Toy& t, const PlanResult& p) {
  std::vector<double> printed;
  for (double a : p.evaluation.administered_gbq) printed.push_back(std::stod(fmt::format("{:.3f}", a)));
  for (std::size_t k = 0; k < p.bounds.size(); ++k) {
    const auto& b = p.bounds[k];
    auto at = [&](double a_k) {
      std::vector<double> a = printed;
      a[k] = std::stod(fmt::format("{:.3f}", a_k));
      return evaluate(t.m, t.r, a);
    };
    if (std::isfinite(b.keeps_constraints_up_to_gbq)) {
      EXPECT_TRUE(at(b.keeps_constraints_up_to_gbq).constraints_met) << k;
      if (!b.set_by.empty()) EXPECT_FALSE(at(b.keeps_constraints_up_to_gbq + 0.001).constraints_met) << k;
    }
    if (!std::isnan(b.meets_goals_from_gbq)) {
      EXPECT_TRUE(at(b.meets_goals_from_gbq).goals_met) << k;
      if (b.meets_goals_from_gbq > 0) EXPECT_FALSE(at(b.meets_goals_from_gbq - 0.001).goals_met) << k;
    }
  }
}

// The case. Lobar injection L: index tumour 100 Gy/GBq (2 voxels),
// lobar normal liver 20. Segmental S: tumour 2 150 Gy/GBq, segment normal 60.
// Lungs 2 Gy/GBq. Goals: index >= 205 aim 250, tumour 2 >= 100 aim 200.
// Constraint: segment normal <= 70 Gy.
// By hand: L = 250/100 = 2.5 GBq (lungs 2·3.67 = 7.3 Gy, free);
// S: aim 200/150 = 1.333 but 60·S <= 70 -> S = 7/6 = 1.16667 GBq; printed as
// 1.167 it would give 70.02 Gy, so it is rounded down to 1.166 (69.96 Gy,
// tumour 2 174.9 Gy). The segment constraint binds with dual 150/60 = 2.5 Gy
// of tumour 2 per Gy of limit. One common factor (the old planner) cut both
// injections by 70/80 = 0.875: index tumour 218.75 Gy.
TEST(Planner, SegmentalConstraintDoesNotCutTheLobarInjection) {
  Toy t(5, 2, 2.0);
  t.dose(0, 0, 100), t.dose(0, 1, 100), t.dose(0, 2, 20);
  t.dose(1, 3, 150), t.dose(1, 4, 60);
  t.voi("index tumour", VoiRole::tumour, {0, 1});
  t.voi("lobar normal", VoiRole::other, {2});
  t.voi("tumour 2", VoiRole::tumour, {3});
  t.voi("segment normal", VoiRole::other, {4});
  t.goal("index tumour", 205, 250);
  t.goal("tumour 2", 100, 200);
  t.constraint("segment normal", 70);
  const PlanResult p = plan_activities(t.m, t.r);
  EXPECT_EQ(p.status, PlanStatus::reduced_by_constraint);
  EXPECT_NEAR(p.evaluation.administered_gbq[0], 2.5, 1e-9);
  EXPECT_DOUBLE_EQ(p.evaluation.administered_gbq[1], 1.166);
  EXPECT_NEAR(p.evaluation.goals[0].value_gy, 250, 1e-4);
  EXPECT_NEAR(p.evaluation.goals[1].value_gy, 174.9, 1e-4);
  const Check& seg = constraint_named(p, "segment normal");
  EXPECT_TRUE(seg.met);
  EXPECT_TRUE(seg.binding);
  EXPECT_NEAR(seg.goal_gy_per_limit_gy, 2.5, 1e-6);
  EXPECT_FALSE(constraint_named(p, "lungs mean").binding);
  EXPECT_EQ(p.binding_constraint, "segment normal mean <= 70 Gy");
  // Aim without constraints: (2.5, 4/3).
  EXPECT_NEAR(p.aim_gbq[1], 200.0 / 150.0, 1e-7);
  // Bounds with the other injection as printed: L up to the lungs, (30/2 − 1.166) = 13.834 GBq,
  // from 205/100 = 2.05; S up to 70/60 -> 1.166, from 100/150 -> 0.667.
  EXPECT_NEAR(p.bounds[0].keeps_constraints_up_to_gbq, 13.834, 0.0011);
  EXPECT_NE(p.bounds[0].set_by.find("lungs"), std::string::npos);
  EXPECT_NEAR(p.bounds[0].meets_goals_from_gbq, 2.05, 0.0011);
  EXPECT_DOUBLE_EQ(p.bounds[1].keeps_constraints_up_to_gbq, 1.166);
  EXPECT_DOUBLE_EQ(p.bounds[1].meets_goals_from_gbq, 0.667);
  expect_bounds_reproduce(t, p);
}

// Three injections share the lung limit: lungs 10 Gy/GBq, <= 30 Gy, so
// a1 + a2 + a3 <= 3 GBq. Injection i gives 100 Gy/GBq to tumour i only.
// Goals in order: T1 >= 205 aim 250, T2 >= 40 aim 80, T3 >= 20 aim 50.
// By hand: the minima need a2 >= 0.4, a3 >= 0.2, so T1 gets a1 = 3 − 0.6 = 2.4
// (240 Gy, short of its aim; the lung limit binds, 100/10 = 10 Gy of T1 per Gy);
// then T2 and T3 stay at their minima: (2.4, 0.4, 0.2). The old common factor
// (aim 2.5 + 0.8 + 0.5 = 3.8 GBq scaled by 30/38) gave T1 197 Gy: infeasible.
TEST(Planner, ThreeInjectionsShareTheLungLimitInGoalOrder) {
  Toy t(3, 3, 10.0);
  for (int i = 0; i < 3; ++i) t.dose(i, i, 100);
  t.voi("T1", VoiRole::tumour, {0});
  t.voi("T2", VoiRole::tumour, {1});
  t.voi("T3", VoiRole::tumour, {2});
  t.goal("T1", 205, 250);
  t.goal("T2", 40, 80);
  t.goal("T3", 20, 50);
  const PlanResult p = plan_activities(t.m, t.r);
  ASSERT_EQ(p.status, PlanStatus::reduced_by_constraint);
  const auto& a = p.evaluation.administered_gbq;
  // Exactly on the grid, a last-bit rounding of the sum may cost T1 one MBq.
  EXPECT_GE(a[0], 2.399 - 1e-12);
  EXPECT_LE(a[0], 2.4 + 1e-12);
  EXPECT_NEAR(a[1], 0.4, 1e-9);
  EXPECT_NEAR(a[2], 0.2, 1e-9);
  EXPECT_LE(p.evaluation.lung_dose_gy, 30.0);
  const Check& lung = constraint_named(p, "lungs mean");
  EXPECT_TRUE(lung.binding);
  EXPECT_NEAR(lung.goal_gy_per_limit_gy, 10.0, 1e-6);
  EXPECT_TRUE(p.evaluation.goals_met);
  expect_bounds_reproduce(t, p);

  // Goals in the order T3, T2, T1 (every minimum stays hard, so a1 >= 2.05): T3 reaches its aim at 0.5
  // (room 3 − 2.05 − 0.4 = 0.55); T2 gets 3 − 2.05 − 0.5 = 0.45 (45 Gy, short of 80); T1 keeps 2.05.
  std::swap(t.r.goals[0], t.r.goals[2]);
  const PlanResult q = plan_activities(t.m, t.r);
  EXPECT_NEAR(q.evaluation.administered_gbq[2], 0.5, 1e-9);
  EXPECT_NEAR(q.evaluation.administered_gbq[0], 2.05, 1e-9);
  EXPECT_NEAR(q.evaluation.administered_gbq[1], 0.45, 1.001e-3);
}

// The max over a VOI spanning two territories is not linear in (a1, a2): it is
// max(10 a1, 10 a2) <= 30. Goals: T1 (100 Gy/GBq from 1) >= 205 aim 250,
// T2 (100 Gy/GBq from 2) >= 250 aim 400. By hand: a1 = 2.5 (max 25), a2 = 3
// (max 30 binds; T2 300 Gy). Linearised at (1, 1) the max is voxel p only; the
// next round finds voxel q and settles. One common factor: 0.75 × (2.5, 4): T1 187.5 Gy, infeasible.
TEST(Planner, MaxOverTwoTerritoriesIsIterated) {
  Toy t(4, 2, 1.0);
  t.dose(0, 0, 100), t.dose(1, 1, 100), t.dose(0, 2, 10), t.dose(1, 3, 10);
  t.voi("T1", VoiRole::tumour, {0});
  t.voi("T2", VoiRole::tumour, {1});
  t.voi("shared", VoiRole::other, {2, 3});
  t.goal("T1", 205, 250);
  t.goal("T2", 250, 400);
  t.constraint("shared", 30, {DoseMetric::Kind::max, 0});
  const PlanResult p = plan_activities(t.m, t.r);
  EXPECT_EQ(p.status, PlanStatus::reduced_by_constraint);
  EXPECT_NEAR(p.evaluation.administered_gbq[0], 2.5, 1e-9);
  EXPECT_NEAR(p.evaluation.administered_gbq[1], 3.0, 1e-9);
  EXPECT_NE(p.solver.find("re-linearised"), std::string::npos);
  EXPECT_TRUE(constraint_named(p, "shared").met);
  expect_bounds_reproduce(t, p);
}

// One injection: lungs 10 Gy/GBq <= 30 Gy allows 3 GBq; the goal T >= 400 Gy
// (100 Gy/GBq) needs 4 GBq. Evaluated at 4 GBq the lungs get 40 Gy, 10 Gy
// (33.3 %) over; at 3 GBq T reaches 300 Gy, 100 short.
TEST(Planner, InfeasibleSaysWhereAndByHowMuch) {
  Toy t(1, 1, 10.0);
  t.dose(0, 0, 100);
  t.voi("T", VoiRole::tumour, {0});
  t.goal("T", 400, std::nullopt);
  const PlanResult p = plan_activities(t.m, t.r);
  EXPECT_EQ(p.status, PlanStatus::infeasible);
  EXPECT_FALSE(plan_status_deliverable(p.status));
  EXPECT_DOUBLE_EQ(p.evaluation.administered_gbq[0], 4.0);
  ASSERT_GE(p.findings.size(), 2u);
  EXPECT_NE(p.findings[0].find("over its limit by 10.00 Gy (33.3 %)"), std::string::npos) << p.findings[0];
  EXPECT_NE(p.findings[1].find("reaches 300.00 Gy: short by 100.00 Gy"), std::string::npos) << p.findings[1];
  EXPECT_DOUBLE_EQ(p.bounds[0].keeps_constraints_up_to_gbq, 3.0);
  EXPECT_TRUE(std::isnan(p.bounds[0].meets_goals_from_gbq));
  expect_bounds_reproduce(t, p);
}

// A goal without an aim is prescribed at its minimum: 205 Gy at 100/3 Gy per
// GBq is 6.15 GBq exactly; the float dose may fall a hair short, and the
// printed prescription must meet the goal as printed (never "[NO] 204.9999992").
TEST(Planner, GoalWithoutAimIsMetAsPrinted) {
  Toy t(1, 1, 1.0);
  t.dose(0, 0, 100.f / 3.f);
  t.voi("T", VoiRole::tumour, {0});
  t.goal("T", 205, std::nullopt);
  const PlanResult p = plan_activities(t.m, t.r);
  EXPECT_EQ(p.status, PlanStatus::aims_met);
  EXPECT_TRUE(p.evaluation.goals_met);
  const double printed = std::stod(fmt::format("{:.3f}", p.evaluation.administered_gbq[0]));
  EXPECT_TRUE(evaluate(t.m, t.r, {printed}).goals_met);
  expect_bounds_reproduce(t, p);
}

// A device limit (resin: what the vial holds) caps an injection like a constraint.
TEST(Planner, DeviceLimitCapsTheInjectionAndItsRange) {
  Toy t(1, 1, 1.0);
  t.dose(0, 0, 100);
  t.voi("T", VoiRole::tumour, {0});
  t.goal("T", 150, 250);
  t.r.injections[0].device_max_gbq = 2.2345;
  t.r.device_limit = "what the vial holds";
  const PlanResult p = plan_activities(t.m, t.r);
  EXPECT_EQ(p.status, PlanStatus::reduced_by_constraint);
  EXPECT_DOUBLE_EQ(p.evaluation.administered_gbq[0], 2.234);
  EXPECT_DOUBLE_EQ(p.bounds[0].keeps_constraints_up_to_gbq, 2.234);
  EXPECT_EQ(p.bounds[0].set_by, "what the vial holds");
  EXPECT_DOUBLE_EQ(p.bounds[0].meets_goals_from_gbq, 1.5);
}

TEST(Planner, WhatIfStatusAndVials) {
  Toy t(1, 1, 10.0);
  t.dose(0, 0, 100);
  t.voi("T", VoiRole::tumour, {0});
  t.goal("T", 205, 250);
  t.r.injections[0].activity_gbq = 3.5;  // lungs 35 Gy
  PlanResult p = plan_activities(t.m, t.r);
  EXPECT_EQ(p.status, PlanStatus::what_if_breaks_constraint);
  EXPECT_NE(p.findings.at(0).find("over its limit by 5.00 Gy"), std::string::npos);
  t.r.injections[0].activity_gbq = 2.5;
  p = plan_activities(t.m, t.r);
  EXPECT_EQ(p.status, PlanStatus::what_if);
  // No usable vial: the one status becomes no_vial with a finding.
  VialChoice none;
  none.needed_vial_activity_gbq = 2.5;
  none.options.push_back({});
  none.options[0].vial_gbq = 3;
  none.options[0].reason = "past its shelf life";
  settle_vials(p, t.m.injections, {none});
  EXPECT_EQ(p.status, PlanStatus::no_vial);
  EXPECT_FALSE(plan_status_deliverable(p.status));
  EXPECT_NE(p.findings.back().find("past its shelf life"), std::string::npos);
}

}  // namespace
}  // namespace sirtkit::dosimetry

namespace sirtkit::dosimetry {
namespace {

// evaluate_checks (the vials' verdict) gives evaluate's goals and constraints
// to the bit, without the per-VOI results: here a max over two territories
// (max(10 a1, 10 a2)), a mean goal and the lung rows, at points on both sides of each limit.
TEST(Planner, EvaluateChecksEqualsEvaluateOnGoalsAndConstraints) {
  Toy t(4, 2, 1.0);
  t.dose(0, 0, 100), t.dose(1, 1, 100), t.dose(0, 2, 10), t.dose(1, 3, 10);
  t.voi("T1", VoiRole::tumour, {0});
  t.voi("T2", VoiRole::tumour, {1});
  t.voi("shared", VoiRole::other, {2, 3});
  t.goal("T1", 205, 250);
  t.constraint("shared", 30, {DoseMetric::Kind::max, 0});
  for (const std::vector<double>& a : {std::vector<double>{2.5, 3.0}, {2.0, 3.5}, {25.0, 0.5}, {0.01, 0.01}}) {
    const Evaluation full = evaluate(t.m, t.r, a), checks = evaluate_checks(t.m, t.r, a);
    EXPECT_FALSE(full.vois.empty());
    EXPECT_TRUE(checks.vois.empty());
    ASSERT_EQ(full.goals.size(), checks.goals.size());
    ASSERT_EQ(full.constraints.size(), checks.constraints.size());
    for (std::size_t i = 0; i < full.goals.size(); ++i) {
      EXPECT_EQ(full.goals[i].value_gy, checks.goals[i].value_gy);
      EXPECT_EQ(full.goals[i].met, checks.goals[i].met);
    }
    for (std::size_t i = 0; i < full.constraints.size(); ++i) {
      EXPECT_EQ(full.constraints[i].value_gy, checks.constraints[i].value_gy) << full.constraints[i].label;
      EXPECT_EQ(full.constraints[i].met, checks.constraints[i].met) << full.constraints[i].label;
    }
    EXPECT_EQ(full.lung_dose_gy, checks.lung_dose_gy);
    EXPECT_EQ(full.goals_met, checks.goals_met);
    EXPECT_EQ(full.constraints_met, checks.constraints_met);
  }
  EXPECT_FALSE(evaluate_checks(t.m, t.r, {2.0, 3.5}).constraints_met);  // max 35 > 30
  EXPECT_TRUE(evaluate_checks(t.m, t.r, {2.5, 3.0}).constraints_met);
}

}  // namespace
}  // namespace sirtkit::dosimetry
