// sirtkit kappa run as a user would: the numbers of R (tests/data/agreement/kappa.R),
// the dropped rows reported by line, and bad input -> exit 2 writing nothing.

#include <gtest/gtest.h>

#include "run_sirtkit.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;

using sirtkit::cli_test::run;
using Run = sirtkit::cli_test::CliRun;

std::string readers() { return std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/agreement/response_readers.csv"; }

fs::path fresh_dir(const std::string& name) { return sirtkit::cli_test::fresh_dir("sirtkit_kappa_cli_" + name); }

using sirtkit::cli_test::slurp;

TEST(KappaCli, MatchesRWithOrderedLevelsAndCountsTheDroppedRow) {
  const auto dir = fresh_dir("kappa");
  const auto r = run("kappa " + readers() + " --rater1 reader1 --rater2 reader2 --levels CR,PR,SD,PD --weights linear --json --out " +
                     dir.string());
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  // tests/data/agreement/kappa.R: linear weights, levels CR, PR, SD, PD.
  EXPECT_EQ(j["n"], 39);
  EXPECT_EQ(j["rows_dropped"], 1);
  EXPECT_EQ(j["dropped_lines"], nlohmann::json::array({18}));  // P17, reader 2 missing
  EXPECT_NEAR(j["kappa"].get<double>(), 0.426470588235294157, 1e-12);
  EXPECT_NEAR(j["se"].get<double>(), 0.095896690355558686, 1e-12);
  EXPECT_NEAR(j["se_null"].get<double>(), 0.108200072691904875, 1e-12);
  EXPECT_NEAR(j["lower"].get<double>(), 0.238516528901809632, 1e-12);
  EXPECT_NEAR(j["upper"].get<double>(), 0.614424647568778681, 1e-12);
  EXPECT_EQ(j["table"][1], nlohmann::json::array({2, 6, 6, 0}));
  EXPECT_EQ(nlohmann::json::parse(slurp(dir / "kappa.json")), j);

  const auto text = run("kappa " + readers() + " --rater1 reader1 --rater2 reader2");
  ASSERT_EQ(text.code, 0) << text.out;
  EXPECT_NE(text.out.find("1 row dropped because a reading is missing (line 18)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("kappa = 0.1966"), std::string::npos) << text.out;  // R unweighted 0.1966292134831460
}

TEST(KappaCli, DefaultLevelOrderIsRFactorOrder) {
  // Without --levels: CR, PD, PR, SD (alphabetical, as factor()); the linear kappa changes (kappa.R: 0.2097735399284865).
  const auto r = run("kappa " + readers() + " --rater1 reader1 --rater2 reader2 --weights linear --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["levels"], nlohmann::json::array({"CR", "PD", "PR", "SD"}));
  EXPECT_NEAR(j["kappa"].get<double>(), 0.2097735399284865, 1e-12);
  EXPECT_NEAR(j["se"].get<double>(), 0.1371037287052353, 1e-12);
}

TEST(KappaCli, ALevelOutsideTheListIsRefusedNamingLineAndValue) {
  const auto dir = fresh_dir("kappa_bad");
  const auto r = run("kappa " + readers() + " --rater1 reader1 --rater2 reader2 --levels CR,PR,SD --out " + dir.string());
  EXPECT_EQ(r.code, 2) << r.out;
  // Line 3 (P02) is the first reading of PD.
  EXPECT_NE(r.out.find("line 3: reader1 = PD"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CR, PR, SD"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "kappa.json"));
}

TEST(KappaCli, OtherBadInput) {
  auto r = run("kappa " + readers() + " --rater1 reader1 --rater2 nobody");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("nobody"), std::string::npos) << r.out;
  r = run("kappa " + readers() + " --rater1 reader1 --rater2 reader2 --weights cubic");
  EXPECT_EQ(r.code, 2) << r.out;
  r = run("kappa " + readers() + " --rater1 reader1 --rater2 reader2 --levels CR,PR,PR,SD,PD");
  EXPECT_EQ(r.code, 2) << r.out;
  const auto csv = fs::temp_directory_path() / "sirtkit_kappa_one_level.csv";
  std::ofstream(csv) << "a,b\nPR,PR\nPR,PR\n";
  r = run("kappa " + csv.string() + " --rater1 a --rater2 b");
  EXPECT_EQ(r.code, 2) << r.out;  // chance agreement 1: kappa undefined
  r = run("kappa /nonexistent/ratings.csv --rater1 a --rater2 b");
  EXPECT_EQ(r.code, 4) << r.out;
}

}  // namespace
