#include "report/trial/propensity_analysis.h"

#include <gtest/gtest.h>

#include <string>

namespace sirtkit::report {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Three rows: treated row 1 matched to control row 2, treated row 3 unmatched.
MatchAnalysis small_match() {
  MatchAnalysis m;
  m.file = "c.csv";
  m.treatment = "sirt";
  m.covariates = {"age", "albi"};
  m.treated = 2;
  m.control = 1;
  m.model.terms = {"(Intercept)", "age"};
  m.model.coef = {0.5, -0.01};
  m.model.se = {0.2, 0.003};
  m.match.treated = {0, 2};
  m.match.matches = {{1}, {}};
  m.match.weights = {1, 1, 0};
  m.match.subclass = {1, 1, 0};
  m.match.matched_treated = 1;
  m.match.matched_control = 1;
  m.lines = {2, 3, 5};
  m.distance = {0.6, 0.55, 0.9};
  m.balance.terms = {"distance"};
  m.balance.before = {stats::BalanceRow{0.75, 0.55, 0.8}};
  m.balance.after = {stats::BalanceRow{0.6, 0.55, 0.2}};
  return m;
}

TEST(PropensityRender, UnmatchedTreatedAreWarnedAndShownByLine) {
  const MatchAnalysis m = small_match();
  const auto w = match_warnings(m);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0], "1 of 2 treated rows have no match");
  const auto j = match_json(m);
  EXPECT_EQ(j["matches"][0]["treated_line"], 2);
  EXPECT_EQ(j["matches"][0]["control_lines"][0], 3);
  EXPECT_EQ(j["matches"][0]["control_rows"][0], 2);
  EXPECT_EQ(j["matches"][1]["treated_row"], 3);
  EXPECT_TRUE(j["rows"]["subclass"][2].is_null());
  EXPECT_EQ(j["n"]["unmatched_treated"], 1);
  EXPECT_TRUE(j["method"]["caliper"].is_null());
  EXPECT_TRUE(j["rule_differences"]["pairs_outside_caliper"].is_null());
  const std::string t = match_text(m);
  EXPECT_TRUE(has(t, "  unmatched            0         1\n")) << t;
  EXPECT_TRUE(has(t, "  warning: 1 of 2 treated rows have no match\n")) << t;
  EXPECT_TRUE(has(t, "  distance     0.7500     0.5500   0.8000")) << t;
}

// The MatchIt 4.5.1 rule's departures are warned with the caliper they break.
TEST(PropensityRender, RuleDifferencesWarned) {
  MatchAnalysis m = small_match();
  m.match.matched_treated = 2;
  m.match.matches = {{1}, {1}};
  m.caliper_sd = 0.2;
  m.distance_sd = 0.5;
  m.caliper = 0.1;
  m.differences = {1, 0, 1, 1};
  const auto w = match_warnings(m);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_TRUE(has(w[0], "1 of 2 matched treated units got a different control")) << w[0];
  EXPECT_TRUE(has(w[1], "1 matched pairs are farther apart than the caliper (0.1)")) << w[1];
  EXPECT_TRUE(has(w[1], "with --rule exact 1 of 2 treated units are unmatched")) << w[1];
  const auto j = match_json(m);
  EXPECT_EQ(j["method"]["caliper"], 0.1);
  EXPECT_EQ(j["method"]["distance_sd"], 0.5);
  EXPECT_EQ(j["rule_differences"]["pairs_outside_caliper"], 1);
  EXPECT_TRUE(has(match_text(m), ", caliper 0.2 SD = 0.1\n")) << match_text(m);
}

TEST(PropensityRender, IptwNonConvergenceAndWeightRange) {
  IptwAnalysis w;
  w.treatment = "sirt";
  w.covariates = {"age"};
  w.att = true;
  w.stabilised = true;
  w.model.converged = false;
  w.treated = 2;
  w.control = 1;
  w.weight_min = 0.25;
  w.weight_max = 4;
  w.ess_treated = 2;
  w.ess_control = 1;
  w.lines = {2, 3, 4};
  w.propensity = {0.5, 0.5, 0.2};
  w.weights = {1, 1, 0.25};
  const std::string t = iptw_text(w);
  EXPECT_TRUE(has(t, "weights (ATT, stabilised)")) << t;
  EXPECT_TRUE(has(t, "weights from 0.25 to 4; effective sample size: treated 2.0, control 1.0\n")) << t;
  EXPECT_TRUE(has(t, "over the treated arm's SD")) << t;
  EXPECT_TRUE(has(t, "  warning: the propensity model did not converge")) << t;
  const auto j = iptw_json(w);
  EXPECT_EQ(j["estimand"], "att");
  EXPECT_EQ(j["warnings"].size(), 1u);
  EXPECT_EQ(j["weights_range"][1], 4);
  EXPECT_EQ(j["rows"]["line"][2], 4);
}

}  // namespace
}  // namespace sirtkit::report
