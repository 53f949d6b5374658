#include "dosimetry/planner.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "core/error.h"

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
  if (text.size() > 1 && text[0] == 'D') {
    try {
      std::size_t used = 0;
      const double p = std::stod(text.substr(1), &used);
      if (used == text.size() - 1 && p > 0 && p <= 100) return {DoseMetric::Kind::dx, p};
    } catch (const std::exception&) {
    }
  }
  fail_input(where, field, "\"" + text + "\"", "expected \"mean\", \"max\", \"min\" or \"Dx\" with x in (0, 100], e.g. \"D70\"");
}

const char* plan_status_name(PlanStatus s) {
  switch (s) {
    case PlanStatus::aims_met: return "aims met";
    case PlanStatus::reduced_by_constraint: return "reduced by a constraint";
    case PlanStatus::infeasible: return "infeasible";
    case PlanStatus::what_if: return "what if";
  }
  return "";
}

namespace {

std::vector<float> gather(const image::Volume<float>& v, const image::Mask& m) {
  std::vector<float> out;
  for (std::size_t i = 0; i < v.data.size(); ++i)
    if (m.data[i]) out.push_back(v.data[i]);
  return out;
}

double metric_of(const std::vector<float>& doses, const std::vector<float>& masses, const DoseMetric& metric) {
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
    case DoseMetric::Kind::dx: return dx_gy(doses, metric.percent);
  }
  return 0;
}

// The lungs' mean dose is the package-insert formula K·A·LSF / M_lung, whatever the approach.
double metric_value(const DoseModel& model, const image::Volume<float>& dose, const std::string& voi_name,
                    const DoseMetric& metric, double lung_dose_gy) {
  const Voi& voi = model.voi(voi_name);
  if (voi.role == VoiRole::lungs && (metric.kind == DoseMetric::Kind::mean || model.options.approach != Approach::voxel))
    return lung_dose_gy;
  return metric_of(gather(dose, voi.mask), gather(model.mass_kg, voi.mask), metric);
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

std::vector<double> scaled(const std::vector<double>& a, double t) {
  std::vector<double> out(a);
  for (double& x : out) x *= t;
  return out;
}

}  // namespace

