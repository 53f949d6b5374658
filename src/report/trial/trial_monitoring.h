#pragma once
// Text and JSON of the Bayesian monitoring jobs (`sirtkit monitor boundaries |
// oc | decide`, Thall-Simon): the values pipelines/trial/trial_monitoring
// computes, with the design's rules and their source.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stats/trial/bayesian_monitoring.h"

namespace sirtkit::report {

struct MonitorBoundariesResult {
  stats::MonitoringDesign design;
  std::vector<stats::BoundaryRow> rows;  // one per look
};
std::string monitor_boundaries_text(const MonitorBoundariesResult& r);
nlohmann::json monitor_boundaries_json(const MonitorBoundariesResult& r);

struct MonitorOcResult {
  stats::MonitoringDesign design;
  long simulations = 0;
  std::uint64_t seed = 0;
  std::vector<stats::OperatingCharacteristics> scenarios;  // one per (true response, true toxicity)
};
std::string monitor_oc_text(const MonitorOcResult& r);
nlohmann::json monitor_oc_json(const MonitorOcResult& r);

struct MonitorDecisionResult {
  stats::MonitoringDesign design;
  int n = 0;
  std::optional<int> responses, toxicities;
  stats::LiveDecision decision;
};
std::string monitor_decision_text(const MonitorDecisionResult& r);
nlohmann::json monitor_decision_json(const MonitorDecisionResult& r);

}  // namespace sirtkit::report
