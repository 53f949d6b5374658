#include "report/trial/trial_monitoring.h"

#include <fmt/format.h>

#include "report/number_output.h"

namespace sirtkit::report {
namespace {

using nlohmann::json;

constexpr const char* source =
    "Thall & Simon (1994), Biometrics 50:337-349; Thall, Simon & Estey (1995), Stat Med 14:357-379 "
    "(posterior Pr(theta_E > theta_S + delta | data), Beta priors; cran/ph2bye MultPostP for a fixed theta_S)";

json rule_json(const stats::MonitoringRule& r, const char* stop) {
  json j = {{"experimental_prior", {{"a", r.experimental.a}, {"b", r.experimental.b}}}, {"delta", r.delta}, {"threshold", r.threshold}, {"stop_if", stop}};
  if (r.standard) j["standard_prior"] = {{"a", r.standard->a}, {"b", r.standard->b}};
  else j["target"] = r.target;
  return j;
}

std::string rule_text(const char* name, const stats::MonitoringRule& r, const char* op) {
  const std::string s = r.standard ? fmt::format("theta_S ~ Beta({:.4g}, {:.4g})", r.standard->a, r.standard->b)
                                   : fmt::format("theta_S = {:.4g}", r.target);
  return fmt::format("  {}: theta_E ~ Beta({:.4g}, {:.4g}) a priori, {}; stop if Pr(theta_E > theta_S + {:.4g} | data) {} {:.4g}\n", name,
                     r.experimental.a, r.experimental.b, s, r.delta, op, r.threshold);
}

json design_json(const stats::MonitoringDesign& d) {
  json j;
  j["schedule"] = d.schedule;
  if (d.futility) j["futility"] = rule_json(*d.futility, "probability < threshold");
  if (d.toxicity) j["toxicity"] = rule_json(*d.toxicity, "probability > threshold");
  return j;
}

std::string design_text(const stats::MonitoringDesign& d) {
  std::string t;
  if (d.futility) t += rule_text("futility (responses)", *d.futility, "<");
  if (d.toxicity) t += rule_text("toxicity", *d.toxicity, ">");
  return t;
}

json boundary_json(const stats::BoundaryRow& b, const stats::MonitoringDesign& d) {
  json j = {{"n", b.n}};
  if (d.futility) {
    j["stop_if_responses_at_most"] = b.futility_max >= 0 ? json(b.futility_max) : json(nullptr);
    j["futility_probability"] = json_or_null(b.futility_probability);
  }
  if (d.toxicity) {
    j["stop_if_toxicities_at_least"] = b.toxicity_min <= b.n ? json(b.toxicity_min) : json(nullptr);
    j["toxicity_probability"] = json_or_null(b.toxicity_probability);
  }
  return j;
}

json scenario_json(const stats::OperatingCharacteristics& oc) {
  return {{"true_response", oc.true_response},
          {"true_toxicity", oc.true_toxicity},
          {"exact", {{"p_stop_early", oc.p_stop}, {"p_stop_futility", oc.p_stop_futility}, {"p_stop_toxicity", oc.p_stop_toxicity},
                     {"expected_n", oc.expected_n}}},
          {"simulated", {{"p_stop_early", oc.sim_p_stop}, {"se_p_stop_early", oc.se_p_stop},
                         {"p_stop_futility", oc.sim_p_stop_futility}, {"se_p_stop_futility", oc.se_p_stop_futility},
                         {"p_stop_toxicity", oc.sim_p_stop_toxicity}, {"se_p_stop_toxicity", oc.se_p_stop_toxicity},
                         {"expected_n", oc.sim_expected_n}, {"se_expected_n", oc.se_expected_n},
                         {"p_stop_at_look", oc.sim_p_stop_at_look}}}};
}

// "exact (simulated [Monte-Carlo SE])" of one probability.
std::string oc_cell(double exact, double sim, double se) { return fmt::format("{:.4f} ({:.4f} [{:.4f}])", exact, sim, se); }

std::string scenario_text(const stats::OperatingCharacteristics& oc) {
  return fmt::format("  {:>8.4g} {:>8.4g}  {:>22} {:>22} {:>22} {:>22}\n", oc.true_response, oc.true_toxicity,
                     oc_cell(oc.p_stop, oc.sim_p_stop, oc.se_p_stop), oc_cell(oc.p_stop_futility, oc.sim_p_stop_futility, oc.se_p_stop_futility),
                     oc_cell(oc.p_stop_toxicity, oc.sim_p_stop_toxicity, oc.se_p_stop_toxicity),
                     fmt::format("{:.2f} ({:.2f} [{:.2f}])", oc.expected_n, oc.sim_expected_n, oc.se_expected_n));
}

std::string joined(const std::vector<int>& v) {
  std::string s;
  for (int n : v) s += (s.empty() ? "" : ",") + std::to_string(n);
  return s;
}

}  // namespace

nlohmann::json monitor_boundaries_json(const MonitorBoundariesResult& r) {
  json j;
  j["method"] = "Bayesian stopping boundaries (Thall-Simon)";
  j["source"] = source;
  j["design"] = design_json(r.design);
  j["boundaries"] = json::array();
  for (const auto& b : r.rows) j["boundaries"].push_back(boundary_json(b, r.design));
  return j;
}

std::string monitor_boundaries_text(const MonitorBoundariesResult& r) {
  const auto& d = r.design;
  std::string t = fmt::format("Bayesian monitoring boundaries ({})\n", "Thall & Simon 1994; Thall, Simon & Estey 1995");
  t += design_text(d);
  t += fmt::format("  {:>5}", "n");
  if (d.futility) t += fmt::format("  {:>22}", "stop if responses <=");
  if (d.toxicity) t += fmt::format("  {:>22}", "stop if toxicities >=");
  t += "\n";
  for (const auto& b : r.rows) {
    t += fmt::format("  {:>5}", b.n);
    if (d.futility) t += fmt::format("  {:>22}", b.futility_max >= 0 ? std::to_string(b.futility_max) : std::string("-"));
    if (d.toxicity) t += fmt::format("  {:>22}", b.toxicity_min <= b.n ? std::to_string(b.toxicity_min) : std::string("-"));
    t += "\n";
  }
  return t;
}

nlohmann::json monitor_oc_json(const MonitorOcResult& r) {
  json j;
  j["method"] = "operating characteristics of Bayesian monitoring: exact (recursion over the counts) and simulated";
  j["source"] = source;
  j["design"] = design_json(r.design);
  j["simulations"] = r.simulations;
  j["seed"] = r.seed;
  j["outcomes"] = "response and toxicity independent, each patient Bernoulli; an early stop is a stop at a look before the last";
  j["scenarios"] = json::array();
  for (const auto& oc : r.scenarios) j["scenarios"].push_back(scenario_json(oc));
  return j;
}

std::string monitor_oc_text(const MonitorOcResult& r) {
  std::string t = "Operating characteristics of Bayesian monitoring (Thall & Simon 1994)\n" + design_text(r.design);
  t += fmt::format("  looks at n = {}; {} simulated trials, seed {} (Monte-Carlo SE in brackets)\n", joined(r.design.schedule), r.simulations, r.seed);
  t += fmt::format("  {:>8} {:>8}  {:>22} {:>22} {:>22} {:>22}\n", "p_resp", "p_tox", "P(stop early)", "P(futility)", "P(toxicity)", "E[N]");
  for (const auto& oc : r.scenarios) t += scenario_text(oc);
  t += "  each cell: exact (simulated [Monte-Carlo SE])\n";
  return t;
}

nlohmann::json monitor_decision_json(const MonitorDecisionResult& r) {
  const auto& d = r.decision;
  json j;
  j["method"] = "Bayesian monitoring decision for the current data (Thall-Simon)";
  j["source"] = source;
  j["design"] = design_json(r.design);
  j["n"] = r.n;
  if (r.responses) j["responses"] = *r.responses;
  if (r.toxicities) j["toxicities"] = *r.toxicities;
  j["decision"] = stats::monitoring_decision_name(d.decision);
  j["at_scheduled_look"] = d.at_look;
  if (d.futility_probability) j["futility_probability"] = *d.futility_probability;
  if (d.toxicity_probability) j["toxicity_probability"] = *d.toxicity_probability;
  if (d.boundary) j["boundary"] = boundary_json(*d.boundary, r.design);
  return j;
}

std::string monitor_decision_text(const MonitorDecisionResult& r) {
  const auto& d = r.decision;
  std::string t = "Bayesian monitoring decision (Thall & Simon 1994)\n" + design_text(r.design);
  t += fmt::format("  data: n = {}", r.n);
  if (r.responses) t += fmt::format(", responses {}", *r.responses);
  if (r.toxicities) t += fmt::format(", toxicities {}", *r.toxicities);
  t += "\n";
  if (d.futility_probability)
    t += fmt::format("  Pr(response rate > standard + delta | data) = {:.6f} (stop below {:.4g})\n", *d.futility_probability, r.design.futility->threshold);
  if (d.toxicity_probability)
    t += fmt::format("  Pr(toxicity rate > target + delta | data) = {:.6f} (stop above {:.4g})\n", *d.toxicity_probability, r.design.toxicity->threshold);
  t += fmt::format("  decision: {}{}\n", stats::monitoring_decision_name(d.decision),
                   d.at_look ? "" : " (n is not a scheduled look; the rule is applied as if it were)");
  return t;
}

}  // namespace sirtkit::report
