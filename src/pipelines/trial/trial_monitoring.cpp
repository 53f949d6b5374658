#include "pipelines/trial/trial_monitoring.h"

#include <string>

#include "core/error.h"

namespace sirtkit::pipelines {

report::MonitorBoundariesResult run_monitor_boundaries(const stats::MonitoringDesign& d) { return {d, stats::monitoring_boundaries(d)}; }

report::MonitorOcResult run_monitor_oc(const MonitorOcRequest& rq) {
  auto resp = rq.true_response, tox = rq.true_toxicity;
  if (resp.size() != tox.size()) {
    if (resp.size() == 1) resp.assign(tox.size(), resp.front());
    else if (tox.size() == 1) tox.assign(resp.size(), tox.front());
    else fail_input("options", "true-toxicity", std::to_string(tox.size()) + " rates", "one rate, or as many as --true-response");
  }
  report::MonitorOcResult r{rq.design, rq.simulations, rq.seed, {}};
  for (std::size_t i = 0; i < resp.size(); ++i)
    r.scenarios.push_back(stats::monitoring_operating_characteristics(rq.design, resp[i], tox[i], rq.simulations, rq.seed));
  return r;
}

report::MonitorDecisionResult run_monitor_decide(const MonitorDecideRequest& rq) {
  return {rq.design, rq.n, rq.responses, rq.toxicities, stats::monitoring_decision(rq.design, rq.n, rq.responses, rq.toxicities)};
}

}  // namespace sirtkit::pipelines
