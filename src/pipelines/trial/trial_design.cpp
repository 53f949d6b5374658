#include "pipelines/trial/trial_design.h"

#include <fmt/format.h>

#include <cmath>

#include "core/error.h"
#include "core/format.h"

namespace sirtkit::pipelines {
namespace {

using nlohmann::json;

constexpr const char* gs_source =
    "Lan & DeMets (1983) alpha spending, recursive integration of Armitage, McPherson & Rowe (1969) on the grid of "
    "Jennison & Turnbull (2000) ch. 19; as rpact getDesignGroupSequential(typeOfDesign = \"asOF\"/\"asP\") and "
    "getDesignCharacteristics()";

std::string g6(double v) { return fmt::format("{:.6g}", v); }

json design_json(const stats::GroupSequentialDesign& d) {
  return {{"information_rates", d.information_rates},
          {"critical_values", d.critical_values},
          {"alpha_spent", d.alpha_spent},
          {"stage_levels", d.stage_levels},
          {"inflation_factor", d.inflation_factor},
          {"drift_squared", d.drift_squared},
          {"fixed_drift_squared", d.fixed_drift_squared},
          {"rejection_probabilities_h1", d.rejection_probabilities},
          {"power", d.power},
          {"expected_relative_size_h1", d.expected_relative_size_h1},
          {"expected_relative_size_h01", d.expected_relative_size_h01},
          {"expected_relative_size_h0", d.expected_relative_size_h0}};
}

std::string design_text(const stats::GroupSequentialDesign& d, int sided) {
  std::string t = fmt::format("  {:>4}  {:>12}  {:>14}  {:>12}  {:>12}  {:>14}\n", "look", "information", sided == 2 ? "|z| boundary" : "z boundary",
                              "alpha spent", "nominal p", "P(reject) H1");
  for (std::size_t k = 0; k < d.critical_values.size(); ++k)
    t += fmt::format("  {:>4}  {:>12.4f}  {:>14.6f}  {:>12.6g}  {:>12.6g}  {:>14.6f}\n", k + 1, d.information_rates[k], d.critical_values[k],
                     d.alpha_spent[k], d.stage_levels[k], d.rejection_probabilities[k]);
  t += fmt::format("  inflation factor {:.6f}; expected size / fixed: {:.4f} under H1, {:.4f} under H0\n", d.inflation_factor,
                   d.expected_relative_size_h1, d.expected_relative_size_h0);
  return t;
}

stats::GroupSequentialDesign sequential_design(const SequentialPlan& plan, double alpha, double beta, int sided) {
  stats::GroupSequentialInput in;
  in.information_rates = plan.information_rates;
  in.alpha = alpha;
  in.beta = beta;
  in.sided = sided;
  in.spending = plan.spending;
  return stats::group_sequential_design(in);
}

int count_given(std::initializer_list<bool> v) {
  int n = 0;
  for (bool b : v) n += b;
  return n;
}

}  // namespace

std::vector<double> equally_spaced_information(int looks) {
  if (looks < 1 || looks > 20) fail_input("options", "looks", std::to_string(looks), "1 to 20 looks");
  std::vector<double> t;
  for (int k = 1; k <= looks; ++k) t.push_back(k == looks ? 1.0 : static_cast<double>(k) / looks);
  return t;
}

DescriptiveOutput run_logrank_size(const LogRankSizeRequest& rq) {
  const bool has_ctrl_hazard = rq.median_control || rq.hazard_control || rq.event_probability_control;
  if (count_given({rq.median_control.has_value(), rq.hazard_control.has_value(), rq.event_probability_control.has_value()}) > 1)
    fail_input("options", "median-control/hazard-control/event-prob-control", "(more than one)", "one way to give the control arm's survival");
  if (count_given({rq.median_experimental.has_value(), rq.hazard_experimental.has_value(), rq.event_probability_experimental.has_value()}) > 1)
    fail_input("options", "median-experimental/hazard-experimental/event-prob-experimental", "(more than one)",
               "one way to give the experimental arm's survival");
  const bool has_exp_hazard = rq.median_experimental || rq.hazard_experimental || rq.event_probability_experimental;
  auto hazard = [&](const std::optional<double>& median, const std::optional<double>& h, const std::optional<double>& p) {
    if (median) return stats::hazard_from_median(*median);
    if (h) {
      if (!(std::isfinite(*h) && *h > 0)) fail_input("options", "hazard", num(*h), "a hazard > 0 per time unit");
      return *h;
    }
    return stats::hazard_from_event_probability(*p, rq.event_time);
  };
  stats::LogRankEventsInput ev = rq.events;
  double lambda2 = 0, lambda1 = 0;
  if (has_ctrl_hazard) lambda2 = hazard(rq.median_control, rq.hazard_control, rq.event_probability_control);
  if (has_exp_hazard) {
    if (!has_ctrl_hazard) fail_input("options", "median-control", "(none)", "the control arm's survival with the experimental arm's");
    if (ev.hazard_ratio != 0) fail_input("options", "hazard-ratio", num(ev.hazard_ratio), "no hazard ratio when the experimental arm's survival is given");
    lambda1 = hazard(rq.median_experimental, rq.hazard_experimental, rq.event_probability_experimental);
    ev.hazard_ratio = lambda1 / lambda2;
  } else {
    lambda1 = ev.hazard_ratio * lambda2;
  }
  const double events = stats::log_rank_events(ev);
  json j;
  j["method"] = std::string("log-rank events: ") + stats::log_rank_events_method_name(ev.method);
  j["source"] = stats::log_rank_events_method_source(ev.method);
  j["inputs"] = {{"alpha", ev.rates.alpha},       {"beta", ev.rates.beta},
                 {"power", 1 - ev.rates.beta},    {"sided", ev.rates.sided},
                 {"hazard_ratio", ev.hazard_ratio}, {"hazard_ratio_null", ev.hazard_ratio_null},
                 {"allocation_ratio", ev.allocation_ratio}};
  j["events_fixed"] = events;
  std::string t = fmt::format("Log-rank sample size ({}; {})\n", stats::log_rank_events_method_name(ev.method),
                              stats::log_rank_events_method_source(ev.method));
  t += fmt::format("  alpha {} ({}-sided), power {}, hazard ratio {}, allocation n1/n2 = {}\n", g6(ev.rates.alpha), ev.rates.sided,
                   g6(1 - ev.rates.beta), g6(ev.hazard_ratio), g6(ev.allocation_ratio));
  t += fmt::format("  events required (fixed design): {:.4f} -> {}\n", events, static_cast<long>(std::ceil(events - 1e-9)));
  double inflation = 1;
  if (rq.sequential) {
    const auto d = sequential_design(*rq.sequential, ev.rates.alpha, ev.rates.beta, ev.rates.sided);
    inflation = d.inflation_factor;
    j["group_sequential"] = design_json(d);
    j["group_sequential"]["spending"] = stats::spending_function_name(rq.sequential->spending);
    j["group_sequential"]["source"] = gs_source;
    j["max_events"] = events * inflation;
    j["events_per_look"] = json::array();
    for (double r : d.information_rates) j["events_per_look"].push_back(events * inflation * r);
    t += fmt::format("  group-sequential ({} spending, {} looks): maximum events {:.4f} -> {}\n",
                     stats::spending_function_name(rq.sequential->spending), d.critical_values.size(), events * inflation,
                     static_cast<long>(std::ceil(events * inflation - 1e-9)));
    t += design_text(d, ev.rates.sided);
  }
  if (rq.accrual) {
    if (!has_ctrl_hazard) fail_input("options", "median-control", "(none)", "the control arm's survival (median, hazard or event probability) to count patients");
    const auto p = stats::log_rank_patients(events * inflation, lambda1, lambda2, ev.allocation_ratio, *rq.accrual);
    j["patients_source"] =
        "events / P(event): uniform accrual, exponential survival and drop-out (Lachin & Foulkes 1986, Biometrics 42:507-519); "
        "as rpact getSampleSizeSurvival(accrualTime, followUpTime | accrualIntensity, dropoutRate1/2, dropoutTime)";
    j["accrual"] = {{"accrual_time", rq.accrual->accrual_time},
                    {"follow_up_time", p.follow_up_time},
                    {"analysis_time", p.analysis_time},
                    {"dropout_rate1", rq.accrual->dropout_rate1},
                    {"dropout_rate2", rq.accrual->dropout_rate2},
                    {"dropout_time", rq.accrual->dropout_time}};
    if (rq.accrual->accrual_rate) j["accrual"]["accrual_rate"] = *rq.accrual->accrual_rate;
    j["hazard_experimental"] = p.lambda1;
    j["hazard_control"] = p.lambda2;
    j["median_experimental"] = std::log(2.0) / p.lambda1;
    j["median_control"] = std::log(2.0) / p.lambda2;
    j["event_probability"] = p.event_probability;
    j["event_probability_experimental"] = p.event_probability1;
    j["event_probability_control"] = p.event_probability2;
    j[rq.sequential ? "max_patients" : "patients"] = p.patients;
    j["patients_experimental"] = p.patients1;
    j["patients_control"] = p.patients2;
    t += fmt::format("  control median {}, experimental median {} (hazards {} and {} per time unit)\n", g6(std::log(2.0) / p.lambda2),
                     g6(std::log(2.0) / p.lambda1), g6(p.lambda2), g6(p.lambda1));
    t += fmt::format("  accrual {} + follow-up {}{}: P(event) = {:.6f} (experimental {:.6f}, control {:.6f})\n", g6(rq.accrual->accrual_time),
                     g6(p.follow_up_time), rq.accrual->accrual_rate ? " (solved from the accrual rate)" : "", p.event_probability,
                     p.event_probability1, p.event_probability2);
    t += fmt::format("  {}patients: {:.4f} (experimental {:.4f}, control {:.4f}); round each arm up\n", rq.sequential ? "maximum " : "",
                     p.patients, p.patients1, p.patients2);
  }
  return {j, t};
}

ProportionsMethod parse_proportions_method(const std::string& s) {
  if (s == "rpact" || s == "farrington-manning") return ProportionsMethod::rpact;
  if (s == "power.prop.test" || s == "pooled") return ProportionsMethod::power_prop_test;
  fail_input("options", "method", s, "rpact or power.prop.test");
}

DescriptiveOutput run_proportions_size(const ProportionsSizeRequest& rq) {
  json j;
  std::string t;
  const auto& r = rq.rates;
  const double diff = r.pi1 - r.pi2;
  if (rq.method == ProportionsMethod::power_prop_test) {
    if (rq.sequential) fail_input("options", "looks", "(given)", "a group-sequential plan only with --method rpact");
    if (r.allocation_ratio != 1 || r.risk_ratio || r.theta0 != 0)
      fail_input("options", "method", "power.prop.test", "equal allocation and a zero difference under H0 (use --method rpact)");
    stats::PowerPropInput in{r.pi1, r.pi2, r.alpha, r.sided == 1, rq.strict};
    j["method"] = "two proportions, normal approximation with pooled variance";
    j["source"] = "R stats::power.prop.test (n per group found by uniroot with R's tolerance, stepped as R steps it)";
    j["inputs"] = {{"p1", r.pi1}, {"p2", r.pi2}, {"sig_level", r.alpha}, {"alternative", r.sided == 1 ? "one.sided" : "two.sided"},
                   {"strict", rq.strict}};
    t = fmt::format("Two proportions: {}\n  p1 {}, p2 {}, sig.level {} ({}-sided)\n", j["source"].get<std::string>(), g6(r.pi1), g6(r.pi2),
                    g6(r.alpha), r.sided);
    if (rq.n_per_group) {
      const double power = stats::power_prop_test_power(in, *rq.n_per_group);
      j["n_per_group"] = *rq.n_per_group;
      j["power"] = power;
      t += fmt::format("  power with {} per group: {:.6f}\n", g6(*rq.n_per_group), power);
      return {j, t};
    }
    const double n = stats::power_prop_test_n(in, 1 - r.beta);
    j["inputs"]["power"] = 1 - r.beta;
    j["n_per_group"] = n;
    t += fmt::format("  power {}: n per group {:.4f} -> {}\n", g6(1 - r.beta), n, static_cast<long>(std::ceil(n - 1e-9)));
    if (rq.continuity_correction) {
      const double nc = stats::continuity_corrected_n(n, diff, 1);
      j["n_per_group_continuity_corrected"] = nc;
      j["continuity_correction_source"] = "Fleiss, Tytun & Ury (1980), Biometrics 36:343-346";
      t += fmt::format("  with continuity correction (Fleiss, Tytun & Ury 1980): {:.4f} -> {}\n", nc, static_cast<long>(std::ceil(nc - 1e-9)));
    }
    return {j, t};
  }
  if (rq.n_per_group) fail_input("options", "n", num(*rq.n_per_group), "a power calculation only with --method power.prop.test");
  if (rq.strict) fail_input("options", "strict", "(given)", "--strict only with --method power.prop.test");
  const auto s = stats::rates_sample_size(r);
  j["method"] = "two proportions, normal approximation, Farrington-Manning variance under H0";
  j["source"] = "rpact getSampleSizeRates(groups = 2, normalApproximation = TRUE); Farrington & Manning (1990), Stat Med 9:1447-1454";
  j["inputs"] = {{"pi1", r.pi1}, {"pi2", r.pi2}, {"alpha", r.alpha}, {"beta", r.beta}, {"power", 1 - r.beta}, {"sided", r.sided},
                 {"allocation_ratio", r.allocation_ratio}, {"risk_ratio", r.risk_ratio}, {"theta0", r.theta0}};
  j["n_fixed"] = s.n;
  j["n1_fixed"] = s.n1;
  j["n2_fixed"] = s.n2;
  j["restricted_pi1"] = s.restricted_pi1;
  j["restricted_pi2"] = s.restricted_pi2;
  t = fmt::format("Two proportions: {}\n  pi1 {}, pi2 {}, alpha {} ({}-sided), power {}, allocation n1/n2 = {}{}\n", j["source"].get<std::string>(),
                  g6(r.pi1), g6(r.pi2), g6(r.alpha), r.sided, g6(1 - r.beta), g6(r.allocation_ratio),
                  r.risk_ratio ? fmt::format(", H0 risk ratio {}", g6(r.theta0)) : r.theta0 != 0 ? fmt::format(", H0 difference {}", g6(r.theta0)) : "");
  t += fmt::format("  fixed design: n {:.4f} (n1 {:.4f}, n2 {:.4f}); round each arm up\n", s.n, s.n1, s.n2);
  if (rq.continuity_correction) {
    const double ratio = r.allocation_ratio >= 1 ? r.allocation_ratio : 1 / r.allocation_ratio;
    const double small = std::min(s.n1, s.n2);
    const double nc = stats::continuity_corrected_n(small, diff, ratio);
    j["continuity_correction_source"] = "Fleiss, Tytun & Ury (1980), Biometrics 36:343-346 (Fleiss, Levin & Paik 2003 eq. 4.19)";
    j["n_smaller_arm_continuity_corrected"] = nc;
    j["n_continuity_corrected"] = nc * (1 + ratio);
    t += fmt::format("  with continuity correction (Fleiss, Tytun & Ury 1980): smaller arm {:.4f}, total {:.4f}\n", nc, nc * (1 + ratio));
  }
  if (rq.sequential) {
    const auto d = sequential_design(*rq.sequential, r.alpha, r.beta, r.sided);
    j["group_sequential"] = design_json(d);
    j["group_sequential"]["spending"] = stats::spending_function_name(rq.sequential->spending);
    j["group_sequential"]["source"] = gs_source;
    j["max_n"] = s.n * d.inflation_factor;
    j["max_n1"] = s.n1 * d.inflation_factor;
    j["max_n2"] = s.n2 * d.inflation_factor;
    t += fmt::format("  group-sequential ({} spending): maximum n {:.4f} (n1 {:.4f}, n2 {:.4f})\n", stats::spending_function_name(rq.sequential->spending),
                     s.n * d.inflation_factor, s.n1 * d.inflation_factor, s.n2 * d.inflation_factor);
    t += design_text(d, r.sided);
  }
  return {j, t};
}

DescriptiveOutput run_binomial_size(const BinomialSizeRequest& rq) {
  const auto d = stats::exact_binomial_design(rq.p0, rq.p1, rq.alpha, rq.beta, rq.max_n);
  json j;
  j["method"] = "single arm, exact binomial test (smallest n)";
  j["source"] = "A'Hern (2001), Stat Med 20:859-866: smallest n with a critical count r meeting exact alpha and power";
  j["inputs"] = {{"p0", rq.p0}, {"p1", rq.p1}, {"alpha", rq.alpha}, {"beta", rq.beta}, {"power", 1 - rq.beta}};
  j["n"] = d.n;
  j["critical_responses"] = d.critical;
  j["alpha_exact"] = d.alpha;
  j["power_exact"] = d.power;
  std::string t = fmt::format("Single-arm exact binomial design ({})\n", j["source"].get<std::string>());
  t += fmt::format("  p0 {}, p1 {}, one-sided alpha {}, power {}\n", g6(rq.p0), g6(rq.p1), g6(rq.alpha), g6(1 - rq.beta));
  t += fmt::format("  n = {}: reject H0 (p <= p0) with >= {} responses; exact alpha {:.6f}, exact power {:.6f}\n", d.n, d.critical, d.alpha,
                   d.power);
  return {j, t};
}

DescriptiveOutput run_simon_size(const SimonSizeRequest& rq) {
  json j;
  j["method"] = "Simon's two-stage design (exhaustive search)";
  j["source"] = "Simon (1989), Controlled Clinical Trials 10:1-10";
  j["inputs"] = {{"p0", rq.p0}, {"p1", rq.p1}, {"alpha", rq.alpha}, {"beta", rq.beta}, {"power", 1 - rq.beta}, {"max_n", rq.max_n}};
  std::string t = fmt::format("Simon two-stage designs (Simon 1989), p0 {}, p1 {}, alpha {}, power {}, n <= {}\n", g6(rq.p0), g6(rq.p1),
                              g6(rq.alpha), g6(1 - rq.beta), rq.max_n);
  t += fmt::format("  {:<8} {:>6} {:>6} {:>8} {:>8} {:>9} {:>9} {:>9}\n", "design", "r1/n1", "r/n", "EN(p0)", "PET(p0)", "alpha", "power", "EN(p1)");
  for (auto c : rq.criteria) {
    const auto d = stats::simon_design(rq.p0, rq.p1, rq.alpha, rq.beta, c, rq.max_n);
    const char* name = c == stats::SimonCriterion::optimal ? "optimal" : "minimax";
    j[name] = {{"r1", d.r1}, {"n1", d.n1}, {"r", d.r}, {"n", d.n}, {"en0", d.en0}, {"pet0", d.pet0}, {"en1", d.en1}, {"pet1", d.pet1},
               {"alpha_exact", d.alpha}, {"power_exact", d.power}};
    t += fmt::format("  {:<8} {:>6} {:>6} {:>8.2f} {:>8.3f} {:>9.5f} {:>9.5f} {:>9.2f}\n", name, fmt::format("{}/{}", d.r1, d.n1),
                     fmt::format("{}/{}", d.r, d.n), d.en0, d.pet0, d.alpha, d.power, d.en1);
  }
  t += "  stop after stage 1 if <= r1 of n1 respond; reject the regimen if <= r of n respond\n";
  return {j, t};
}

DescriptiveOutput run_group_sequential(const GroupSequentialRequest& rq) {
  const auto d = stats::group_sequential_design(rq.design);
  json j = design_json(d);
  j["method"] = std::string("group-sequential boundaries, Lan-DeMets ") +
                (rq.design.spending == stats::SpendingFunction::obrien_fleming ? "O'Brien-Fleming-type" : "Pocock-type") + " alpha spending";
  j["source"] = gs_source;
  j["inputs"] = {{"alpha", rq.design.alpha}, {"beta", rq.design.beta}, {"power", 1 - rq.design.beta}, {"sided", rq.design.sided},
                 {"spending", stats::spending_function_name(rq.design.spending)}};
  std::string t = fmt::format("{} ({}), alpha {} ({}-sided), power {}\n", j["method"].get<std::string>(),
                              "rpact getDesignGroupSequential asOF/asP", g6(rq.design.alpha), rq.design.sided, g6(1 - rq.design.beta));
  t += design_text(d, rq.design.sided);
  if (rq.fixed_size) {
    if (!(std::isfinite(*rq.fixed_size) && *rq.fixed_size > 0)) fail_input("options", "fixed-n", num(*rq.fixed_size), "a fixed sample size > 0");
    j["fixed_size"] = *rq.fixed_size;
    j["max_size"] = *rq.fixed_size * d.inflation_factor;
    j["size_per_look"] = json::array();
    for (double r : d.information_rates) j["size_per_look"].push_back(*rq.fixed_size * d.inflation_factor * r);
    t += fmt::format("  fixed size {} x inflation {:.6f} = maximum {:.4f}\n", g6(*rq.fixed_size), d.inflation_factor, *rq.fixed_size * d.inflation_factor);
  }
  return {j, t};
}

}  // namespace sirtkit::pipelines
