#pragma once
// Bayesian monitoring jobs (issue 15 item 3): the table of Thall-Simon(-Estey)
// stopping boundaries of a design, its operating characteristics (exact and
// simulated with a seed), and the live decision for the current data. Each
// returns every number; report/trial/trial_monitoring renders them.

#include <cstdint>
#include <optional>
#include <vector>

#include "report/trial/trial_monitoring.h"
#include "stats/trial/bayesian_monitoring.h"

namespace sirtkit::pipelines {

report::MonitorBoundariesResult run_monitor_boundaries(const stats::MonitoringDesign& design);

struct MonitorOcRequest {
  stats::MonitoringDesign design;
  std::vector<double> true_response{0};  // one scenario per pair (response, toxicity)
  std::vector<double> true_toxicity{0};
  long simulations = 10000;
  std::uint64_t seed = 1;
};
report::MonitorOcResult run_monitor_oc(const MonitorOcRequest& request);

struct MonitorDecideRequest {
  stats::MonitoringDesign design;
  int n = 0;
  std::optional<int> responses, toxicities;
};
report::MonitorDecisionResult run_monitor_decide(const MonitorDecideRequest& request);

}  // namespace sirtkit::pipelines
