// sirtkit samplesize run as a user would: the numbers of R (tests/data/trial_design/*.R)
// through the command line, --json and --out, and the exit codes of bad input (2)
// and of a design that cannot be met (3).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../stats/expect_bad_input.h"
#include "../stats/golden_table.h"
#include "run_sirtkit.h"

namespace sirtkit::cli_test {
namespace {

nlohmann::json json_of(const std::string& args) {
  const auto r = run(args + " --json", false);
  EXPECT_EQ(r.code, 0) << args << "\n" << r.out;
  return nlohmann::json::parse(r.out, nullptr, false);
}

TEST(TrialDesignCli, LogRankMatchesRpact) {
  // logrank_rpact.R rows 1 (follow-up given), 5 (drop-out per arm) and 7 (accrual rate given).
  const auto rows = test::read_golden("trial_design/logrank_rpact.csv");
  ASSERT_EQ(rows.size(), 9u);
  auto j = json_of("samplesize logrank --hazard-ratio 0.7 --median-control 12 --accrual-time 24 --follow-up 12");
  EXPECT_TRUE(RelNear(j["events_fixed"].get<double>(), rows[0].num("events"), 1e-12));
  EXPECT_TRUE(RelNear(j["patients"].get<double>(), rows[0].num("patients"), 1e-10));
  j = json_of("samplesize logrank --hazard-ratio 0.55 --median-control 15.1 --accrual-time 27 --follow-up 24 "
              "--dropout-rate-experimental 0.05 --dropout-rate-control 0.1 --dropout-time 12");
  EXPECT_TRUE(RelNear(j["patients"].get<double>(), rows[4].num("patients"), 1e-10));
  EXPECT_TRUE(RelNear(j["event_probability"].get<double>(), rows[4].num("event_probability"), 1e-10));
  j = json_of("samplesize logrank --beta 0.2 --hazard-ratio 0.7 --median-control 12 --accrual-time 24 --accrual-rate 20");
  EXPECT_TRUE(RelNear(j["accrual"]["follow_up_time"].get<double>(), rows[6].num("follow_up_result"), 1e-9));
  // The experimental median instead of the hazard ratio: 12 / 0.7 months.
  j = json_of("samplesize logrank --median-experimental 17.142857142857142 --median-control 12");
  EXPECT_TRUE(RelNear(j["events_fixed"].get<double>(), rows[0].num("events"), 1e-9));
  const auto text = run("samplesize logrank --method freedman --hazard-ratio 0.7 --median-control 12 --allocation-ratio 2 "
                        "--accrual-time 24 --follow-up 12");
  EXPECT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("Freedman (1982)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("251.1642"), std::string::npos) << text.out;
}

TEST(TrialDesignCli, ProportionsBinomialSimon) {
  auto j = json_of("samplesize proportions --method power.prop.test --p1 0.5 --p2 0.75 --alpha 0.05 --sided 2 --power 0.9 "
                   "--continuity-correction");
  EXPECT_TRUE(RelNear(j["n_per_group"].get<double>(), 76.7069301141077, 1e-10));  // proportions.R row 1
  EXPECT_TRUE(RelNear(j["n_per_group_continuity_corrected"].get<double>(), 84.5176204777317, 1e-10));
  j = json_of("samplesize proportions --p1 0.45 --p2 0.3 --beta 0.1 --allocation-ratio 2");
  EXPECT_TRUE(RelNear(j["n_fixed"].get<double>(), 489.650333172917, 1e-12));  // proportions.R rpact row 3
  j = json_of("samplesize binomial --p0 0.2 --p1 0.4 --power 0.9");
  EXPECT_EQ(j["n"], 47);
  EXPECT_EQ(j["critical_responses"], 15);
  const auto r = run("samplesize simon --p0 0.1 --p1 0.3");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("optimal    1/10   5/29"), std::string::npos) << r.out;  // Simon (1989) Table 1
  EXPECT_NE(r.out.find("minimax    1/15   5/25"), std::string::npos) << r.out;
}

TEST(TrialDesignCli, GroupSequentialAndInflatedSizes) {
  auto j = json_of("samplesize gs --looks 3 --spending obrien-fleming");
  // group_sequential_rpact.R case 1.
  EXPECT_TRUE(RelNear(j["critical_values"][0].get<double>(), 3.7103028732625, 1e-7));
  EXPECT_TRUE(RelNear(j["critical_values"][2].get<double>(), 1.99304747785209, 1e-7));
  EXPECT_TRUE(RelNear(j["inflation_factor"].get<double>(), 1.01279480883971, 1e-7));
  j = json_of("samplesize gs --information-rates 0.2,0.5,0.8,1 --spending pocock --alpha 0.05 --sided 2 --beta 0.1 --fixed-n 100");
  EXPECT_TRUE(RelNear(j["max_size"].get<double>(), 117.95652433904, 1e-6));
  const auto d = run("samplesize logrank --hazard-ratio 0.7 --median-control 12 --accrual-time 24 --follow-up 12 --looks 3");
  EXPECT_EQ(d.code, 0);
  EXPECT_NE(d.out.find("maximum events 249.94"), std::string::npos) << d.out;  // rpact maxNumberOfEvents 249.9447
}

TEST(TrialDesignCli, InflatedSizesMatchRpact) {
  // sequential_sizes.R: getSampleSizeSurvival(design) / getSampleSizeRates(design), 3 looks.
  for (const auto& g : test::read_golden("trial_design/sequential_sizes.csv")) {
    const std::string spending = g.text("type") == "asOF" ? "obrien-fleming" : "pocock";
    SCOPED_TRACE(g.text("kind") + " " + spending);
    if (g.text("kind") == "logrank") {
      const auto j = json_of("samplesize logrank --hazard-ratio 0.7 --median-control 12 --accrual-time 24 --follow-up 12 --looks 3 --spending " + spending);
      EXPECT_TRUE(RelNear(j["max_events"].get<double>(), g.num("max_events"), 1e-7));
      EXPECT_TRUE(RelNear(j["max_patients"].get<double>(), g.num("max_patients"), 1e-7));
    } else {
      const auto j = json_of("samplesize proportions --p1 0.5 --p2 0.3 --looks 3 --spending " + spending);
      EXPECT_TRUE(RelNear(j["max_n"].get<double>(), g.num("max_patients"), 1e-7));
    }
  }
}

TEST(TrialDesignCli, OutWritesTheJsonAndErrorsExitTwoOrThree) {
  const auto dir = fresh_dir("samplesize_out");
  auto r = run("samplesize simon --p0 0.2 --p1 0.4 --design optimal --out " + dir.string());
  EXPECT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(slurp(dir / "samplesize_simon.json"));
  EXPECT_EQ(j["optimal"]["n"], 43);
  std::filesystem::remove_all(dir);
  r = run("samplesize logrank --hazard-ratio 1 --median-control 12");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("hazard_ratio"), std::string::npos) << r.out;
  r = run("samplesize proportions --p1 0.5 --p2 0.3 --power 0.9 --beta 0.1");
  EXPECT_EQ(r.code, 2) << r.out;
  r = run("samplesize gs --information-rates 0.5,0.4,1");
  EXPECT_EQ(r.code, 2) << r.out;
  r = run("samplesize simon --p0 0.1 --p1 0.15 --max-n 30");
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(r.out.find("raise --max-n"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sirtkit::cli_test
