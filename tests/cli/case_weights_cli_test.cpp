// sirtkit km --weights and cox --weights, run as a user would, against the
// survival 3.5-3 goldens of tests/data/survival/weights.R (lung complete
// cases with stabilised IPTW and integer frequency weights); bad weights are
// refused with exit 2 naming the file, line, column and value.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "run_sirtkit.h"

namespace {

using sirtkit::cli_test::run;

std::string data(const std::string& f) { return std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/survival/" + f; }

nlohmann::json golden() {
  std::ifstream in(data("weights.expected.json"));
  return nlohmann::json::parse(in);
}

void expect_rel(const nlohmann::json& actual, double expected, const std::string& what) {
  ASSERT_FALSE(actual.is_null()) << what;
  EXPECT_NEAR(actual.get<double>(), expected, 1e-9 * std::max(1e-12, std::fabs(expected))) << what;
}

TEST(CaseWeightsCli, KmIptwByGroupMatchesR) {
  const auto r = run("km " + data("weights.csv") + " --weights iptw --group female --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto g = golden();
  EXPECT_EQ(j["weights"], "iptw");
  ASSERT_EQ(j["curves"].size(), 3u);
  for (const auto& [curve, name] : {std::pair{0, std::string("km_iptw")}, std::pair{2, std::string("km_iptw_female")}}) {
    const auto& tab = j["curves"][curve]["table"];
    ASSERT_EQ(tab.size(), g[name + "_time"].size()) << name;
    for (std::size_t i = 0; i < tab.size(); ++i) {
      expect_rel(tab[i]["n_risk"], g[name + "_n_risk"][i].get<double>(), name + " n.risk");
      expect_rel(tab[i]["surv"], g[name + "_surv"][i].get<double>(), name + " surv");
      expect_rel(tab[i]["std_err"], g[name + "_std_err"][i].get<double>(), name + " std.err");
      expect_rel(tab[i]["lower"], g[name + "_lower"][i].get<double>(), name + " lower");
    }
    expect_rel(j["curves"][curve]["median"]["median"], g[name + "_median"].get<double>(), name + " median");
  }
}

// The weighted plot: its risk table gives the summed weights at time 0 (R's
// n.risk of the first row, to one decimal) and it shows no log-rank p (R's
// survdiff takes no weights; an unweighted p would not describe these curves).
TEST(CaseWeightsCli, KmIptwPlotShowsWeightedRiskAndNoUnweightedTest) {
  const auto dir = sirtkit::cli_test::fresh_dir("sirtkit_case_weights_plot");
  const auto r = run("km " + data("weights.csv") + " --weights iptw --group female --json --out " + dir.string(), false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  std::ifstream in(dir / "km.svg");
  const std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(svg.find("class=\"km-test\""), std::string::npos);
  EXPECT_NE(svg.find("Number at risk (sum of case weights)"), std::string::npos);
  for (int curve : {1, 2}) {
    const std::string group = j["curves"][curve]["strata"].get<std::string>();
    const std::string cell = "data-group=\"" + group + "\" data-time=\"0\"";
    const auto at = svg.find(cell);
    ASSERT_NE(at, std::string::npos) << group;
    const auto text_at = svg.find('>', at) + 1;
    const std::string shown = svg.substr(text_at, svg.find('<', text_at) - text_at);
    EXPECT_NEAR(std::stod(shown), j["curves"][curve]["table"][0]["n_risk"].get<double>(), 0.05) << group;
    EXPECT_NE(shown.find('.'), std::string::npos) << shown;
  }
}

TEST(CaseWeightsCli, CoxIptwRobustAndFrequencyWeightsMatchR) {
  const auto g = golden();
  auto r = run("cox " + data("weights.csv") + " --covariates female,age --weights iptw --cluster inst --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  for (int k = 0; k < 2; ++k) {
    expect_rel(j["coef"][k], g["cox_iptw_cluster_coef"][k].get<double>(), "coef");
    expect_rel(j["robust_se"][k], std::sqrt(g["cox_iptw_cluster_var"][k * 3].get<double>()), "robust se");
    expect_rel(j["se"][k], std::sqrt(g["cox_iptw_cluster_naive_var"][k * 3].get<double>()), "se");
  }
  EXPECT_TRUE(j["concordance"].is_null());
  EXPECT_TRUE(j["cox_zph"].is_null());
  // Non-integer weights alone turn the robust variance on (coxph's default).
  r = run("cox " + data("weights.csv") + " --covariates female --weights iptw --ties breslow --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  j = nlohmann::json::parse(r.out);
  expect_rel(j["robust_se"][0], std::sqrt(g["cox_iptw_breslow_var"].get<double>()), "robust se breslow");
  r = run("cox " + data("weights.csv") + " --covariates female,age --weights freq --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j.contains("robust_se"));
  expect_rel(j["se"][1], std::sqrt(g["cox_freq_efron_var"][3].get<double>()), "model se, frequency weights");
  expect_rel(j["loglik"][1], g["cox_freq_efron_loglik"][1].get<double>(), "loglik");
}

TEST(CaseWeightsCli, BadWeightIsRefusedNamingLineAndColumn) {
  const auto path = std::filesystem::temp_directory_path() / "sirtkit_case_weights_cli_bad.csv";
  std::ofstream(path) << "time,status,w\n5,1,1\n6,0,-0.5\n7,1,2\n";
  const auto r = run("km " + path.string() + " --weights w");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("line 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-0.5"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("> 0"), std::string::npos) << r.out;
}

}  // namespace
