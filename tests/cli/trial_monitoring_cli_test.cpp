// sirtkit monitor run as a user would: the reference's Thall-Simon boundaries
// (tests/data/trial_design/thall_simon.R), the decision, the operating
// characteristics with their seed, and bad input (exit 2).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../stats/expect_bad_input.h"
#include "run_sirtkit.h"

namespace sirtkit::cli_test {
namespace {

const std::string tox1 = " --every 5 --max-n 40 --tox-target 0.2 --tox-prior 0.4,1.6 --tox-stop 0.9";
const std::string fut1 = " --resp-standard-prior 30,70 --resp-delta 0.15 --resp-stop 0.05";

TEST(TrialMonitoringCli, BoundariesOfTheReference) {
  const auto r = run("monitor boundaries --json" + tox1 + fut1, false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const int tox[] = {3, 5, 6, 7, 8, 10, 11, 12};   // statistics-methods.md §3.3
  const int fut[] = {0, 1, 3, 5, 6, 8, 10, 12};
  ASSERT_EQ(j["boundaries"].size(), 8u);
  for (int k = 0; k < 8; ++k) {
    EXPECT_EQ(j["boundaries"][k]["n"], 5 * (k + 1));
    EXPECT_EQ(j["boundaries"][k]["stop_if_toxicities_at_least"], tox[k]);
    EXPECT_EQ(j["boundaries"][k]["stop_if_responses_at_most"], fut[k]);
  }
  // The default experimental prior is Thall-Simon's: mean 0.30 + 0.15/2, ESS 2 -> Beta(0.75, 1.25).
  EXPECT_NEAR(j["design"]["futility"]["experimental_prior"]["a"].get<double>(), 0.75, 1e-12);
  const auto text = run("monitor boundaries" + tox1);
  EXPECT_NE(text.out.find("stop if toxicities >="), std::string::npos) << text.out;
}

TEST(TrialMonitoringCli, DecisionAndOperatingCharacteristics) {
  auto r = run("monitor decide --json --n 10 --toxicities 5 --responses 4" + tox1 + fut1, false);
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["decision"], "stop for toxicity");
  EXPECT_NEAR(j["toxicity_probability"].get<double>(), 0.97088783693435, 1e-9);  // thall_simon.R
  r = run("monitor oc --json --true-response 0.3 --true-toxicity 0.35 --simulations 4000 --seed 11" + tox1, false);
  ASSERT_EQ(r.code, 0) << r.out;
  j = nlohmann::json::parse(r.out);
  const auto& s = j["scenarios"][0];
  EXPECT_NEAR(s["exact"]["p_stop_early"].get<double>(), 0.817312938267401, 1e-9);  // thall_simon.R tox1
  EXPECT_NEAR(s["exact"]["expected_n"].get<double>(), 19.8433677833731, 1e-8);
  EXPECT_NEAR(s["simulated"]["p_stop_early"].get<double>(), 0.817312938267401, 4 * s["simulated"]["se_p_stop_early"].get<double>());
  const auto again = run("monitor oc --json --true-response 0.3 --true-toxicity 0.35 --simulations 4000 --seed 11" + tox1, false);
  EXPECT_EQ(again.out, r.out);  // same seed, same numbers
}

TEST(TrialMonitoringCli, BadInputExitsTwo) {
  EXPECT_EQ(run("monitor boundaries --every 5 --max-n 40").code, 2);  // no rule
  EXPECT_EQ(run("monitor boundaries --every 5 --max-n 40 --tox-target 0.2 --tox-prior 0.4").code, 2);
  EXPECT_EQ(run("monitor decide --n 10 --responses 2" + tox1).code, 2);  // toxicities missing
  EXPECT_EQ(run("monitor boundaries --schedule 10,5" + tox1.substr(0, 0) + " --tox-target 0.2").code, 2);
}

}  // namespace
}  // namespace sirtkit::cli_test
