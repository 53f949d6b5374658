#include "report/trial/trial_monitoring.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace sirtkit::report {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

stats::MonitoringDesign toxicity_and_futility() {
  stats::MonitoringDesign d;
  d.schedule = {5, 10};
  stats::MonitoringRule tox;
  tox.experimental = {0.4, 1.6};
  tox.target = 0.2;
  tox.threshold = 0.9;
  d.toxicity = tox;
  stats::MonitoringRule fut;
  fut.experimental = {0.45, 0.55};
  fut.standard = stats::BetaPrior{30, 70};
  fut.delta = 0.15;
  fut.threshold = 0.05;
  d.futility = fut;
  return d;
}

// A look at which no count stops the trial shows "-" in the table and null in
// the JSON, never a count (-1 responses, n + 1 toxicities) no one can observe.
TEST(TrialMonitoringRender, LookWithoutAStoppingCount) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  MonitorBoundariesResult r{toxicity_and_futility(), {{5, -1, 6, nan, nan}, {10, 0, 5, 0.012, 0.93}}};
  const auto j = monitor_boundaries_json(r);
  EXPECT_TRUE(j["boundaries"][0]["stop_if_responses_at_most"].is_null());
  EXPECT_TRUE(j["boundaries"][0]["stop_if_toxicities_at_least"].is_null());
  EXPECT_TRUE(j["boundaries"][0]["futility_probability"].is_null());
  EXPECT_EQ(j["boundaries"][1]["stop_if_responses_at_most"], 0);
  EXPECT_EQ(j["boundaries"][1]["stop_if_toxicities_at_least"], 5);
  EXPECT_EQ(j["design"]["futility"]["standard_prior"]["a"], 30);
  EXPECT_EQ(j["design"]["toxicity"]["target"], 0.2);
  const std::string t = monitor_boundaries_text(r);
  EXPECT_TRUE(has(t, "\n      5                       -                       -\n")) << t;
  EXPECT_TRUE(has(t, "\n     10                       0                       5\n")) << t;
  EXPECT_TRUE(has(t, "toxicity: theta_E ~ Beta(0.4, 1.6) a priori, theta_S = 0.2; stop if Pr(theta_E > theta_S + 0 | data) > 0.9\n")) << t;
}

TEST(TrialMonitoringRender, DecisionOffTheSchedule) {
  MonitorDecisionResult r;
  r.design = toxicity_and_futility();
  r.n = 7;
  r.toxicities = 3;
  r.responses = 1;
  r.decision.decision = stats::MonitoringDecision::stop_toxicity;
  r.decision.toxicity_probability = 0.9512346;
  r.decision.futility_probability = 0.2;
  const std::string t = monitor_decision_text(r);
  EXPECT_TRUE(has(t, "  data: n = 7, responses 1, toxicities 3\n")) << t;
  EXPECT_TRUE(has(t, "= 0.951235 (stop above 0.9)\n")) << t;
  EXPECT_TRUE(has(t, "(n is not a scheduled look; the rule is applied as if it were)")) << t;
  const auto j = monitor_decision_json(r);
  EXPECT_EQ(j["decision"], stats::monitoring_decision_name(stats::MonitoringDecision::stop_toxicity));
  EXPECT_FALSE(j["at_scheduled_look"].get<bool>());
  EXPECT_FALSE(j.contains("boundary"));
}

TEST(TrialMonitoringRender, OperatingCharacteristicsCells) {
  MonitorOcResult r{toxicity_and_futility(), 4000, 11, {}};
  stats::OperatingCharacteristics oc;
  oc.true_response = 0.3;
  oc.true_toxicity = 0.35;
  oc.p_stop = 0.61234;
  oc.sim_p_stop = 0.6;
  oc.se_p_stop = 0.0077;
  oc.expected_n = 7.456;
  oc.sim_expected_n = 7.5;
  oc.se_expected_n = 0.04;
  oc.sim_p_stop_at_look = {0.4, 0.2};
  r.scenarios.push_back(oc);
  const std::string t = monitor_oc_text(r);
  EXPECT_TRUE(has(t, "looks at n = 5,10; 4000 simulated trials, seed 11")) << t;
  EXPECT_TRUE(has(t, "0.6123 (0.6000 [0.0077])")) << t;
  EXPECT_TRUE(has(t, "7.46 (7.50 [0.04])")) << t;
  const auto j = monitor_oc_json(r);
  EXPECT_EQ(j["scenarios"][0]["true_toxicity"], 0.35);
  EXPECT_EQ(j["scenarios"][0]["simulated"]["p_stop_at_look"].size(), 2u);
  EXPECT_EQ(j["seed"], 11);
}

}  // namespace
}  // namespace sirtkit::report
