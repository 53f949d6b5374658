#pragma once
// The planner: the plan is data (goals, constraints, injections), the
// optimiser a function of it (as in matRad). docs/planning.md has the details.
//
//   1. Activities. Mean doses are exactly linear in the activity vector a
//      (dose = sum_k a_k d_k per voxel), so the activities solve a linear
//      programme (GLPK, dosimetry/planning/activity_lp.h) in a lexicographic order:
//      every goal minimum and every active constraint are hard; then each
//      goal in plan-file order is raised towards its aim (aim_gy, or min_gy
//      when no aim; put the index tumour first), then each stated
//      perfused-liver dose; last the total activity is minimised.
//      Dx, max and min of a sum of injections are only positively homogeneous:
//      they are linearised at the current solution (the voxel that sets the
//      metric), re-solved, and checked on the real metric (iterative).
//   2. Round-off. Activities are printed to 1 MBq (kActivityStepGbq). A
//      prescription that sits on a limit is rounded to the safe side and the
//      doses shown are those of the printed activities; every printed bound
//      is checked, at its printed value, on the real dose metrics.
//   3. Bounds. For each injection, with the others at their printed
//      prescription: the largest activity keeping every constraint (rounded
//      down) and the least meeting every goal (rounded up), found on the
//      real metrics (they rise monotonically with each activity).
//   4. One status (PlanStatus) from which every output is rendered and the
//      exit code derived; the vial choice can only lower it (no_vial).

#include <optional>
#include <string>
#include <vector>

#include "dosimetry/prescription/devices.h"
#include "dosimetry/metrics/dose_metrics.h"
#include "dosimetry/prescription/dose_model.h"
#include "dosimetry/metrics/radiobiology.h"

namespace sirtkit::dosimetry {

// Activities are shown to 1 MBq (3 decimals in GBq); dose calibrators read to about 1 MBq.
inline constexpr double kActivityStepGbq = 0.001;
// The least activity an injection is given (and a what-if accepts: plan file
// activity_gbq, --activity): 10 MBq. An injection in the plan gets at least this,
// so every activity the plan prints can be re-run as a what-if.
inline constexpr double kMinAdministeredGbq = 0.01;

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
  std::optional<double> device_max_gbq;          // the most the device can administer (resin: what the vial holds)
};

struct PlanRules {
  std::vector<Goal> goals;
  std::vector<Constraint> constraints;
  LungLimits lung;
  std::optional<double> reserve_min_percent;
  std::vector<InjectionRule> injections;  // one per model injection
  std::string device_limit;               // says where device_max_gbq comes from
  MetricRequest metrics;
  RadiobiologyParameters tumour_radiobiology{10.0, 1.5, 0.005};
  RadiobiologyParameters normal_radiobiology{2.5, 2.5, 0.005};
  LkbParameters liver_ntcp;  // radiobiology.h: Strigari et al. 2010
  TcpParameters tumour_tcp;  // radiobiology.h: Webb & Nahum 1993
  double half_life_h = 64.1;
  int dvh_bins = 200;
  // Each VOI's voxel radiobiology (BED, EUD, NTCP, TCP: about half the CPU of
  // an evaluation, one exp per voxel and measure). Off for an answer that shows
  // doses only (the workspace's what-if); the VOIs' radiobiology is then empty.
  bool voxel_radiobiology = true;
};

struct VoiResult {
  std::string name;
  std::string role;
  DoseMetrics metrics;
  VoiRadiobiology radiobiology;  // voxel by voxel (plan_radiobiology.h)
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
  // Constraints: it limits the plan (an LP row at its bound in the stage of the
  // first goal short of its aim), and by how many Gy that goal would rise per
  // Gy of this limit (the LP dual; 0 when it does not limit).
  bool binding = false;
  double goal_gy_per_limit_gy = 0;
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

// The one status every output is derived from (text, JSON, HTML, exit code).
enum class PlanStatus {
  aims_met,                   // every aim reached within every constraint
  reduced_by_constraint,      // every goal minimum met; an aim cut by a constraint
  infeasible,                 // no activity meets every goal within every constraint (or the reserve rule fails)
  no_vial,                    // the plan is feasible but no vial delivers an activity
  what_if,                    // the stated activities keep every constraint
  what_if_breaks_constraint,  // the stated activities break a constraint or the reserve rule
};
const char* plan_status_name(PlanStatus s);
bool plan_status_deliverable(PlanStatus s);  // exit 0; otherwise exit 3, no vial ordered

struct InjectionBounds {
  // With the other injections at their printed prescription, on the 1 MBq grid.
  double keeps_constraints_up_to_gbq = 0;  // infinity when nothing limits it; NaN when broken even at 0
  std::string set_by;                      // the constraint broken one step above
  double meets_goals_from_gbq = 0;         // NaN when no activity up to the bound above meets every goal
};

struct PlanResult {
  PlanStatus status = PlanStatus::aims_met;
  Evaluation evaluation;              // at the prescription (or, infeasible, at the least activity meeting the goals)
  std::vector<double> aim_gbq;        // per injection: the solution without constraints
  std::vector<InjectionBounds> bounds;  // per injection (not for a what if)
  double scale_min = 0;               // one injection: meets_goals_from / aim (NaN otherwise)
  double scale_max = 0;               // one injection: keeps_constraints_up_to / aim (NaN otherwise)
  std::string binding_constraint;     // the constraint that limits the first goal short of its aim
  std::string solver;                 // how the activities were found (exact LP or iterative)
  std::vector<std::string> findings;  // plain sentences for the report
};

class VoiDoses;  // dosimetry/metrics/voi_doses.h

Evaluation evaluate(const DoseModel& model, const PlanRules& rules, const std::vector<double>& administered_gbq);
// The goals and constraints only (the same numbers as evaluate's; no per-VOI
// metrics, DVH or radiobiology): what a vial's verdict needs, several times faster.
Evaluation evaluate_checks(const DoseModel& model, const PlanRules& rules, const std::vector<double>& administered_gbq);
PlanResult plan_activities(const DoseModel& model, const PlanRules& rules);
// The same on a model whose VOI voxels are gathered already (dosimetry/metrics/voi_doses.h):
// the same numbers, without a pass over the whole grid. The server's what-if keeps
// one VoiDoses per prepared plan.
Evaluation evaluate(const VoiDoses& cache, const PlanRules& rules, const std::vector<double>& administered_gbq);
Evaluation evaluate_checks(const VoiDoses& cache, const PlanRules& rules, const std::vector<double>& administered_gbq);
PlanResult plan_activities(const VoiDoses& cache, const PlanRules& rules);

// After the vials are chosen (only for a deliverable status): no_vial, with a
// finding per injection, when one has no usable vial.
void settle_vials(PlanResult& result, const std::vector<Injection>& injections, const std::vector<VialChoice>& vials);

}  // namespace sirtkit::dosimetry
