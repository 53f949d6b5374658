#pragma once
// The planner: the plan is data (goals, constraints, injections), the
// optimiser a function of it (as in matRad).
//
// Every dose metric used here — mean, Dx, max, min — scales linearly when all
// activities are scaled by t. So the planner works along one direction:
//   1. each injection gets its aim activity: the activity at which the most
//      demanding goal it serves reaches its aim (or its minimum when no aim),
//      or the activity giving a stated perfused-liver dose (standard approach);
//   2. t_max = the largest scale keeping every active constraint,
//      t_min = the smallest scale meeting every goal minimum;
//   3. prescription = min(1, t_max) × aim. If that is below t_min the plan is
//      infeasible, and the result says which constraint is broken, at the
//      least activity meeting the goals, and by how much.
// The activity range keeping every constraint is [0, t_max × aim]; the range
// also meeting every goal is [t_min, t_max] × aim.

#include <optional>
#include <string>
#include <vector>

#include "dosimetry/dose_metrics.h"
#include "dosimetry/dose_model.h"
#include "dosimetry/radiobiology.h"

namespace sirtkit::dosimetry {

struct DoseMetric {
  enum class Kind { mean, dx, max, min };
  Kind kind = Kind::mean;
  double percent = 0;  // for Dx
  std::string label() const;
};

// "mean", "max", "min", "D70" (D followed by a percent in (0, 100]).
DoseMetric parse_dose_metric(const std::string& text, const std::string& where, const std::string& field);

struct Goal {
  std::string voi;
  DoseMetric metric;
  double min_gy = 0;
  std::optional<double> aim_gy;
};

struct Constraint {
  std::string voi;
  DoseMetric metric;
  double max_gy = 0;
  // Active only when the hepatic reserve is below this percent (e.g. the EANM
  // 2022 rule: perfused normal liver < 120 Gy when the reserve is < 30 %).
  std::optional<double> when_reserve_below_percent;
};

struct LungLimits {
  double per_session_gy = 30;  // TheraSphere package insert
  double cumulative_gy = 50;   // TheraSphere package insert
  double previous_gy = 0;      // lung dose of earlier treatments
};

struct InjectionRule {
  std::optional<double> activity_gbq;            // what-if: a fixed administered activity
  std::optional<double> perfused_liver_dose_gy;  // standard approach: dose to the perfused liver
};

struct PlanRules {
  std::vector<Goal> goals;
  std::vector<Constraint> constraints;
  LungLimits lung;
  std::optional<double> reserve_min_percent;
  std::vector<InjectionRule> injections;  // one per model injection
  MetricRequest metrics;
  RadiobiologyParameters tumour_radiobiology{10.0, 1.5, 0.005};
  RadiobiologyParameters normal_radiobiology{2.5, 2.5, 0.005};
  double half_life_h = 64.1;
  int dvh_bins = 200;
};

struct VoiResult {
  std::string name;
  std::string role;
  DoseMetrics metrics;
  double bed_mean_gy = 0;  // BED of the mean dose
  double eud_gy = 0;
  std::vector<DvhPoint> dvh;
};

struct Check {
  std::string label;      // "index tumour mean >= 205 Gy"
  double value_gy = 0;
  double limit_gy = 0;
  bool met = false;
  bool active = true;
  double margin_gy = 0;   // positive when met: value − min for goals, max − value for constraints
  double fixed_gy = 0;    // part of the value that does not scale with activity (earlier lung dose)
  std::optional<double> aim_gy;
};

struct Evaluation {
  std::vector<double> administered_gbq;
  std::vector<VoiResult> vois;
  double lung_dose_gy = 0;
  double lung_cumulative_gy = 0;
  std::vector<Check> goals;
  std::vector<Check> constraints;
  bool goals_met = true;
  bool constraints_met = true;
};

enum class PlanStatus { aims_met, reduced_by_constraint, infeasible, what_if };
const char* plan_status_name(PlanStatus s);

struct PlanResult {
  PlanStatus status = PlanStatus::aims_met;
  Evaluation evaluation;              // at the prescription (or, infeasible, at the least activity meeting the goals)
  std::vector<double> aim_gbq;        // per injection
  std::vector<int> goal_injection;    // which injection each goal was assigned to
  double scale_min = 0;               // t_min
  double scale_max = 0;               // t_max (infinity when nothing binds)
  std::string binding_constraint;     // the constraint that sets t_max
  std::vector<std::string> findings;  // plain sentences for the report
};

Evaluation evaluate(const DoseModel& model, const PlanRules& rules, const std::vector<double>& administered_gbq);
PlanResult plan_activities(const DoseModel& model, const PlanRules& rules);

}  // namespace sirtkit::dosimetry
