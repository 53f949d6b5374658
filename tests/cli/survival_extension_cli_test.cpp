// sirtkit cif and sirtkit rmst run as a user would, against R goldens:
// tests/data/competing/mgus2.R (survfit multi-state, cmprsk::cuminc and Gray's
// test) and tests/data/survival/rmst.R (print(survfit, rmean = tau)); bad
// input -> exit 2 naming the file, line, column and value.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "run_sirtkit.h"

namespace {

using sirtkit::cli_test::run;

std::string src(const std::string& f) { return std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/" + f; }

nlohmann::json golden(const std::string& f) {
  std::ifstream in(src(f));
  return nlohmann::json::parse(in);
}

void expect_rel(const nlohmann::json& actual, double expected, const std::string& what, double rel = 1e-9) {
  ASSERT_FALSE(actual.is_null()) << what;
  EXPECT_NEAR(actual.get<double>(), expected, rel * std::max(1e-12, std::fabs(expected))) << what;
}

TEST(CifCli, Mgus2BySexMatchesCumincAndSurvfit) {
  const auto g = golden("competing/mgus2.expected.json");
  const auto r = run("cif " + src("competing/mgus2.csv") + " --group sex --times 12,60,120,240,360 --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["causes"], nlohmann::json({1, 2}));
  // curves: all/1, all/2, sex=F/1, sex=F/2, sex=M/1, sex=M/2
  ASSERT_EQ(j["curves"].size(), 6u);
  const auto& all1 = j["curves"][0]["table"];
  ASSERT_EQ(all1.size(), g["aj_time"].size());
  for (std::size_t i = 0; i < all1.size(); i += 7) {
    expect_rel(all1[i]["estimate"], g["aj_cif1"][i].get<double>(), "AJ cause 1");
    if (g["aj_se1"][i].get<double>() > 0) expect_rel(all1[i]["std_err"], g["aj_se1"][i].get<double>(), "AJ se cause 1");
  }
  const char* keys[] = {"F1", "F2", "M1", "M2"};
  for (int c = 0; c < 4; ++c) {
    const auto& at = j["curves"][2 + c]["at_times"];
    for (std::size_t k = 0; k < 5; ++k) {
      expect_rel(at[k]["estimate"], g[std::string("cuminc_est_") + keys[c]][k].get<double>(), std::string("cuminc est ") + keys[c]);
      expect_rel(at[k]["variance"], g[std::string("cuminc_var_") + keys[c]][k].get<double>(), std::string("cuminc var ") + keys[c]);
    }
  }
  ASSERT_EQ(j["gray_tests"].size(), 2u);
  for (int k = 0; k < 2; ++k) {
    expect_rel(j["gray_tests"][k]["statistic"], g["gray_stat"][k].get<double>(), "Gray statistic");
    expect_rel(j["gray_tests"][k]["p"], g["gray_p"][k].get<double>(), "Gray p", 1e-8);
  }
}

TEST(CifCli, NegativeCauseCodeIsRefused) {
  const auto path = std::filesystem::temp_directory_path() / "sirtkit_cif_cli_bad.csv";
  std::ofstream(path) << "time,status\n5,1\n6,-1\n7,2\n";
  const auto r = run("cif " + path.string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("line 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("status"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cause code"), std::string::npos) << r.out;
}

TEST(RmstCli, LungBySexMatchesPrintSurvfitRmean) {
  const auto g = golden("survival/rmst.expected.json");
  const auto r = run("rmst " + src("survival/lung.csv") + " --group sex --tau 730 --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["groups"].size(), 3u);  // all, sex=1, sex=2
  for (int k = 0; k < 2; ++k) {
    expect_rel(j["groups"][k + 1]["rmean"], g["lung_sex_730_rmean"][k].get<double>(), "rmean");
    expect_rel(j["groups"][k + 1]["std_err"], g["lung_sex_730_se"][k].get<double>(), "se(rmean)");
  }
  const auto& d = j["differences"][0];
  const auto& e = g["lung_sex_730_diff"];
  expect_rel(d["estimate"], e[0].get<double>(), "difference");
  expect_rel(d["std_err"], e[1].get<double>(), "se of the difference");
  expect_rel(d["lower"], e[2].get<double>(), "lower");
  expect_rel(d["upper"], e[3].get<double>(), "upper");
  expect_rel(d["p"], e[4].get<double>(), "p", 1e-8);
}

TEST(RmstCli, TauPastFollowUpWarnsAndMissingTauIsRefused) {
  auto r = run("rmst " + src("survival/aml.csv") + " --group maintained --tau 100 --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto g = golden("survival/rmst.expected.json");
  expect_rel(j["groups"][1]["rmean"], g["aml_100_rmean"][0].get<double>(), "rmean past follow-up");
  EXPECT_TRUE(j["groups"][1]["beyond_follow_up"].get<bool>());
  EXPECT_FALSE(j["warnings"].empty());
  r = run("rmst " + src("survival/aml.csv") + " --group maintained");
  EXPECT_EQ(r.code, 2) << r.out;
  r = run("rmst " + src("survival/aml.csv") + " --tau -3");
  EXPECT_EQ(r.code, 2) << r.out;
}

}  // namespace

namespace {

TEST(FineGrayCli, Mgus2MatchesCrr) {
  const auto g = golden("competing/finegray.expected.json");
  const auto r = run("finegray " + src("competing/mgus2.csv") + " --cause 1 --covariates age,sex --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["terms"], nlohmann::json({"age", "sexM"}));  // sex as a factor, F the reference: crr's male indicator
  for (int k = 0; k < 2; ++k) {
    expect_rel(j["coef"][k], g["crr_pcm_coef"][k].get<double>(), "coef", 1e-8);
    expect_rel(j["se"][k], std::sqrt(g["crr_pcm_var"][k * 3].get<double>()), "se", 1e-8);
  }
  expect_rel(j["loglik"][1], g["crr_pcm_loglik"][1].get<double>(), "loglik");
  EXPECT_EQ(j["n_cause"], 115);
  const auto bad = run("finegray " + src("competing/mgus2.csv") + " --cause 3 --covariates age");
  EXPECT_EQ(bad.code, 2) << bad.out;
}

}  // namespace
