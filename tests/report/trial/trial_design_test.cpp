#include "report/trial/trial_design.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace sirtkit::report {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

stats::GroupSequentialDesign two_looks() {
  stats::GroupSequentialDesign d;
  d.information_rates = {0.5, 1};
  d.critical_values = {2.9626, 1.9686};
  d.alpha_spent = {0.0015, 0.025};
  d.stage_levels = {0.0015, 0.0245};
  d.rejection_probabilities = {0.1, 0.7};
  d.inflation_factor = 1.1;
  return d;
}

// The size a design needs is a real number; the patients or events to plan are
// that number rounded up, but not past a whole number the solver hit to 1e-9.
TEST(TrialDesignRender, EventsRoundUpExceptAtAWholeNumber) {
  LogRankSizeResult r;
  r.events.hazard_ratio = 0.7;
  r.events_fixed = 250.2;
  EXPECT_TRUE(has(logrank_size_text(r), "events required (fixed design): 250.2000 -> 251\n")) << logrank_size_text(r);
  r.events_fixed = 251 + 1e-12;
  EXPECT_TRUE(has(logrank_size_text(r), "events required (fixed design): 251.0000 -> 251\n")) << logrank_size_text(r);
}

// A group-sequential plan multiplies the fixed events by the inflation factor and
// spreads them over the looks by their information rates.
TEST(TrialDesignRender, SequentialEventsAreInflatedAndSpreadOverLooks) {
  LogRankSizeResult r;
  r.events_fixed = 100;
  r.sequential = SequentialSize{two_looks(), stats::SpendingFunction::obrien_fleming};
  const auto j = logrank_size_json(r);
  EXPECT_NEAR(j["max_events"].get<double>(), 110, 1e-12);
  ASSERT_EQ(j["events_per_look"].size(), 2u);
  EXPECT_NEAR(j["events_per_look"][0].get<double>(), 55, 1e-12);
  EXPECT_NEAR(j["events_per_look"][1].get<double>(), 110, 1e-12);
  EXPECT_EQ(j["group_sequential"]["spending"], stats::spending_function_name(stats::SpendingFunction::obrien_fleming));
  const std::string t = logrank_size_text(r);
  EXPECT_TRUE(has(t, "2 looks): maximum events 110.0000 -> 110\n")) << t;
  EXPECT_TRUE(has(t, "     1        0.5000        2.962600")) << t;
  EXPECT_FALSE(j.contains("patients"));
}

// Patients: the medians shown are log(2) / hazard; with a sequential plan the
// count is the maximum ("max_patients"), else "patients".
TEST(TrialDesignRender, PatientsWithMediansFromHazards) {
  LogRankSizeResult r;
  r.events_fixed = 100;
  r.accrual = stats::SurvivalAccrual{};
  r.accrual->accrual_time = 24;
  r.patients.lambda2 = std::log(2.0) / 12;
  r.patients.lambda1 = std::log(2.0) / 18;
  r.patients.patients = 300.5;
  auto j = logrank_size_json(r);
  EXPECT_NEAR(j["median_control"].get<double>(), 12, 1e-12);
  EXPECT_NEAR(j["median_experimental"].get<double>(), 18, 1e-12);
  EXPECT_EQ(j["patients"], 300.5);
  EXPECT_FALSE(j["accrual"].contains("accrual_rate"));
  EXPECT_TRUE(has(logrank_size_text(r), "  control median 12, experimental median 18 (hazards")) << logrank_size_text(r);
  r.sequential = SequentialSize{two_looks(), stats::SpendingFunction::pocock};
  j = logrank_size_json(r);
  EXPECT_EQ(j["max_patients"], 300.5);
  EXPECT_FALSE(j.contains("patients"));
  EXPECT_TRUE(has(logrank_size_text(r), "  maximum patients: 300.5000")) << logrank_size_text(r);
}

// power.prop.test asked for the power of a given n says that n and its power,
// and no n for a target power.
TEST(TrialDesignRender, PowerPropTestPowerForAGivenN) {
  ProportionsSizeResult r;
  r.power_prop_test = true;
  r.rates.pi1 = 0.5;
  r.rates.pi2 = 0.3;
  r.rates.alpha = 0.05;
  r.rates.sided = 2;
  r.n_given = 60;
  r.power = 0.6123456;
  const auto j = proportions_size_json(r);
  EXPECT_EQ(j["n_per_group"], 60);
  EXPECT_EQ(j["power"], 0.6123456);
  EXPECT_EQ(j["inputs"]["alternative"], "two.sided");
  EXPECT_FALSE(j["inputs"].contains("power"));
  EXPECT_TRUE(has(proportions_size_text(r), "  power with 60 per group: 0.612346\n")) << proportions_size_text(r);
}