Evaluation evaluate(const DoseModel& model, const PlanRules& rules, const std::vector<double>& administered) {
  Evaluation e;
  e.administered_gbq = administered;
  const image::Volume<float> dose = combined_dose(model, administered);
  e.lung_dose_gy = model.lung_dose_gy_per_gbq * total_gbq(administered);
  e.lung_cumulative_gy = rules.lung.previous_gy + e.lung_dose_gy;
  const double voxel_ml = dose.grid.voxel_volume_ml();

  for (const Voi& voi : model.vois) {
    VoiResult r;
    r.name = voi.name;
    r.role = role_name(voi.role);
    const auto doses = gather(dose, voi.mask);
    const auto masses = gather(model.mass_kg, voi.mask);
    if (doses.empty()) continue;
    r.metrics = dose_metrics(doses, masses, voxel_ml, rules.metrics);
    if (voi.role == VoiRole::lungs) r.metrics.mean_gy = e.lung_dose_gy;
    const RadiobiologyParameters& rb = voi.role == VoiRole::tumour ? rules.tumour_radiobiology : rules.normal_radiobiology;
    r.bed_mean_gy = bed_gy(r.metrics.mean_gy, rb.alpha_beta_gy, rb.repair_half_time_h, rules.half_life_h);
    r.eud_gy = eud_gy(doses, rb.alpha_per_gy);
    r.dvh = cumulative_dvh(doses, rules.dvh_bins);
    e.vois.push_back(std::move(r));
  }

  for (const Goal& g : rules.goals) {
    Check c;
    c.label = goal_label(g);
    c.value_gy = metric_value(model, dose, g.voi, g.metric, e.lung_dose_gy);
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
    add_constraint(constraint_label(k), metric_value(model, dose, k.voi, k.metric, e.lung_dose_gy), k.max_gy,
                   constraint_active(k, model));
  return e;
}

PlanResult plan_activities(const DoseModel& model, const PlanRules& rules) {
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

  // 1. Aim activities.
  result.aim_gbq.assign(n, 0.0);
  if (what_if) {
    for (std::size_t k = 0; k < n; ++k) result.aim_gbq[k] = *rules.injections[k].activity_gbq;
  } else {
    for (std::size_t k = 0; k < n; ++k)
      if (rules.injections[k].perfused_liver_dose_gy) {
        const double per_gbq = metric_value(model, model.unit_dose_gy_per_gbq[k], perfused_liver_name(model.injections[k].name),
                                            {DoseMetric::Kind::mean, 0}, 0.0);
        result.aim_gbq[k] = *rules.injections[k].perfused_liver_dose_gy / per_gbq;
      }
    for (const Goal& g : rules.goals) {
      int best = -1;
      double best_per_gbq = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const double v = metric_value(model, model.unit_dose_gy_per_gbq[k], g.voi, g.metric, model.lung_dose_gy_per_gbq);
        if (v > best_per_gbq) best_per_gbq = v, best = static_cast<int>(k);
      }
      result.goal_injection.push_back(best);
      if (best < 0)
        fail_input("plan", "goal '" + goal_label(g) + "'", "0 Gy per GBq", "the VOI receives no dose from any injection");
      if (rules.injections[best].perfused_liver_dose_gy) continue;  // the stated dose sets this injection
      result.aim_gbq[best] = std::max(result.aim_gbq[best], g.aim_gy.value_or(g.min_gy) / best_per_gbq);
    }
    for (std::size_t k = 0; k < n; ++k)
      if (result.aim_gbq[k] <= 0)
        fail_input("plan", "injection '" + model.injections[k].name + "'", "no goal, dose or activity",
                   "give it a goal on a VOI it perfuses, a perfused_liver_dose_gy, or an activity_gbq");
  }

  // 2. Scales along the aim direction.
  const Evaluation at_aim = evaluate(model, rules, result.aim_gbq);
  result.scale_max = std::numeric_limits<double>::infinity();
  for (const Check& k : at_aim.constraints) {
    if (!k.active) continue;
    // fixed + t·(value − fixed) <= limit
    const double scaling = k.value_gy - k.fixed_gy;
    const double t = scaling > 0 ? std::max(0.0, (k.limit_gy - k.fixed_gy) / scaling) : std::numeric_limits<double>::infinity();
    if (t < result.scale_max) result.scale_max = t, result.binding_constraint = k.label;
  }
  result.scale_min = 0;
  for (const Check& g : at_aim.goals) {
    if (g.value_gy <= 0) {
      result.scale_min = std::numeric_limits<double>::infinity();
      continue;
    }
    result.scale_min = std::max(result.scale_min, g.limit_gy / g.value_gy);
  }

  // Reserve: independent of activity.
  if (rules.reserve_min_percent && model.hepatic_reserve_percent < *rules.reserve_min_percent)
    result.findings.push_back(fmt::format("hepatic reserve {:.1f} % is below the required {} % by {:.1f} points",
                                          model.hepatic_reserve_percent, *rules.reserve_min_percent,
                                          *rules.reserve_min_percent - model.hepatic_reserve_percent));
  const bool reserve_ok = !rules.reserve_min_percent || model.hepatic_reserve_percent >= *rules.reserve_min_percent;

  // 3. Prescription.
  if (what_if) {
    result.status = PlanStatus::what_if;
    result.evaluation = at_aim;
  } else if (result.scale_max >= result.scale_min && std::isfinite(result.scale_min) && reserve_ok) {
    const double t = std::min(1.0, result.scale_max);
    result.status = t < 1.0 ? PlanStatus::reduced_by_constraint : PlanStatus::aims_met;
    result.evaluation = t < 1.0 ? evaluate(model, rules, scaled(result.aim_gbq, t)) : at_aim;
    if (t < 1.0)
      result.findings.push_back(fmt::format("activity reduced to {:.1f} % of the aim by '{}'; every goal minimum is still met",
                                            100 * t, result.binding_constraint));
  } else {
    result.status = PlanStatus::infeasible;
    const double t = std::isfinite(result.scale_min) ? result.scale_min : 1.0;
    result.evaluation = evaluate(model, rules, scaled(result.aim_gbq, t));
    if (!std::isfinite(result.scale_min))
      result.findings.push_back("a goal's VOI receives no dose from the planned injections");
    for (const Check& c : result.evaluation.constraints)
      if (!c.met)
        result.findings.push_back(fmt::format(
            "at the least activity meeting every goal ({:.3f} GBq in all), '{}' is {:.2f} Gy: over its limit by {:.2f} Gy ({:.1f} %)",
            total_gbq(result.evaluation.administered_gbq), c.label, c.value_gy, -c.margin_gy, -100 * c.margin_gy / c.limit_gy));
    if (std::isfinite(result.scale_max)) {
      const Evaluation at_max = evaluate(model, rules, scaled(result.aim_gbq, result.scale_max));
      for (const Check& g : at_max.goals)
        if (!g.met)
          result.findings.push_back(fmt::format(
              "at the largest activity keeping every constraint ({:.3f} GBq, set by '{}'), '{}' reaches {:.2f} Gy: short by {:.2f} Gy",
              total_gbq(at_max.administered_gbq), result.binding_constraint, g.label, g.value_gy, -g.margin_gy));
    }
  }
  return result;
}

}  // namespace sirtkit::dosimetry
