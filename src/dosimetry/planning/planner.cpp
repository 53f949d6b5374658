#include "dosimetry/planning/planner.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>

#include "core/error.h"
#include "core/number_text.h"
#include "dosimetry/planning/activity_lp.h"
#include "dosimetry/metrics/dose_summary.h"
#include "dosimetry/metrics/plan_radiobiology.h"
#include "dosimetry/metrics/scaled_doses.h"
#include "dosimetry/metrics/voi_doses.h"

namespace sirtkit::dosimetry {

std::string DoseMetric::label() const {
  switch (kind) {
    case Kind::mean: return "mean";
    case Kind::max: return "max";
    case Kind::min: return "min";
    case Kind::dx: return fmt::format("D{}", percent);
  }
  return "";
}

DoseMetric parse_dose_metric(const std::string& text, const std::string& where, const std::string& field) {
  if (text == "mean") return {DoseMetric::Kind::mean, 0};
  if (text == "max") return {DoseMetric::Kind::max, 0};
  if (text == "min") return {DoseMetric::Kind::min, 0};
  if (text.size() > 1 && text[0] == 'D' && !number_text_problem(text.substr(1), NumberKind::real)) {
    const double p = std::stod(text.substr(1));  // a plain decimal (core/number_text.h): " 70", "0x46" are not
    if (p > 0 && p <= 100) return {DoseMetric::Kind::dx, p};
  }
  fail_input(where, field, "\"" + text + "\"", "expected \"mean\", \"max\", \"min\" or \"Dx\" with x in (0, 100], e.g. \"D70\"");
}

const char* plan_status_name(PlanStatus s) {
  switch (s) {
    case PlanStatus::aims_met: return "aims met";
    case PlanStatus::reduced_by_constraint: return "reduced by a constraint";
    case PlanStatus::infeasible: return "infeasible";
    case PlanStatus::no_vial: return "no vial delivers the activity";
    case PlanStatus::what_if: return "what if";
    case PlanStatus::what_if_breaks_constraint: return "what if: breaks a constraint";
  }
  return "";
}

bool plan_status_deliverable(PlanStatus s) {
  return s == PlanStatus::aims_met || s == PlanStatus::reduced_by_constraint || s == PlanStatus::what_if;
}

namespace {

double metric_of(std::span<const float> doses, std::span<const float> masses, const DoseMetric& metric) {
  switch (metric.kind) {
    case DoseMetric::Kind::mean: {
      double e = 0, m = 0;
      for (std::size_t i = 0; i < doses.size(); ++i) {
        e += static_cast<double>(doses[i]) * masses[i];
        m += masses[i];
      }
      return m > 0 ? e / m : 0;
    }
    case DoseMetric::Kind::max: return *std::max_element(doses.begin(), doses.end());
    case DoseMetric::Kind::min: return *std::min_element(doses.begin(), doses.end());
    case DoseMetric::Kind::dx: return dx_gy(std::vector<float>(doses.begin(), doses.end()), metric.percent);
  }
  return 0;
}

double total_gbq(const std::vector<double>& a) {
  double s = 0;
  for (double x : a) s += x;
  return s;
}

bool constraint_active(const Constraint& c, const DoseModel& model) {
  return !c.when_reserve_below_percent || model.hepatic_reserve_percent < *c.when_reserve_below_percent;
}

std::string goal_label(const Goal& g) { return fmt::format("{} {} >= {} Gy", g.voi, g.metric.label(), g.min_gy); }
std::string constraint_label(const Constraint& c) {
  std::string s = fmt::format("{} {} <= {} Gy", c.voi, c.metric.label(), c.max_gy);
  if (c.when_reserve_below_percent) s += fmt::format(" (when reserve < {} %)", *c.when_reserve_below_percent);
  return s;
}

// The lungs' mean dose is the package-insert formula K·A·LSF / M_lung, whatever the approach.
bool lung_formula(const DoseModel& model, const VoiVoxels& v, const DoseMetric& metric) {
  return v.voi->role == VoiRole::lungs && (metric.kind == DoseMetric::Kind::mean || model.options.approach != Approach::voxel);
}

// The metric of VOI `v` whose voxel doses are `doses`.
double value_of(const DoseModel& model, const VoiVoxels& v, std::span<const float> doses, const DoseMetric& metric, double lung_dose_gy) {
  if (lung_formula(model, v, metric)) return lung_dose_gy;
  if (v.index.empty()) return 0;
  return metric_of(doses, v.mass_kg, metric);
}

// The position in `v` of the voxel whose dose is the metric (max, min, Dx) under `doses` (v's voxels).
std::size_t metric_voxel(std::span<const float> doses, const DoseMetric& metric) {
  std::vector<std::size_t> order(doses.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto higher = [&](std::size_t a, std::size_t b) { return doses[a] > doses[b]; };
  switch (metric.kind) {
    case DoseMetric::Kind::max: return *std::max_element(order.begin(), order.end(), [&](auto a, auto b) { return doses[a] < doses[b]; });
    case DoseMetric::Kind::min: return *std::min_element(order.begin(), order.end(), [&](auto a, auto b) { return doses[a] < doses[b]; });
    default: {
      // The rank dx_gy uses: ceil(x/100 · n), at least 1.
      const double n = static_cast<double>(order.size());
      const auto rank = std::min(order.size(), static_cast<std::size_t>(std::max(1.0, std::ceil(metric.percent / 100.0 * n - 1e-9))));
      std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(rank - 1), order.end(), higher);
      return order[rank - 1];
    }
  }
}

// The doses of a VOI in ascending order (dosimetry/metrics/scaled_doses.h), and in
// grid order the values that order scales (for the mass-weighted mean, summed
// in grid order as dose_metrics sums it).
struct OrderedDoses {
  ScaledDoses ascending;
  std::span<const float> scaled_in_grid_order;
};

// The doses of each VOI at one set of activities, computed once per VOI on first use.
class DosesAt {
 public:
  DosesAt(const VoiDoses& cache, const std::vector<double>& administered)
      : cache_(cache), administered_(administered), doses_(cache.vois().size()), done_(cache.vois().size(), false),
        summaries_(cache.vois().size()), summarised_(cache.vois().size(), false) {}
  const std::vector<float>& of(const VoiVoxels& v) {
    const std::size_t p = v.same_voxels_as;  // VOIs with the same voxels share their doses
    if (!done_[p]) {
      cache_.doses(v, administered_, doses_[p]);
      done_[p] = true;
    }
    return doses_[p];
  }
  // One injection at a finite activity >= 0: the VOI's doses in ascending
  // order, its doses per GBq sorted once and scaled. None otherwise (several
  // injections: their sum's order changes with the activities; a dose per GBq
  // not finite: then the passes over the voxels).
  std::optional<OrderedDoses> ordered(const VoiVoxels& v) const {
    if (v.index.empty() || administered_.size() != 1) return std::nullopt;
    if (v.sorted_unit_gy_per_gbq.empty() || !(administered_[0] >= 0) || !std::isfinite(administered_[0])) return std::nullopt;
    return OrderedDoses{ScaledDoses(v.sorted_unit_gy_per_gbq, administered_[0]), v.unit_gy_per_gbq[0]};
  }
  // The VOI's metrics and DVH from a few passes over its doses (dosimetry/metrics/dose_summary.h),
  // kept for its goals and constraints; null when a dose is not finite.
  const DoseSummary* summary(const VoiVoxels& v, double voxel_ml, const PlanRules& rules) {
    const std::size_t p = v.same_voxels_as;
    if (!summarised_[p]) {
      summaries_[p] = summarise_doses(of(v), v.mass_kg, voxel_ml, rules.metrics, rules.dvh_bins);
      summarised_[p] = true;
    }
    return summaries_[p] ? &*summaries_[p] : nullptr;
  }
  double value(const std::string& name, const DoseMetric& metric, double lung_dose_gy) {
    const VoiVoxels& v = cache_.at(name);
    if (lung_formula(cache_.model(), v, metric)) return lung_dose_gy;
    if (v.index.empty()) return 0;
    if (const auto o = ordered(v)) {
      switch (metric.kind) {
        case DoseMetric::Kind::mean: return o->ascending.mean_gy(o->scaled_in_grid_order, v.mass_kg);
        case DoseMetric::Kind::max: return o->ascending.max_gy();
        case DoseMetric::Kind::min: return o->ascending.min_gy();
        case DoseMetric::Kind::dx: return o->ascending.dx_gy(metric.percent);
      }
    }
    if (const auto known = summarised_value(v, metric)) return *known;
    return value_of(cache_.model(), v, of(v), metric, lung_dose_gy);  // passes over the voxels
  }