TEST(TrialDesignRender, RpactRatesContinuityCorrectionAndSequentialMaximum) {
  ProportionsSizeResult r;
  r.rates.pi1 = 0.4;
  r.rates.pi2 = 0.2;
  r.rates.risk_ratio = true;
  r.rates.theta0 = 1.2;
  r.size.n = 120;
  r.size.n1 = 60;
  r.size.n2 = 60;
  r.n_continuity_corrected = 70;
  r.n_total_continuity_corrected = 140;
  r.sequential = SequentialSize{two_looks(), stats::SpendingFunction::obrien_fleming};
  const auto j = proportions_size_json(r);
  EXPECT_EQ(j["n_smaller_arm_continuity_corrected"], 70);
  EXPECT_EQ(j["n_continuity_corrected"], 140);
  EXPECT_NEAR(j["max_n"].get<double>(), 132, 1e-9);
  EXPECT_NEAR(j["max_n1"].get<double>(), 66, 1e-9);
  const std::string t = proportions_size_text(r);
  EXPECT_TRUE(has(t, ", H0 risk ratio 1.2\n")) << t;
  EXPECT_TRUE(has(t, "smaller arm 70.0000, total 140.0000\n")) << t;
  EXPECT_TRUE(has(t, "maximum n 132.0000 (n1 66.0000, n2 66.0000)\n")) << t;
}

// Simon (1989) Table 1, p0 = 0.1, p1 = 0.3: optimal 1/10, 5/29; minimax 1/15, 5/25.
TEST(TrialDesignRender, SimonDesignsInTheOrderAsked) {
  SimonSizeResult r{0.1, 0.3, 0.05, 0.2, 100, {}};
  stats::SimonDesign minimax{1, 15, 5, 25, 0.033, 0.80, 0.55, 0.035, 19.5, 24.6};
  stats::SimonDesign optimal{1, 10, 5, 29, 0.047, 0.80, 0.74, 0.15, 15.0, 27.4};
  r.designs = {{stats::SimonCriterion::minimax, minimax}, {stats::SimonCriterion::optimal, optimal}};
  const std::string t = simon_size_text(r);
  const auto mm = t.find("  minimax    1/15   5/25"), op = t.find("  optimal    1/10   5/29");
  ASSERT_NE(mm, std::string::npos) << t;
  ASSERT_NE(op, std::string::npos) << t;
  EXPECT_LT(mm, op);
  const auto j = simon_size_json(r);
  EXPECT_EQ(j["optimal"]["n1"], 10);
  EXPECT_EQ(j["minimax"]["r"], 5);
  EXPECT_EQ(j["inputs"]["max_n"], 100);
}

TEST(TrialDesignRender, GroupSequentialFixedSizeInflated) {
  GroupSequentialResult r;
  r.input.sided = 2;
  r.input.spending = stats::SpendingFunction::pocock;
  r.design = two_looks();
  r.fixed_size = 120;
  const auto j = group_sequential_json(r);
  EXPECT_NEAR(j["max_size"].get<double>(), 132, 1e-9);
  EXPECT_NEAR(j["size_per_look"][0].get<double>(), 66, 1e-9);
  EXPECT_TRUE(has(j["method"].get<std::string>(), "Pocock-type"));
  const std::string t = group_sequential_text(r);
  EXPECT_TRUE(has(t, "|z| boundary")) << t;
  EXPECT_TRUE(has(t, "  fixed size 120 x inflation 1.100000 = maximum 132.0000\n")) << t;
}

TEST(TrialDesignRender, BinomialDesign) {
  BinomialSizeResult r{0.1, 0.3, 0.05, 0.2, {25, 6, 0.0334, 0.8065}};
  const std::string t = binomial_size_text(r);
  EXPECT_TRUE(has(t, "  n = 25: reject H0 (p <= p0) with >= 6 responses; exact alpha 0.033400, exact power 0.806500\n")) << t;
  EXPECT_EQ(binomial_size_json(r)["critical_responses"], 6);
}

}  // namespace
}  // namespace sirtkit::report
