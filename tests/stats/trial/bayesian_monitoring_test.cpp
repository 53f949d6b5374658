// Thall-Simon monitoring: the boundaries and posterior probabilities of
// shared/reference/statistics-methods.md §3.3 (g4.R, re-run here as
// tests/data/trial_design/thall_simon.R with more digits), the exact operating
// characteristics against that script's independent dbinom loop, and the
// simulation against the exact values within its Monte-Carlo error.
#include "stats/trial/bayesian_monitoring.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "../expect_bad_input.h"
#include "../golden_table.h"

namespace sirtkit::stats {
namespace {

MonitoringDesign design_of(const std::string& name) {
  MonitoringDesign d;
  d.schedule = {5, 10, 15, 20, 25, 30, 35, 40};
  if (name == "tox1") d.toxicity = MonitoringRule{{0.4, 1.6}, std::nullopt, 0.20, 0, 0.90};
  if (name == "tox2") d.toxicity = MonitoringRule{{1, 1}, std::nullopt, 0.30, 0, 0.95};
  // Experimental prior: mean 0.30 + 0.15/2, ESS 2 (Thall-Simon's convention, g4.R).
  if (name == "fut1") d.futility = MonitoringRule{beta_from_mean(0.375, 2), BetaPrior{30, 70}, 0, 0.15, 0.05};
  return d;
}

TEST(BayesianMonitoring, ReferenceBoundariesAndProbabilities) {
  const auto rows = test::read_golden("trial_design/thall_simon.csv");
  std::map<std::string, std::vector<const test::GoldenRow*>> by;
  for (const auto& r : rows) by[r.text("design")].push_back(&r);
  ASSERT_EQ(by["tox1"].size(), 8u);
  ASSERT_EQ(by["fut1"].size(), 8u);
  for (const std::string name : {"tox1", "tox2", "fut1"}) {
    SCOPED_TRACE(name);
    const auto d = design_of(name);
    const auto b = monitoring_boundaries(d);
    for (std::size_t k = 0; k < b.size(); ++k) {
      const auto& g = *by[name][k];
      EXPECT_EQ(b[k].n, static_cast<int>(g.num("n")));
      if (name == "fut1") {
        EXPECT_EQ(b[k].futility_max, static_cast<int>(g.num("bound")));
        EXPECT_TRUE(RelNear(b[k].futility_probability, g.num("probability"), 1e-8));
      } else {
        EXPECT_EQ(b[k].toxicity_min, static_cast<int>(g.num("bound")));
        EXPECT_TRUE(RelNear(b[k].toxicity_probability, g.num("probability"), 1e-12));
      }
    }
    // Exact operating characteristics against the R script's own recursion.
    const double rate = by[name].front()->num("true_rate");
    const auto oc = monitoring_operating_characteristics(d, rate, rate, 2000, 7);
    EXPECT_TRUE(RelNear(oc.p_stop, by[name].front()->num("p_stop_early"), 1e-10));
    EXPECT_TRUE(RelNear(oc.expected_n, by[name].front()->num("expected_n"), 1e-10));
  }
  // The reference's own checks (§3.3): n = 10, x = 5 -> 0.970888; n = 20, x = 4 -> 0.014325.
  EXPECT_NEAR(posterior_exceed_probability(*design_of("tox1").toxicity, 5, 10), 0.970888, 5e-7);
  EXPECT_NEAR(posterior_exceed_probability(*design_of("fut1").futility, 4, 20), 0.014325, 5e-7);
}

TEST(BayesianMonitoring, SimulationAgreesWithExactWithinItsError) {
  MonitoringDesign d = design_of("fut1");
  d.toxicity = design_of("tox1").toxicity;
  const auto oc = monitoring_operating_characteristics(d, 0.25, 0.30, 20000, 2024);
  EXPECT_NEAR(oc.sim_p_stop, oc.p_stop, 4 * oc.se_p_stop);
  EXPECT_NEAR(oc.sim_p_stop_futility, oc.p_stop_futility, 4 * oc.se_p_stop_futility);
  EXPECT_NEAR(oc.sim_p_stop_toxicity, oc.p_stop_toxicity, 4 * oc.se_p_stop_toxicity);
  EXPECT_NEAR(oc.sim_expected_n, oc.expected_n, 4 * oc.se_expected_n);
  EXPECT_GT(oc.se_p_stop, 0.001);
  // Reproducible from the seed, different with another.
  const auto again = monitoring_operating_characteristics(d, 0.25, 0.30, 20000, 2024);
  EXPECT_EQ(again.sim_p_stop, oc.sim_p_stop);
  EXPECT_EQ(again.sim_expected_n, oc.sim_expected_n);
  const auto other = monitoring_operating_characteristics(d, 0.25, 0.30, 20000, 2025);
  EXPECT_NE(other.sim_expected_n, oc.sim_expected_n);
}

TEST(BayesianMonitoring, LiveDecision) {
  MonitoringDesign d = design_of("fut1");
  d.toxicity = design_of("tox1").toxicity;
  // n = 10: stop for toxicity at >= 5 (reference), futility at <= 1.
  auto r = monitoring_decision(d, 10, 4, 5);
  EXPECT_EQ(r.decision, MonitoringDecision::stop_toxicity);
  EXPECT_TRUE(r.at_look);
  EXPECT_NEAR(*r.toxicity_probability, 0.970888, 5e-7);
  r = monitoring_decision(d, 10, 1, 2);
  EXPECT_EQ(r.decision, MonitoringDecision::stop_futility);
  r = monitoring_decision(d, 10, 1, 5);
  EXPECT_EQ(r.decision, MonitoringDecision::stop_both);
  r = monitoring_decision(d, 12, 3, 2);
  EXPECT_EQ(r.decision, MonitoringDecision::continue_trial);
  EXPECT_FALSE(r.at_look);
  EXPECT_BAD_INPUT(monitoring_decision(d, 10, 11, 2), "responses");
  EXPECT_BAD_INPUT(monitoring_decision(d, 10, std::nullopt, 2), "responses");
}

TEST(BayesianMonitoring, FixedStandardIsTheBetaTail) {
  // A fixed theta_S gives the closed-form tail; a very concentrated Beta standard approaches it.
  MonitoringRule fixed{{1, 1}, std::nullopt, 0.3, 0.1, 0.05};
  MonitoringRule sharp{{1, 1}, BetaPrior{3e5, 7e5}, 0, 0.1, 0.05};
  EXPECT_NEAR(posterior_exceed_probability(fixed, 6, 20), posterior_exceed_probability(sharp, 6, 20), 2e-4);
  // 1 - pbeta(0.4, 7, 15) by a midpoint rule on the Beta(7, 15) density.
  double s = 0;
  const int m = 200000;
  for (int i = 0; i < m; ++i) {
    const double x = 0.4 + (i + 0.5) * 0.6 / m;
    s += std::pow(x, 6) * std::pow(1 - x, 14) * 0.6 / m;
  }
  s /= std::tgamma(7) * std::tgamma(15) / std::tgamma(22);
  EXPECT_NEAR(posterior_exceed_probability(fixed, 6, 20), s, 1e-9);
}

TEST(BayesianMonitoring, BadInput) {
  MonitoringDesign d;
  d.schedule = {5, 10};
  EXPECT_BAD_INPUT(monitoring_boundaries(d), "rules");
  d.toxicity = MonitoringRule{{0, 1}, std::nullopt, 0.2, 0, 0.9};
  EXPECT_BAD_INPUT(monitoring_boundaries(d), "prior");
  d.toxicity = MonitoringRule{{1, 1}, std::nullopt, 0.2, 0, 1.5};
  EXPECT_BAD_INPUT(monitoring_boundaries(d), "threshold");
  d.toxicity = MonitoringRule{{1, 1}, std::nullopt, 0.2, 0, 0.9};
  d.schedule = {10, 5};
  EXPECT_BAD_INPUT(monitoring_boundaries(d), "schedule");
  EXPECT_BAD_INPUT(beta_from_mean(1.2, 2), "mean");
}

}  // namespace
}  // namespace sirtkit::stats
