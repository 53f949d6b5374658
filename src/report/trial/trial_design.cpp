#include "report/trial/trial_design.h"

#include <fmt/format.h>

#include <cmath>

namespace sirtkit::report {
namespace {

using nlohmann::json;

constexpr const char* gs_source =
    "Lan & DeMets (1983) alpha spending, recursive integration of Armitage, McPherson & Rowe (1969) on the grid of "
    "Jennison & Turnbull (2000) ch. 19; as rpact getDesignGroupSequential(typeOfDesign = \"asOF\"/\"asP\") and "
    "getDesignCharacteristics()";

constexpr const char* binomial_source =
    "A'Hern (2001), Stat Med 20:859-866: smallest n with a critical count r meeting exact alpha and power";

constexpr const char* fleiss_source = "Fleiss, Tytun & Ury (1980), Biometrics 36:343-346";

std::string g6(double v) { return fmt::format("{:.6g}", v); }

// The whole number a size rounds up to (1e-9 absorbs the solver's last digit).
long round_up(double size) { return static_cast<long>(std::ceil(size - 1e-9)); }

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

json sequential_json(const SequentialSize& s) {
  json j = design_json(s.design);
  j["spending"] = stats::spending_function_name(s.spending);
  j["source"] = gs_source;
  return j;
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

void add_patients_json(json& j, const LogRankSizeResult& r) {
  const auto& a = *r.accrual;
  const auto& p = r.patients;
  j["patients_source"] =
      "events / P(event): uniform accrual, exponential survival and drop-out (Lachin & Foulkes 1986, Biometrics 42:507-519); "
      "as rpact getSampleSizeSurvival(accrualTime, followUpTime | accrualIntensity, dropoutRate1/2, dropoutTime)";
  j["accrual"] = {{"accrual_time", a.accrual_time},     {"follow_up_time", p.follow_up_time}, {"analysis_time", p.analysis_time},
                  {"dropout_rate1", a.dropout_rate1},   {"dropout_rate2", a.dropout_rate2},   {"dropout_time", a.dropout_time}};
  if (a.accrual_rate) j["accrual"]["accrual_rate"] = *a.accrual_rate;
  j["hazard_experimental"] = p.lambda1;
  j["hazard_control"] = p.lambda2;
  j["median_experimental"] = std::log(2.0) / p.lambda1;
  j["median_control"] = std::log(2.0) / p.lambda2;
  j["event_probability"] = p.event_probability;
  j["event_probability_experimental"] = p.event_probability1;
  j["event_probability_control"] = p.event_probability2;
  j[r.sequential ? "max_patients" : "patients"] = p.patients;
  j["patients_experimental"] = p.patients1;
  j["patients_control"] = p.patients2;
}

std::string patients_text(const LogRankSizeResult& r) {
  const auto& a = *r.accrual;
  const auto& p = r.patients;
  std::string t = fmt::format("  control median {}, experimental median {} (hazards {} and {} per time unit)\n", g6(std::log(2.0) / p.lambda2),
                              g6(std::log(2.0) / p.lambda1), g6(p.lambda2), g6(p.lambda1));
  t += fmt::format("  accrual {} + follow-up {}{}: P(event) = {:.6f} (experimental {:.6f}, control {:.6f})\n", g6(a.accrual_time),
                   g6(p.follow_up_time), a.accrual_rate ? " (solved from the accrual rate)" : "", p.event_probability, p.event_probability1,
                   p.event_probability2);
  t += fmt::format("  {}patients: {:.4f} (experimental {:.4f}, control {:.4f}); round each arm up\n", r.sequential ? "maximum " : "", p.patients,
                   p.patients1, p.patients2);
  return t;
}

std::string power_prop_test_source() { return "R stats::power.prop.test (n per group found by uniroot with R's tolerance, stepped as R steps it)"; }
std::string rpact_rates_source() {
  return "rpact getSampleSizeRates(groups = 2, normalApproximation = TRUE); Farrington & Manning (1990), Stat Med 9:1447-1454";
}

json power_prop_test_json(const ProportionsSizeResult& r) {
  const auto& x = r.rates;
  json j;
  j["method"] = "two proportions, normal approximation with pooled variance";
  j["source"] = power_prop_test_source();
  j["inputs"] = {{"p1", x.pi1}, {"p2", x.pi2}, {"sig_level", x.alpha}, {"alternative", x.sided == 1 ? "one.sided" : "two.sided"},
                 {"strict", r.strict}};
  if (r.n_given) {
    j["n_per_group"] = *r.n_given;
    j["power"] = r.power;
    return j;
  }
  j["inputs"]["power"] = 1 - x.beta;
  j["n_per_group"] = r.n_per_group;
  if (r.n_continuity_corrected) {
    j["n_per_group_continuity_corrected"] = *r.n_continuity_corrected;
    j["continuity_correction_source"] = fleiss_source;
  }
  return j;
}

std::string power_prop_test_text(const ProportionsSizeResult& r) {
  const auto& x = r.rates;
  std::string t = fmt::format("Two proportions: {}\n  p1 {}, p2 {}, sig.level {} ({}-sided)\n", power_prop_test_source(), g6(x.pi1), g6(x.pi2),
                              g6(x.alpha), x.sided);
  if (r.n_given) return t + fmt::format("  power with {} per group: {:.6f}\n", g6(*r.n_given), r.power);
  t += fmt::format("  power {}: n per group {:.4f} -> {}\n", g6(1 - x.beta), r.n_per_group, round_up(r.n_per_group));
  if (r.n_continuity_corrected)
    t += fmt::format("  with continuity correction (Fleiss, Tytun & Ury 1980): {:.4f} -> {}\n", *r.n_continuity_corrected,
                     round_up(*r.n_continuity_corrected));
  return t;
}

json rpact_rates_json(const ProportionsSizeResult& r) {
  const auto& x = r.rates;
  const auto& s = r.size;
  json j;
  j["method"] = "two proportions, normal approximation, Farrington-Manning variance under H0";
  j["source"] = rpact_rates_source();
  j["inputs"] = {{"pi1", x.pi1}, {"pi2", x.pi2}, {"alpha", x.alpha}, {"beta", x.beta}, {"power", 1 - x.beta}, {"sided", x.sided},
                 {"allocation_ratio", x.allocation_ratio}, {"risk_ratio", x.risk_ratio}, {"theta0", x.theta0}};
  j["n_fixed"] = s.n;
  j["n1_fixed"] = s.n1;
  j["n2_fixed"] = s.n2;
  j["restricted_pi1"] = s.restricted_pi1;
  j["restricted_pi2"] = s.restricted_pi2;
  if (r.n_continuity_corrected) {
    j["continuity_correction_source"] = std::string(fleiss_source) + " (Fleiss, Levin & Paik 2003 eq. 4.19)";
    j["n_smaller_arm_continuity_corrected"] = *r.n_continuity_corrected;
    j["n_continuity_corrected"] = r.n_total_continuity_corrected;
  }
  if (r.sequential) {
    const double f = r.sequential->design.inflation_factor;
    j["group_sequential"] = sequential_json(*r.sequential);
    j["max_n"] = s.n * f;
    j["max_n1"] = s.n1 * f;
    j["max_n2"] = s.n2 * f;
  }
  return j;
}

std::string rpact_rates_text(const ProportionsSizeResult& r) {
  const auto& x = r.rates;
  const auto& s = r.size;
  const std::string null_text = x.risk_ratio ? fmt::format(", H0 risk ratio {}", g6(x.theta0))
                                : x.theta0 != 0 ? fmt::format(", H0 difference {}", g6(x.theta0))
                                                : "";
  std::string t = fmt::format("Two proportions: {}\n  pi1 {}, pi2 {}, alpha {} ({}-sided), power {}, allocation n1/n2 = {}{}\n", rpact_rates_source(),
                              g6(x.pi1), g6(x.pi2), g6(x.alpha), x.sided, g6(1 - x.beta), g6(x.allocation_ratio), null_text);
  t += fmt::format("  fixed design: n {:.4f} (n1 {:.4f}, n2 {:.4f}); round each arm up\n", s.n, s.n1, s.n2);
  if (r.n_continuity_corrected)
    t += fmt::format("  with continuity correction (Fleiss, Tytun & Ury 1980): smaller arm {:.4f}, total {:.4f}\n", *r.n_continuity_corrected,
                     r.n_total_continuity_corrected);
  if (r.sequential) {
    const double f = r.sequential->design.inflation_factor;
    t += fmt::format("  group-sequential ({} spending): maximum n {:.4f} (n1 {:.4f}, n2 {:.4f})\n", stats::spending_function_name(r.sequential->spending),
                     s.n * f, s.n1 * f, s.n2 * f);
    t += design_text(r.sequential->design, x.sided);
  }
  return t;
}

const char* simon_name(stats::SimonCriterion c) { return c == stats::SimonCriterion::optimal ? "optimal" : "minimax"; }

std::string group_sequential_method(const stats::GroupSequentialInput& in) {
  return std::string("group-sequential boundaries, Lan-DeMets ") +
         (in.spending == stats::SpendingFunction::obrien_fleming ? "O'Brien-Fleming-type" : "Pocock-type") + " alpha spending";
}

}  // namespace

nlohmann::json logrank_size_json(const LogRankSizeResult& r) {
  const auto& ev = r.events;
  json j;
  j["method"] = std::string("log-rank events: ") + stats::log_rank_events_method_name(ev.method);
  j["source"] = stats::log_rank_events_method_source(ev.method);
  j["inputs"] = {{"alpha", ev.rates.alpha},         {"beta", ev.rates.beta},
                 {"power", 1 - ev.rates.beta},      {"sided", ev.rates.sided},
                 {"hazard_ratio", ev.hazard_ratio}, {"hazard_ratio_null", ev.hazard_ratio_null},
                 {"allocation_ratio", ev.allocation_ratio}};
  j["events_fixed"] = r.events_fixed;
  if (r.sequential) {
    const double max_events = r.events_fixed * r.sequential->design.inflation_factor;
    j["group_sequential"] = sequential_json(*r.sequential);
    j["max_events"] = max_events;
    j["events_per_look"] = json::array();
    for (double t : r.sequential->design.information_rates) j["events_per_look"].push_back(max_events * t);
  }
  if (r.accrual) add_patients_json(j, r);
  return j;
}

std::string logrank_size_text(const LogRankSizeResult& r) {
  const auto& ev = r.events;
  std::string t = fmt::format("Log-rank sample size ({}; {})\n", stats::log_rank_events_method_name(ev.method),
                              stats::log_rank_events_method_source(ev.method));
  t += fmt::format("  alpha {} ({}-sided), power {}, hazard ratio {}, allocation n1/n2 = {}\n", g6(ev.rates.alpha), ev.rates.sided,
                   g6(1 - ev.rates.beta), g6(ev.hazard_ratio), g6(ev.allocation_ratio));
  t += fmt::format("  events required (fixed design): {:.4f} -> {}\n", r.events_fixed, round_up(r.events_fixed));
  if (r.sequential) {
    const auto& d = r.sequential->design;
    const double max_events = r.events_fixed * d.inflation_factor;
    t += fmt::format("  group-sequential ({} spending, {} looks): maximum events {:.4f} -> {}\n", stats::spending_function_name(r.sequential->spending),
                     d.critical_values.size(), max_events, round_up(max_events));
    t += design_text(d, ev.rates.sided);
  }
  if (r.accrual) t += patients_text(r);
  return t;
}

std::string proportions_size_text(const ProportionsSizeResult& r) { return r.power_prop_test ? power_prop_test_text(r) : rpact_rates_text(r); }
nlohmann::json proportions_size_json(const ProportionsSizeResult& r) { return r.power_prop_test ? power_prop_test_json(r) : rpact_rates_json(r); }

nlohmann::json binomial_size_json(const BinomialSizeResult& r) {
  json j;
  j["method"] = "single arm, exact binomial test (smallest n)";
  j["source"] = binomial_source;
  j["inputs"] = {{"p0", r.p0}, {"p1", r.p1}, {"alpha", r.alpha}, {"beta", r.beta}, {"power", 1 - r.beta}};
  j["n"] = r.design.n;
  j["critical_responses"] = r.design.critical;
  j["alpha_exact"] = r.design.alpha;
  j["power_exact"] = r.design.power;
  return j;
}

std::string binomial_size_text(const BinomialSizeResult& r) {
  const auto& d = r.design;
  std::string t = fmt::format("Single-arm exact binomial design ({})\n", binomial_source);
  t += fmt::format("  p0 {}, p1 {}, one-sided alpha {}, power {}\n", g6(r.p0), g6(r.p1), g6(r.alpha), g6(1 - r.beta));
  t += fmt::format("  n = {}: reject H0 (p <= p0) with >= {} responses; exact alpha {:.6f}, exact power {:.6f}\n", d.n, d.critical, d.alpha,
                   d.power);
  return t;
}

nlohmann::json simon_size_json(const SimonSizeResult& r) {
  json j;
  j["method"] = "Simon's two-stage design (exhaustive search)";
  j["source"] = "Simon (1989), Controlled Clinical Trials 10:1-10";
  j["inputs"] = {{"p0", r.p0}, {"p1", r.p1}, {"alpha", r.alpha}, {"beta", r.beta}, {"power", 1 - r.beta}, {"max_n", r.max_n}};
  for (const auto& [c, d] : r.designs)
    j[simon_name(c)] = {{"r1", d.r1},     {"n1", d.n1},     {"r", d.r},       {"n", d.n},
                        {"en0", d.en0},   {"pet0", d.pet0}, {"en1", d.en1},   {"pet1", d.pet1},
                        {"alpha_exact", d.alpha}, {"power_exact", d.power}};
  return j;
}

std::string simon_size_text(const SimonSizeResult& r) {
  std::string t = fmt::format("Simon two-stage designs (Simon 1989), p0 {}, p1 {}, alpha {}, power {}, n <= {}\n", g6(r.p0), g6(r.p1), g6(r.alpha),
                              g6(1 - r.beta), r.max_n);
  t += fmt::format("  {:<8} {:>6} {:>6} {:>8} {:>8} {:>9} {:>9} {:>9}\n", "design", "r1/n1", "r/n", "EN(p0)", "PET(p0)", "alpha", "power", "EN(p1)");
  for (const auto& [c, d] : r.designs)
    t += fmt::format("  {:<8} {:>6} {:>6} {:>8.2f} {:>8.3f} {:>9.5f} {:>9.5f} {:>9.2f}\n", simon_name(c), fmt::format("{}/{}", d.r1, d.n1),
                     fmt::format("{}/{}", d.r, d.n), d.en0, d.pet0, d.alpha, d.power, d.en1);
  t += "  stop after stage 1 if <= r1 of n1 respond; reject the regimen if <= r of n respond\n";
  return t;
}

nlohmann::json group_sequential_json(const GroupSequentialResult& r) {
  const auto& in = r.input;
  json j = design_json(r.design);
  j["method"] = group_sequential_method(in);
  j["source"] = gs_source;
  j["inputs"] = {{"alpha", in.alpha}, {"beta", in.beta}, {"power", 1 - in.beta}, {"sided", in.sided},
                 {"spending", stats::spending_function_name(in.spending)}};
  if (r.fixed_size) {
    const double max_size = *r.fixed_size * r.design.inflation_factor;
    j["fixed_size"] = *r.fixed_size;
    j["max_size"] = max_size;
    j["size_per_look"] = json::array();
    for (double t : r.design.information_rates) j["size_per_look"].push_back(max_size * t);
  }
  return j;
}

std::string group_sequential_text(const GroupSequentialResult& r) {
  const auto& in = r.input;
  std::string t = fmt::format("{} ({}), alpha {} ({}-sided), power {}\n", group_sequential_method(in), "rpact getDesignGroupSequential asOF/asP",
                              g6(in.alpha), in.sided, g6(1 - in.beta));
  t += design_text(r.design, in.sided);
  if (r.fixed_size)
    t += fmt::format("  fixed size {} x inflation {:.6f} = maximum {:.4f}\n", g6(*r.fixed_size), r.design.inflation_factor,
                     *r.fixed_size * r.design.inflation_factor);
  return t;
}

}  // namespace sirtkit::report