 private:
  // The metric read from the VOI's summary when one was made (the same number as the passes).
  std::optional<double> summarised_value(const VoiVoxels& v, const DoseMetric& metric) const {
    const std::size_t p = v.same_voxels_as;
    if (!summaries_[p]) return std::nullopt;
    const DoseMetrics& m = summaries_[p]->metrics;
    switch (metric.kind) {
      case DoseMetric::Kind::mean: return m.mean_gy;
      case DoseMetric::Kind::max: return m.max_gy;
      case DoseMetric::Kind::min: return m.min_gy;
      case DoseMetric::Kind::dx:
        for (const auto& [percent, gy] : m.d_at_percent)
          if (percent == metric.percent) return gy;
    }
    return std::nullopt;
  }

  const VoiDoses& cache_;
  const std::vector<double>& administered_;
  std::vector<std::vector<float>> doses_;
  std::vector<bool> done_;
  std::vector<std::optional<DoseSummary>> summaries_;
  std::vector<bool> summarised_;
};

// Goals and constraints at `dose`, into e (which holds the lung doses already).
void fill_checks(const DoseModel& model, const PlanRules& rules, DosesAt& doses, Evaluation& e) {
  e.goals.clear();
  e.constraints.clear();
  e.goals_met = e.constraints_met = true;
  for (const Goal& g : rules.goals) {
    Check c;
    c.label = goal_label(g);
    c.value_gy = doses.value(g.voi, g.metric, e.lung_dose_gy);
    c.limit_gy = g.min_gy;
    c.aim_gy = g.aim_gy;
    c.margin_gy = c.value_gy - g.min_gy;
    c.met = c.margin_gy >= 0;
    e.goals_met = e.goals_met && c.met;
    e.goals.push_back(c);
  }
  auto add_constraint = [&](const std::string& label, double value, double limit, bool active, double fixed = 0) {
    Check c;
    c.label = label;
    c.value_gy = value;
    c.fixed_gy = fixed;
    c.limit_gy = limit;
    c.active = active;
    c.margin_gy = limit - value;
    c.met = !active || c.margin_gy >= 0;
    e.constraints_met = e.constraints_met && c.met;
    e.constraints.push_back(c);
  };
  add_constraint(fmt::format("lungs mean <= {} Gy per session", rules.lung.per_session_gy), e.lung_dose_gy,
                 rules.lung.per_session_gy, true);
  add_constraint(fmt::format("lungs cumulative <= {} Gy (previous {} Gy)", rules.lung.cumulative_gy, rules.lung.previous_gy),
                 e.lung_cumulative_gy, rules.lung.cumulative_gy, true, rules.lung.previous_gy);
  for (const Constraint& k : rules.constraints)
    add_constraint(constraint_label(k), doses.value(k.voi, k.metric, e.lung_dose_gy), k.max_gy, constraint_active(k, model));
}

// What a VOI's numbers depend on besides its voxels: the lungs' formula, a
// tumour's TCP, the normal liver's NTCP (plan_radiobiology.h).
int kind_of(const Voi& v) {
  if (v.role == VoiRole::lungs) return 0;
  if (v.role == VoiRole::tumour) return 1;
  return v.name == normal_liver_name() ? 2 : 3;
}

// An earlier VOI with exactly the voxels of `v` and of its kind (a territory and
// the perfused liver of its injection): its place in e.vois, whose numbers are
// then v's too; -1 when none.
int same_numbers_as(const VoiDoses& cache, const VoiVoxels& v, const std::vector<int>& result_of) {
  for (std::size_t u = 0; u < v.position; ++u) {
    const VoiVoxels& w = cache.vois()[u];
    if (result_of[u] >= 0 && w.index.size() == v.index.size() && kind_of(*w.voi) == kind_of(*v.voi) && w.index == v.index)
      return result_of[u];
  }
  return -1;
}

Evaluation evaluate_with(const VoiDoses& cache, const PlanRules& rules, const std::vector<double>& administered, bool with_vois) {
  const DoseModel& model = cache.model();
  Evaluation e;
  e.administered_gbq = administered;
  DosesAt doses(cache, administered);
  e.lung_dose_gy = model.lung_dose_gy_per_gbq * total_gbq(administered);
  e.lung_cumulative_gy = rules.lung.previous_gy + e.lung_dose_gy;
  const double voxel_ml = model.mass_kg.grid.voxel_volume_ml();  // the dose grid
  if (with_vois) {
    std::vector<int> result_of(cache.vois().size(), -1);  // per VOI, its place in e.vois
    for (const VoiVoxels& v : cache.vois()) {
      if (v.index.empty()) continue;
      VoiResult r;
      r.name = v.voi->name;
      r.role = role_name(v.voi->role);
      if (const int same = same_numbers_as(cache, v, result_of); same >= 0) {
        r.metrics = e.vois[same].metrics;
        r.radiobiology = e.vois[same].radiobiology;
        r.dvh = e.vois[same].dvh;
      } else if (const auto o = doses.ordered(v)) {
        // One injection: the same numbers read from the VOI's doses in ascending order.
        // The lungs' mean is the partition formula's: their voxels are not summed.
        const ScaledDoses& s = o->ascending;
        r.metrics = v.voi->role == VoiRole::lungs ? s.metrics_but_mean(v.mass_sum_kg, voxel_ml, rules.metrics)
                                                  : s.metrics(o->scaled_in_grid_order, v.mass_kg, voxel_ml, rules.metrics);
        if (v.voi->role == VoiRole::lungs) r.metrics.mean_gy = e.lung_dose_gy;
        if (rules.voxel_radiobiology)
          r.radiobiology = plan_voi_radiobiology(*v.voi, doses.of(v), v.mass_kg, v.is_tumour, rules, r.metrics.mean_gy, voxel_ml);
        r.dvh = s.cumulative_dvh(rules.dvh_bins);
      } else {
        // Several injections: a few passes over the VOI's doses, no sort (dosimetry/metrics/dose_summary.h).
        const std::vector<float>& d = doses.of(v);
        if (const DoseSummary* s = doses.summary(v, voxel_ml, rules)) {
          r.metrics = s->metrics;
          r.dvh = s->dvh;
        } else {
          r.metrics = dose_metrics(d, v.mass_kg, voxel_ml, rules.metrics);
          r.dvh = cumulative_dvh(d, rules.dvh_bins);
        }
        if (v.voi->role == VoiRole::lungs) r.metrics.mean_gy = e.lung_dose_gy;
        if (rules.voxel_radiobiology)
          r.radiobiology = plan_voi_radiobiology(*v.voi, d, v.mass_kg, v.is_tumour, rules, r.metrics.mean_gy, voxel_ml);
      }
      result_of[v.position] = static_cast<int>(e.vois.size());
      e.vois.push_back(std::move(r));
    }
  }
  fill_checks(model, rules, doses, e);
  return e;
}

}  // namespace

Evaluation evaluate(const VoiDoses& cache, const PlanRules& rules, const std::vector<double>& administered) {
  return evaluate_with(cache, rules, administered, true);
}

Evaluation evaluate_checks(const VoiDoses& cache, const PlanRules& rules, const std::vector<double>& administered) {
  return evaluate_with(cache, rules, administered, false);
}

Evaluation evaluate(const DoseModel& model, const PlanRules& rules, const std::vector<double>& administered) {
  return evaluate(VoiDoses(model), rules, administered);
}

Evaluation evaluate_checks(const DoseModel& model, const PlanRules& rules, const std::vector<double>& administered) {
  return evaluate_checks(VoiDoses(model), rules, administered);
}

namespace {

// ---- the linear programme ----

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Planning {
  const DoseModel& model;
  const PlanRules& rules;
  const VoiDoses& cache;
  std::size_t n;
  std::vector<double> stated_per_gbq;  // perfused-liver Gy/GBq of an injection with a stated dose (0 otherwise)
  std::vector<double> cap_gbq;         // per injection: stated dose / Gy per GBq, device limit (infinity when none)
  std::vector<double> stated_cap_gbq;  // per injection: the stated dose's activity only (the aim ignores the device)
  bool linear = true;                  // every metric exactly linear in the activities
  Evaluation quick(const std::vector<double>& a) const { return evaluate_with(cache, rules, a, false); }
};

struct Rows {
  LexicographicLp lp;
  std::vector<int> hard_check;  // per hard row: index in Evaluation::constraints, or -1 for a goal minimum
};

// Coefficients c with metric(a) = c·a: exact for mean doses; for max, min and
// Dx, the doses per GBq of the voxel that sets the metric at a0 (exact at a0 by
// homogeneity, and for any a when there is one injection).
std::vector<double> coefficients(const Planning& p, DosesAt& dose_a0, const std::string& name, const DoseMetric& metric) {
  const VoiVoxels& v = p.cache.at(name);
  std::vector<double> c(p.n, 0.0);
  if (lung_formula(p.model, v, metric)) {
    c.assign(p.n, p.model.lung_dose_gy_per_gbq);
    return c;
  }
  if (v.index.empty()) return c;
  if (metric.kind == DoseMetric::Kind::mean) {
    for (std::size_t k = 0; k < p.n; ++k) c[k] = metric_of(v.unit_gy_per_gbq[k], v.mass_kg, metric);
    return c;
  }
  const std::size_t voxel = metric_voxel(dose_a0.of(v), metric);
  for (std::size_t k = 0; k < p.n; ++k) c[k] = v.unit_gy_per_gbq[k][voxel];
  return c;
}

Rows build_rows(const Planning& p, const std::vector<double>& a0, bool with_constraints, bool with_goal_minimums, bool with_levels) {
  Rows r;
  r.lp.variables = p.n;
  r.lp.upper_bound = with_constraints ? p.cap_gbq : p.stated_cap_gbq;
  r.lp.lower_bound.assign(p.n, kMinAdministeredGbq);
  DosesAt dose(p.cache, a0);
  if (with_constraints) {
    const std::vector<double> lung(p.n, p.model.lung_dose_gy_per_gbq);
    r.lp.hard.push_back({lung, -kInf, p.rules.lung.per_session_gy});
    r.hard_check.push_back(0);
    r.lp.hard.push_back({lung, -kInf, p.rules.lung.cumulative_gy - p.rules.lung.previous_gy});
    r.hard_check.push_back(1);
    for (std::size_t i = 0; i < p.rules.constraints.size(); ++i) {
      const Constraint& k = p.rules.constraints[i];
      if (!constraint_active(k, p.model)) continue;
      r.lp.hard.push_back({coefficients(p, dose, k.voi, k.metric), -kInf, k.max_gy});
      r.hard_check.push_back(static_cast<int>(i) + 2);
    }
  }
  std::vector<std::vector<double>> goal_coef;
  for (const Goal& g : p.rules.goals) goal_coef.push_back(coefficients(p, dose, g.voi, g.metric));
  if (with_goal_minimums)
    for (std::size_t i = 0; i < p.rules.goals.size(); ++i) {
      r.lp.hard.push_back({goal_coef[i], p.rules.goals[i].min_gy, kInf});
      r.hard_check.push_back(-1);
    }
  if (with_levels) {
    for (std::size_t i = 0; i < p.rules.goals.size(); ++i)
      r.lp.levels.push_back({goal_coef[i], -kInf, p.rules.goals[i].aim_gy.value_or(p.rules.goals[i].min_gy)});
    for (std::size_t k = 0; k < p.n; ++k)
      if (p.rules.injections[k].perfused_liver_dose_gy) {
        std::vector<double> c(p.n, 0.0);
        c[k] = p.stated_per_gbq[k];
        r.lp.levels.push_back({c, -kInf, *p.rules.injections[k].perfused_liver_dose_gy});
      }
  }
  return r;
}

// Solves, re-linearising max/min/Dx metrics at each solution until it stops
// moving (at most 12 rounds); `rounds` tells how many it took.
LpOutcome solve_iterated(const Planning& p, bool with_constraints, bool with_goal_minimums, bool with_levels, Rows& rows,
                         int& rounds) {
  std::vector<double> a0(p.n, 1.0);
  LpOutcome out;
  for (rounds = 1; rounds <= 12; ++rounds) {
    rows = build_rows(p, a0, with_constraints, with_goal_minimums, with_levels);
    out = solve_lexicographic(rows.lp);
    if (!out.feasible || p.linear || total_gbq(out.x) <= 0) return out;
    double moved = 0;
    for (std::size_t k = 0; k < p.n; ++k) moved = std::max(moved, std::abs(out.x[k] - a0[k]) / std::max(1e-3, out.x[k]));
    if (moved < 1e-9) return out;
    a0 = out.x;
  }
  return out;
}

// ---- round-off ----

enum class Round { nearest, down, up };
double on_grid(double x, Round r) {
  const double steps = x / kActivityStepGbq;
  // 1e-4 MBq of slack absorbs the simplex's own tolerance (a solution of 2.4999999975 is 2.5); every
  // rounded vector is checked on the real metrics afterwards.
  const double m = r == Round::down ? std::floor(steps + 1e-4) : r == Round::up ? std::ceil(steps - 1e-4) : std::round(steps);
  // m / 1000 is the double nearest the printed decimal, as the CLI reads it back; never below the least activity.
  return std::max(std::round(kMinAdministeredGbq / kActivityStepGbq), m) / 1000.0;
}
std::vector<double> on_grid(std::vector<double> a, Round r) {
  for (double& x : a) x = on_grid(x, r);
  return a;
}

bool within_caps(const Planning& p, const std::vector<double>& a) {
  for (std::size_t k = 0; k < p.n; ++k)
    if (a[k] > p.cap_gbq[k] * (1 + 1e-12) || a[k] < kMinAdministeredGbq * (1 - 1e-12)) return false;
  return true;
}

bool keeps_all(const Planning& p, const std::vector<double>& a) {
  if (!within_caps(p, a)) return false;
  const Evaluation e = p.quick(a);
  return e.constraints_met && e.goals_met;
}

// The prescription as printed: the exact solution when every aim is met and its
// printed rounding keeps every goal and constraint too (nothing sits on a
// limit), else the first rounding that does: nearest, all down, all up, each
// mix of down and up; then, from each of those, one injection (then all) one or
// two MBq further down — a limit on the 1 MBq grid can fail by the last bit of a
// sum, and a goal minimum may need one injection up while a shared limit (the
// lungs) needs another down. Empty when none does.
std::vector<double> printable(const Planning& p, const std::vector<double>& exact, bool aims_met) {
  const auto nearest = on_grid(exact, Round::nearest);
  if (aims_met && keeps_all(p, exact) && keeps_all(p, nearest)) return exact;
  std::vector<std::vector<double>> bases{nearest, on_grid(exact, Round::down), on_grid(exact, Round::up)};
  if (p.n <= 6)
    for (unsigned mask = 1; mask + 1 < (1u << p.n); ++mask) {
      std::vector<double> a(exact);
      for (std::size_t k = 0; k < p.n; ++k) a[k] = on_grid(a[k], (mask >> k) & 1u ? Round::up : Round::down);
      bases.push_back(a);
    }
  for (const auto& a : bases)
    if (keeps_all(p, a)) return a;
  const auto lower = [](double x, int extra) { return std::max(kMinAdministeredGbq, std::round(x * 1000.0 - extra) / 1000.0); };
  for (int extra = 1; extra <= 2; ++extra)
    for (const auto& base : bases) {
      for (std::size_t k = 0; k < p.n; ++k) {
        std::vector<double> a = base;
        a[k] = lower(a[k], extra);
        if (keeps_all(p, a)) return a;
      }
      std::vector<double> a = base;
      for (double& x : a) x = lower(x, extra);
      if (keeps_all(p, a)) return a;
    }
  return {};
}

// ---- bounds per injection, on the real metrics ----

InjectionBounds bounds_of(const Planning& p, const std::vector<double>& printed, std::size_t k) {
  InjectionBounds b;
  std::vector<double> a(printed);
  auto at = [&](long m) {
    a[k] = static_cast<double>(m) / 1000.0;
    return p.quick(a);
  };
  const long cap_steps = std::isfinite(p.cap_gbq[k]) ? static_cast<long>(std::floor(p.cap_gbq[k] * 1000.0 * (1 - 1e-12))) : -1;
  const long limit_steps = 1000000;  // 1000 GBq: beyond any vial; "nothing limits it"
  // The search starts at the least activity an injection is given (a what-if takes no less).
  const long least = std::lround(kMinAdministeredGbq / kActivityStepGbq);
  if (!at(least).constraints_met || (cap_steps >= 0 && cap_steps < least)) {
    b.keeps_constraints_up_to_gbq = std::numeric_limits<double>::quiet_NaN();
    b.meets_goals_from_gbq = std::numeric_limits<double>::quiet_NaN();
    return b;
  }
  // Largest m with every constraint kept: doubling, then bisection (doses rise with each activity).
  long lo = least, hi = std::max(least + 1, static_cast<long>(std::ceil(printed[k] * 1000.0)));
  const long top = cap_steps >= 0 ? cap_steps : limit_steps;
  bool broken = false;
  while (true) {
    if (hi >= top) {
      if (at(top).constraints_met) {
        lo = top;
        break;
      }
      hi = top;
      broken = true;
      break;
    }
    if (!at(hi).constraints_met) {
      broken = true;
      break;
    }
    lo = hi;
    hi *= 2;
  }
  if (broken)
    while (hi - lo > 1) {
      const long mid = lo + (hi - lo) / 2;
      (at(mid).constraints_met ? lo : hi) = mid;
    }
  if (broken) {
    b.keeps_constraints_up_to_gbq = static_cast<double>(lo) / 1000.0;
    for (const Check& c : at(lo + 1).constraints)
      if (!c.met) {
        b.set_by = c.label;
        break;
      }
  } else if (cap_steps >= 0) {
    b.keeps_constraints_up_to_gbq = static_cast<double>(lo) / 1000.0;
    b.set_by = p.rules.injections[k].device_max_gbq && p.cap_gbq[k] >= *p.rules.injections[k].device_max_gbq - 1e-12
                   ? p.rules.device_limit
                   : "its stated perfused-liver dose";
  } else {
    b.keeps_constraints_up_to_gbq = kInf;
  }
  // Least m meeting every goal, up to that bound.
  if (!at(lo).goals_met) {
    b.meets_goals_from_gbq = std::numeric_limits<double>::quiet_NaN();
    return b;
  }
  long g_lo = -1, g_hi = lo;  // g_hi meets every goal; g_lo does not (-1: not tried)
  if (at(least).goals_met) g_hi = least;
  else g_lo = least;
  while (g_lo >= 0 && g_hi - g_lo > 1) {
    const long mid = g_lo + (g_hi - g_lo) / 2;
    (at(mid).goals_met ? g_hi : g_lo) = mid;
  }
  b.meets_goals_from_gbq = static_cast<double>(g_hi) / 1000.0;
  return b;
}

std::string injections_text(const std::vector<double>& a) {
  std::string s;
  for (std::size_t k = 0; k < a.size(); ++k) s += fmt::format("{}{:.3f}", k ? " + " : "", a[k]);
  return a.size() > 1 ? fmt::format("{} = {:.3f} GBq", s, total_gbq(a)) : s + " GBq";
}

void add_broken_constraints(const Evaluation& e, const std::string& where, std::vector<std::string>& findings) {
  for (const Check& c : e.constraints)
    if (!c.met)
      findings.push_back(fmt::format("{}, '{}' is {:.2f} Gy: over its limit by {:.2f} Gy ({:.1f} %)", where, c.label, c.value_gy,
                                     -c.margin_gy, -100 * c.margin_gy / c.limit_gy));
}

}  // namespace

PlanResult plan_activities(const DoseModel& model, const PlanRules& rules) { return plan_activities(VoiDoses(model), rules); }

namespace {

// Reserve: independent of activity.
bool reserve_kept(const DoseModel& model, const PlanRules& rules, std::vector<std::string>& findings) {
  if (!rules.reserve_min_percent || model.hepatic_reserve_percent >= *rules.reserve_min_percent) return true;
  findings.push_back(fmt::format("hepatic reserve {:.1f} % is below the required {} % by {:.1f} points", model.hepatic_reserve_percent,
                                 *rules.reserve_min_percent, *rules.reserve_min_percent - model.hepatic_reserve_percent));
  return false;
}

// The activities are stated for every injection: evaluate them, nothing to solve.
PlanResult what_if_result(const VoiDoses& cache, const PlanRules& rules, bool reserve_ok, PlanResult result) {
  for (const InjectionRule& r : rules.injections) result.aim_gbq.push_back(*r.activity_gbq);
  result.evaluation = evaluate_with(cache, rules, result.aim_gbq, true);
  const bool ok = result.evaluation.constraints_met && reserve_ok;
  result.status = ok ? PlanStatus::what_if : PlanStatus::what_if_breaks_constraint;
  add_broken_constraints(result.evaluation, fmt::format("at the stated {}", injections_text(result.aim_gbq)), result.findings);
  result.solver = "none (activities stated)";
  return result;
}

// Stated perfused-liver doses and device limits cap an injection's activity.
void set_activity_caps(Planning& p) {
  const DoseModel& model = p.model;
  for (std::size_t k = 0; k < p.n; ++k) {
    const InjectionRule& rule = p.rules.injections[k];
    if (rule.perfused_liver_dose_gy) {
      const VoiVoxels& perfused = p.cache.at(perfused_liver_name(model.injections[k].name));
      p.stated_per_gbq[k] = value_of(model, perfused, perfused.unit_gy_per_gbq[k], {DoseMetric::Kind::mean, 0}, 0.0);
      if (!(p.stated_per_gbq[k] > 0))
        fail_input("plan", "injection '" + model.injections[k].name + "'", "0 Gy per GBq", "its perfused liver receives no dose");
      p.cap_gbq[k] = p.stated_cap_gbq[k] = *rule.perfused_liver_dose_gy / p.stated_per_gbq[k];
      if (p.stated_cap_gbq[k] < kMinAdministeredGbq)
        fail_input("plan", "injection '" + model.injections[k].name + "'.perfused_liver_dose_gy",
                   fmt::format("{} Gy ({:.4f} GBq)", *rule.perfused_liver_dose_gy, p.stated_cap_gbq[k]),
                   fmt::format("needs less than the least activity an injection is given, {} GBq", kMinAdministeredGbq));
    }
    if (rule.device_max_gbq) p.cap_gbq[k] = std::min(p.cap_gbq[k], *rule.device_max_gbq);
  }
}

// Every goal must be served by some injection and every injection must serve a
// goal or a stated dose (bad input otherwise); max, min and Dx metrics of
// several injections make the programme non-linear.
void check_goals_and_injections(Planning& p) {
  const DoseModel& model = p.model;
  std::vector<bool> serves(p.n, false);
  for (const Goal& g : p.rules.goals) {
    bool any = false;
    const VoiVoxels& voi = p.cache.at(g.voi);
    for (std::size_t k = 0; k < p.n; ++k)
      if (value_of(model, voi, voi.unit_gy_per_gbq[k], g.metric, model.lung_dose_gy_per_gbq) > 0) serves[k] = any = true;
    if (!any) fail_input("plan", "goal '" + goal_label(g) + "'", "0 Gy per GBq", "the VOI receives no dose from any injection");
    if (p.n > 1 && g.metric.kind != DoseMetric::Kind::mean && !lung_formula(model, voi, g.metric)) p.linear = false;
  }
  for (const Constraint& c : p.rules.constraints)
    if (p.n > 1 && c.metric.kind != DoseMetric::Kind::mean && !lung_formula(model, p.cache.at(c.voi), c.metric)) p.linear = false;
  for (std::size_t k = 0; k < p.n; ++k)
    if (!serves[k] && !p.rules.injections[k].perfused_liver_dose_gy)
      fail_input("plan", "injection '" + model.injections[k].name + "'", "no goal, dose or activity",
                 "give it a goal on a VOI it perfuses, a perfused_liver_dose_gy, or an activity_gbq");
}

// The activities to print from the plan's solution, on the printing grid; empty
// when none meets every goal and constraint.
std::vector<double> prescription_of(const Planning& p, const LpOutcome& plan, std::vector<std::string>& findings) {
  std::vector<double> x = plan.x;
  // Dx, max, min of several injections: the real metric decides; scale down
  // (every metric is positively homogeneous) until every constraint holds.
  if (!p.linear) {
    const Evaluation e = p.quick(x);
    double t = 1;
    for (const Check& c : e.constraints)
      if (!c.met && c.value_gy > c.fixed_gy) t = std::min(t, (c.limit_gy - c.fixed_gy) / (c.value_gy - c.fixed_gy));
    for (double& v : x) v *= t;
  }
  std::vector<double> prescription = printable(p, x, plan.first_short_level < 0 && x == plan.x);
  if (prescription.empty())
    findings.push_back(p.linear ? "every goal and constraint can hold together only within less than 1 MBq of activity"
                                : "the iterated linear programme found no activities meeting every goal and constraint "
                                  "on the real max/min/Dx metrics");
  return prescription;
}

// The constraint that held the plan below its aims: the largest dual of a hard
// row, else an injection at its device limit or stated dose.
void mark_binding_constraints(const Planning& p, const LpOutcome& plan, const Rows& rows, PlanResult& result) {
  std::size_t best = 0;
  for (std::size_t r = 0; r < plan.hard_duals.size(); ++r)
    if (plan.hard_duals[r] > plan.hard_duals[best]) best = r;
  for (std::size_t r = 0; r < plan.hard_duals.size(); ++r) {
    const int c = rows.hard_check[r];
    if (c < 0 || plan.hard_duals[r] <= 1e-9) continue;
    result.evaluation.constraints[c].binding = true;
    result.evaluation.constraints[c].goal_gy_per_limit_gy = plan.hard_duals[r];
  }
  if (!plan.hard_duals.empty() && rows.hard_check[best] >= 0 && plan.hard_duals[best] > 1e-9)
    result.binding_constraint = result.evaluation.constraints[rows.hard_check[best]].label;
  for (std::size_t k = 0; k < p.n && result.binding_constraint.empty(); ++k)
    if (std::isfinite(p.cap_gbq[k]) && plan.x[k] >= p.cap_gbq[k] * (1 - 1e-9))
      result.binding_constraint = p.cap_gbq[k] < p.stated_cap_gbq[k] ? p.rules.device_limit
                                                                      : "the stated perfused-liver dose of '" + p.model.injections[k].name + "'";
}

// A deliverable plan: its evaluation and, when a constraint held it below its
// aims, which one and what it cost.
void explain_prescription(const Planning& p, const LpOutcome& plan, const Rows& rows, const std::vector<double>& prescription,
                          PlanResult& result) {
  result.evaluation = evaluate_with(p.cache, p.rules, prescription, true);
  result.status = plan.first_short_level < 0 ? PlanStatus::aims_met : PlanStatus::reduced_by_constraint;
  if (plan.first_short_level < 0) return;
  mark_binding_constraints(p, plan, rows, result);
  if (p.n == 1 && result.aim_gbq[0] > 0)
    result.findings.push_back(fmt::format("activity reduced to {:.1f} % of the aim by '{}'; every goal minimum is still met",
                                          100 * prescription[0] / result.aim_gbq[0], result.binding_constraint));
  const int level = plan.first_short_level;
  if (level < static_cast<int>(p.rules.goals.size())) {
    const Check& g = result.evaluation.goals[level];
    result.findings.push_back(fmt::format("'{}' reaches {:.2f} Gy of its aim {} Gy, limited by '{}'", g.label, g.value_gy,
                                          p.rules.goals[level].aim_gy.value_or(p.rules.goals[level].min_gy),
                                          result.binding_constraint.empty() ? "the stated doses or the device" : result.binding_constraint));
  } else {
    result.findings.push_back(fmt::format("a stated perfused-liver dose is cut by '{}'", result.binding_constraint));
  }
}

// No plan: evaluated where every goal is met with the least activity (or at the
// aim), with what breaks there, and what the goals reach when every constraint is kept.
void explain_infeasible(const Planning& p, PlanResult& result) {
  result.status = PlanStatus::infeasible;
  Rows least_rows;
  int rounds = 0;
  const LpOutcome least = solve_iterated(p, false, true, false, least_rows, rounds);
  std::vector<double> at = result.aim_gbq;
  std::string where = fmt::format("at the aim ({})", injections_text(at));
  if (least.feasible) {
    at = on_grid(least.x, Round::up);
    for (int i = 0; i < 20 && !p.quick(at).goals_met; ++i)
      for (double& v : at) v += kActivityStepGbq;
    where = fmt::format("at the least activity meeting every goal ({} in all)", injections_text(at));
  }
  result.evaluation = evaluate_with(p.cache, p.rules, at, true);
  if (!least.feasible)
    for (const Check& g : result.evaluation.goals)
      if (!g.met) result.findings.push_back(fmt::format("'{}' cannot be met: it reaches {:.2f} Gy with every injection at its most (its stated perfused-liver dose or what its vial holds)", g.label, g.value_gy));
  add_broken_constraints(result.evaluation, where, result.findings);
  Rows keep_rows;
  const LpOutcome keep = solve_iterated(p, true, false, true, keep_rows, rounds);
  if (!keep.feasible) return;
  const std::vector<double> kept = on_grid(keep.x, Round::down);
  const Evaluation e = p.quick(kept);
  for (std::size_t r = 0; r < keep.hard_duals.size(); ++r)
    if (keep_rows.hard_check[r] >= 0 && keep.hard_duals[r] > 1e-9 && result.binding_constraint.empty())
      result.binding_constraint = e.constraints[keep_rows.hard_check[r]].label;
  for (const Check& g : e.goals)
    if (!g.met)
      result.findings.push_back(fmt::format(
          "at the largest activity keeping every constraint ({}{}), '{}' reaches {:.2f} Gy: short by {:.2f} Gy",
          injections_text(kept), result.binding_constraint.empty() ? "" : ", set by '" + result.binding_constraint + "'",
          g.label, g.value_gy, -g.margin_gy));
}

}  // namespace

PlanResult plan_activities(const VoiDoses& cache, const PlanRules& rules) {
  const DoseModel& model = cache.model();
  const std::size_t n = model.injections.size();
  if (rules.injections.size() != n) throw Error(ErrorCategory::internal, "plan rules and model disagree on injections");
  PlanResult result;
  const bool what_if = std::all_of(rules.injections.begin(), rules.injections.end(),
                                   [](const InjectionRule& r) { return r.activity_gbq.has_value(); });
  const bool any_fixed = std::any_of(rules.injections.begin(), rules.injections.end(),
                                     [](const InjectionRule& r) { return r.activity_gbq.has_value(); });
  if (any_fixed && !what_if)
    fail_input("plan", "injection.activity_gbq", "set for some injections only",
               "give an activity for every injection (what if) or for none (the planner prescribes)");
  result.scale_min = result.scale_max = std::numeric_limits<double>::quiet_NaN();
  const bool reserve_ok = reserve_kept(model, rules, result.findings);

  // Every VOI a goal, constraint or stated dose names must exist (bad_input naming it).
  for (const Goal& g : rules.goals) cache.at(g.voi);
  for (const Constraint& c : rules.constraints) cache.at(c.voi);
  for (std::size_t k = 0; k < n; ++k)
    if (rules.injections[k].perfused_liver_dose_gy) cache.at(perfused_liver_name(model.injections[k].name));
  if (what_if) return what_if_result(cache, rules, reserve_ok, std::move(result));

  Planning p{model, rules, cache, n, std::vector<double>(n, 0.0), std::vector<double>(n, kInf),
             std::vector<double>(n, kInf), true};
  set_activity_caps(p);
  check_goals_and_injections(p);

  // 1. The aim: the same order without constraints.
  Rows rows;
  int rounds = 0;
  const LpOutcome aim = solve_iterated(p, false, false, true, rows, rounds);
  if (!aim.feasible) throw Error(ErrorCategory::internal, "the aim programme has no solution");
  result.aim_gbq = aim.x;

  // 2. The plan: every goal minimum and constraint hard, aims in order.
  const LpOutcome plan = solve_iterated(p, true, true, true, rows, rounds);
  result.solver = p.linear ? "linear programme (GLPK simplex), exact: every metric is linear in the activities"
                           : fmt::format("linear programme (GLPK simplex) re-linearised at each solution for max/min/Dx "
                                         "metrics ({} rounds), checked on the real metrics", rounds);
  const std::vector<double> prescription = plan.feasible ? prescription_of(p, plan, result.findings) : std::vector<double>{};
  if (!prescription.empty() && reserve_ok) explain_prescription(p, plan, rows, prescription, result);
  else explain_infeasible(p, result);

  // 3. Bounds per injection, with the others at their printed activities.
  const std::vector<double> printed = on_grid(result.evaluation.administered_gbq, Round::nearest);
  for (std::size_t k = 0; k < n; ++k) result.bounds.push_back(bounds_of(p, printed, k));
  if (n == 1 && result.aim_gbq[0] > 0) {
    result.scale_max = result.bounds[0].keeps_constraints_up_to_gbq / result.aim_gbq[0];
    result.scale_min = result.bounds[0].meets_goals_from_gbq / result.aim_gbq[0];
  }
  return result;
}

void settle_vials(PlanResult& result, const std::vector<Injection>& injections, const std::vector<VialChoice>& vials) {
  if (!plan_status_deliverable(result.status)) return;
  for (std::size_t k = 0; k < vials.size() && k < injections.size(); ++k) {
    if (vials[k].chosen) continue;
    result.status = PlanStatus::no_vial;
    std::string why;
    for (const auto& o : vials[k].options) why += fmt::format("{}{} GBq: {}", why.empty() ? "" : "; ", o.vial_gbq, o.reason);
    result.findings.push_back(fmt::format("no vial delivers {:.3f} GBq for injection '{}' (vial activity incl. residual): {}",
                                          vials[k].needed_vial_activity_gbq, injections[k].name, why));
  }
}

}  // namespace sirtkit::dosimetry
