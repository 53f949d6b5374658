// sirtkit km / logrank / cox run as a user would: JSON numbers against the R
// goldens in tests/data/survival, and bad input -> exit code 2 with a message
// naming the column and line.

#include <gtest/gtest.h>

#include "run_sirtkit.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>

namespace {

using sirtkit::cli_test::run;
using Run = sirtkit::cli_test::CliRun;

std::string data(const std::string& name) { return std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/survival/" + name; }

nlohmann::json golden(const std::string& name) {
  std::ifstream in(data(name + ".expected.json"));
  return nlohmann::json::parse(in);
}

bool rel(double a, double e, double tol) { return std::fabs(a - e) <= tol * std::fabs(e); }

std::string temp_csv(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("sirtkit_stats_cli_" + name + ".csv");
  std::ofstream(path) << text;
  return path.string();
}

TEST(StatsCli, KmJsonMatchesRByGroup) {
  const auto r = run("km " + data("lung.csv") + " --group sex --times 180,365,730 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto g = golden("lung");
  ASSERT_EQ(j["curves"].size(), 3u);
  EXPECT_EQ(j["curves"][0]["median"], g["km"]["log"]["median"][0].value("median", 0) == 310 ? nlohmann::json({{"median", 310.0}, {"lower", 285.0}, {"upper", 363.0}}) : nlohmann::json());
  for (int k = 0; k < 2; ++k) {
    EXPECT_EQ(j["curves"][k + 1]["strata"], g["km_by_group"]["median"][k]["strata"]);
    EXPECT_EQ(j["curves"][k + 1]["median"]["median"], g["km_by_group"]["median"][k]["median"]);
    EXPECT_EQ(j["curves"][k + 1]["median"]["lower"], g["km_by_group"]["median"][k]["lower"]);
    EXPECT_EQ(j["curves"][k + 1]["median"]["upper"], g["km_by_group"]["median"][k]["upper"]);
    for (int t = 0; t < 3; ++t) {
      EXPECT_TRUE(rel(j["curves"][k + 1]["at_times"][t]["surv"], g["landmarks"][t]["surv"][k], 1e-8));
      EXPECT_TRUE(rel(j["curves"][k + 1]["at_times"][t]["lower"], g["landmarks"][t]["lower"][k], 1e-8));
    }
  }
  EXPECT_EQ(j["reverse_km_median_followup"]["median"], 588.0);
}

TEST(StatsCli, KmCnsrCodingGivesTheSameCurve) {
  // Flip the lung status to ADaM CNSR (0 = event) and read it back with --event-coding cnsr.
  std::ifstream in(data("aml.csv"));
  std::string line, text;
  std::getline(in, line);
  text = line + "\n";
  while (std::getline(in, line)) {
    const auto a = line.find(','), b = line.find(',', a + 1);
    const std::string st = line.substr(a + 1, b - a - 1);
    text += line.substr(0, a + 1) + (st == "1" ? "0" : "1") + line.substr(b) + "\n";
  }
  const auto path = temp_csv("cnsr", text);
  const auto r = run("km " + path + " --event-coding cnsr --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["curves"][0]["median"]["median"], 27.0);
  EXPECT_EQ(j["curves"][0]["median"]["lower"], 18.0);
  EXPECT_EQ(j["curves"][0]["median"]["upper"], 48.0);
}

TEST(StatsCli, LogrankJsonMatchesR) {
  const auto g = golden("veteran");
  auto r = run("logrank " + data("veteran.csv") + " --group trt --rho 1 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(rel(j["chisq"], g["logrank"]["rho1"]["chisq"], 1e-6));
  EXPECT_TRUE(rel(j["p"], g["logrank"]["rho1"]["p"], 1e-6));
  r = run("logrank " + data("veteran.csv") + " --group trt --strata celltype --json");
  ASSERT_EQ(r.code, 0) << r.out;
  j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(rel(j["chisq"], g["logrank_stratified"]["chisq"], 1e-6));
}

TEST(StatsCli, CoxJsonMatchesR) {
  const auto g = golden("colon");
  const auto r = run("cox " + data("colon.csv") +
                     " --covariates age,sex,obstruct,perfor,adhere,nodes,differ,extent,surg --ties breslow --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto& gc = g["cox"]["breslow"];
  EXPECT_EQ(j["n"], gc["n"]);
  EXPECT_EQ(j["rows_dropped"], 929 - 888);
  for (std::size_t k = 0; k < gc["coef"].size(); ++k) {
    EXPECT_TRUE(rel(j["coef"][k], gc["coef"][k], 1e-6)) << k;
    EXPECT_TRUE(rel(j["se"][k], gc["se"][k], 1e-6)) << k;
  }
  EXPECT_TRUE(rel(j["loglik"][1], gc["loglik"][1], 1e-6));
  EXPECT_TRUE(rel(j["score_test"][0], gc["score_test"][0], 1e-6));
  EXPECT_TRUE(rel(j["concordance"], gc["concordance"], 1e-6));

  // cox.zph comes with the Efron fit (the golden's model).
  const auto e = run("cox " + data("colon.csv") + " --covariates age,sex,obstruct,perfor,adhere,nodes,differ,extent,surg --json");
  ASSERT_EQ(e.code, 0) << e.out;
  const auto je = nlohmann::json::parse(e.out);
  ASSERT_EQ(je["cox_zph"]["chisq"].size(), g["cox_zph"]["chisq"].size());
  for (std::size_t k = 0; k < g["cox_zph"]["chisq"].size(); ++k) {
    EXPECT_EQ(je["cox_zph"]["terms"][k], g["cox_zph"]["terms"][k]);
    EXPECT_TRUE(rel(je["cox_zph"]["chisq"][k], g["cox_zph"]["chisq"][k], 1e-6)) << k;
  }

  const auto u = run("cox " + data("colon.csv") + " --group rx --json");
  ASSERT_EQ(u.code, 0) << u.out;
  const auto ju = nlohmann::json::parse(u.out);
  EXPECT_EQ(ju["terms"], nlohmann::json({"rxLev+5FU", "rxObs"}));
  for (int k = 0; k < 2; ++k) EXPECT_TRUE(rel(ju["hr"][k], g["cox_univariable_group"]["hr"][k], 1e-6));
}

void expect_bad_input(const std::string& args, const std::vector<std::string>& needles) {
  const auto r = run(args);
  EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
  for (const auto& n : needles) EXPECT_NE(r.out.find(n), std::string::npos) << "missing '" << n << "' in: " << r.out;
}

TEST(StatsCli, BadInputNamesColumnAndLine) {
  expect_bad_input("km " + temp_csv("nonnum", "time,status\n5,1\nabc,0\n"), {"line 3", "time", "abc"});
  expect_bad_input("km " + temp_csv("neg", "time,status\n5,1\n-2,0\n"), {"line 3", "time", "-2"});
  expect_bad_input("km " + temp_csv("code", "time,status\n5,1\n7,2\n"), {"line 3", "status", "2"});
  expect_bad_input("km " + temp_csv("cnsr", "t,c\n5,1\n7,-1\n") + " --time t --event c --event-coding cnsr", {"line 3", "c", "-1"});
  expect_bad_input("km " + temp_csv("ragged", "time,status\n5,1\n7\n"), {"line 3", "ragged"});
  expect_bad_input("km " + temp_csv("unknown", "time,status\n5,1\n") + " --event dead", {"dead", "time, status"});
  expect_bad_input("logrank " + temp_csv("onegroup", "time,status,g\n5,1,a\n6,0,a\n") + " --group g", {"g", "two groups"});
  expect_bad_input("logrank " + temp_csv("nocens", "time,status,g\n5,0,a\n6,0,b\n") + " --group g", {"no events"});
  expect_bad_input("cox " + temp_csv("const", "time,status,x\n5,1,3\n6,0,3\n7,1,3\n8,1,3\n") + " --covariates x", {"x", "constant"});
  expect_bad_input("cox " + temp_csv("noev", "time,status,g\n5,1,a\n6,0,b\n7,1,a\n8,0,b\n9,1,a\n") + " --group g", {"g = b", "no events"});
  expect_bad_input("km " + temp_csv("ok", "time,status\n5,1\n") + " --conf-type logit", {"conf-type", "logit"});
}

TEST(StatsCli, NumericGroupLevelsAreLabelledAsR) {
  // 1.0 / 2 / 10 are the numbers 1, 2, 10: R's factor levels "1", "2", "10" in numeric order.
  const auto path = temp_csv("numlevels", "time,status,g\n5,1,1.0\n6,0,2\n7,1,10\n8,1,1\n9,1,2\n3,1,10\n");
  const auto r = run("logrank " + path + " --group g --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["groups"].size(), 3u);
  EXPECT_EQ(j["groups"][0]["group"], "g=1");
  EXPECT_EQ(j["groups"][0]["n"], 2);
  EXPECT_EQ(j["groups"][1]["group"], "g=2");
  EXPECT_EQ(j["groups"][2]["group"], "g=10");
}

TEST(StatsCli, CoxStepwiseMatchesMassStepAic) {
  const auto g = golden("colon");
  const auto r = run("cox " + data("colon.csv") +
                     " --covariates age,sex,obstruct,perfor,adhere,nodes,differ,extent,surg --step both --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["stepwise"]["kept"], g["stepwise_aic_both"]["kept"]);
  EXPECT_TRUE(rel(j["stepwise"]["aic"], g["stepwise_aic_both"]["aic"], 1e-6));
  EXPECT_EQ(j["terms"], g["stepwise_aic_both"]["kept"]);
  EXPECT_TRUE(rel(j["aic"], g["stepwise_aic_both"]["aic"], 1e-6));
}

TEST(StatsCli, CoxStepwiseKeepingNoTermReportsTheNullModel) {
  // tests/data/survival/more/edges.R: step(coxph(Surv(time, status) ~ x01 + neg + big), direction = "both")
  // drops every term; R returns the null model, AIC = -2 loglik(0) = 39.056521405205466.
  const auto r = run("cox " + data("more/edges.csv") + " --covariates x01,neg,big --step both --json", false);  // its warning goes to stderr
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["stepwise"]["kept"].empty());
  EXPECT_TRUE(rel(j["stepwise"]["aic"], 39.056521405205466, 1e-9));
  EXPECT_TRUE(j["terms"].empty());
  EXPECT_TRUE(j["coef"].empty());
  EXPECT_TRUE(rel(j["loglik"][0], -19.528260702602733, 1e-9));
  EXPECT_TRUE(rel(j["loglik"][1], -19.528260702602733, 1e-9));
  EXPECT_TRUE(rel(j["aic"], 39.056521405205466, 1e-9));
  EXPECT_EQ(j["n"], 15);
  EXPECT_EQ(j["nevent"], 9);
}

TEST(StatsCli, KmGroupCurvesMergeNearTiesOverAllGroups) {
  // 7/30.4375 and 7/365.25*12 differ in the last bit. survfit(Surv(t, s) ~ g)
  // runs aeqSurv on all rows before splitting, so group A's only copy is
  // reported as group B's smaller value (R 4.2.2: summary(fit)$time).
  const auto path = temp_csv("neartie_groups",
                             "t,s,g\n0.2299794661190965,1,A\n0.22997946611909648,1,B\n5,1,B\n7,0,A\n6,1,B\n");
  const auto r = run("km " + path + " --time t --event s --group g --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["curves"].size(), 3u);
  EXPECT_EQ(j["curves"][1]["strata"], "g=A");
  EXPECT_EQ(j["curves"][1]["table"][0]["time"].get<double>(), 0.22997946611909648);
  EXPECT_EQ(j["curves"][2]["table"][0]["time"].get<double>(), 0.22997946611909648);
}

TEST(StatsCli, TFColumnsAreLogicalAsReadCsvReadsThem) {
  // read.csv reads a column of T/F as logical: survfit(Surv(time, status) ~ g)
  // strata "g=FALSE", "g=TRUE"; coxph(Surv(time, status) ~ x) term "xTRUE",
  // coef 0.38712609352143246 (R 4.2.2 / survival 3.5-3).
  const auto path = temp_csv("tf_logical", "time,status,g,x\n1,1,T,T\n2,1,F,F\n3,0,T,F\n4,1,F,T\n5,1,T,T\n6,0,F,F\n7,1,T,F\n8,1,F,T\n");
  auto r = run("km " + path + " --group g --json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["curves"].size(), 3u);
  EXPECT_EQ(j["curves"][1]["strata"], "g=FALSE");
  EXPECT_EQ(j["curves"][2]["strata"], "g=TRUE");
  r = run("cox " + path + " --covariates x --json");
  ASSERT_EQ(r.code, 0) << r.out;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["terms"], nlohmann::json({"xTRUE"}));
  EXPECT_TRUE(rel(j["coef"][0], 0.38712609352143246, 1e-6));
}

TEST(StatsCli, SubgroupsForestTableMatchesR) {
  // statistics-methods.md §1.8 (g6.R): veteran trt 2 vs 1 within celltype; interaction LRT 8.2162, 3 df.
  const auto r = run("subgroups " + data("veteran.csv") + " --group trt --by celltype --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto& s = j["subgroups"][0];
  EXPECT_EQ(s["levels"][3]["level"], "celltype=squamous");
  EXPECT_NEAR(s["levels"][3]["hr"].get<double>(), 0.5444, 5e-5);
  EXPECT_EQ(s["levels"][3]["n"], 35);
  EXPECT_NEAR(s["overall"]["hr"].get<double>(), 1.0179, 5e-5);
  EXPECT_NEAR(s["interaction"]["chisq"].get<double>(), 8.2162, 5e-5);
  EXPECT_EQ(s["interaction"]["df"], 3);
  const auto bad = run("subgroups " + data("colon.csv") + " --group rx --by sex");
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_NE(bad.out.find("two treatment arms"), std::string::npos) << bad.out;
}

TEST(StatsCli, LogrankTrendUsesNumericLevels) {
  // R: o <- survdiff(...~ph.ecog)$obs - $exp; w <- 0:3; (w %*% o)^2 / (w %*% var %*% w) = 17.87512
  const auto r = run("logrank " + data("lung.csv") + " --group ph.ecog --trend --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["trend"]["scores"], nlohmann::json({0.0, 1.0, 2.0, 3.0}));
  EXPECT_NEAR(j["trend"]["chisq"].get<double>(), 17.87512, 5e-6);
}

TEST(StatsCli, MissingFileIsIoError) {
  const auto r = run("km /nonexistent/file.csv");
  EXPECT_EQ(r.code, 4) << r.out;
}

// Subgroups with exact ties (R: coxph(..., ties = "exact") per level; LRT of trt * celltype
// against trt + celltype):
//   adeno 0.208561377386894, large 0.428936655549791, smallcell 0.500256328475494,
//   squamous -0.611440218943321; interaction chisq 8.20570100028453
TEST(StatsCli, SubgroupsWithExactTiesMatchR) {
  const auto r = run("subgroups " + data("veteran.csv") + " --group trt --by celltype --ties exact --json", false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto& sg = j["subgroups"][0];
  const double coef[] = {0.208561377386894, 0.428936655549791, 0.500256328475494, -0.611440218943321};
  for (int k = 0; k < 4; ++k) EXPECT_TRUE(rel(sg["levels"][k]["coef"].get<double>(), coef[k], 1e-6)) << k;
  EXPECT_TRUE(rel(sg["interaction"]["chisq"].get<double>(), 8.20570100028453, 1e-6));
  EXPECT_EQ(run("subgroups " + data("veteran.csv") + " --group trt --by celltype --ties discrete").code, 2);
}

// Seed 001's model building: univariable screen at p < 0.15, then stepwise AIC
// (R values in tests/pipelines/survival/univariable_screen_test.cpp).
TEST(StatsCli, CoxUnivariableScreenThenStepwise) {
  const auto out_dir = std::filesystem::temp_directory_path() / ("sirtkit_stats_cli_univariable_" + std::to_string(::getpid()));
  std::filesystem::remove_all(out_dir);
  const auto r = run("cox " + data("lung.csv") +
                    " --univariable --covariates sex,age,ph.ecog,ph.karno,wt.loss --factor ph.ecog --step both --json --out " +
                    out_dir.string());
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["univariable"]["selected"], (std::vector<std::string>{"sex", "age", "ph.ecog", "ph.karno"}));
  EXPECT_TRUE(rel(j["univariable"]["candidates"][4]["lr_p"].get<double>(), 0.8288579372139613, 1e-6));
  EXPECT_EQ(j["multivariable"]["stepwise"]["kept"], (std::vector<std::string>{"sex", "ph.ecog"}));
  EXPECT_TRUE(std::filesystem::exists(out_dir / "cox.json"));
  EXPECT_TRUE(std::filesystem::exists(out_dir / "forest.svg"));
  // Readable form names the screen and the selection.
  const auto text = run("cox " + data("lung.csv") + " --univariable --covariates sex,wt.loss");
  ASSERT_EQ(text.code, 0) << text.out;
  EXPECT_NE(text.out.find("selected: sex"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Multivariable model"), std::string::npos) << text.out;
  // A bad threshold or an unknown candidate is bad input.
  EXPECT_EQ(run("cox " + data("lung.csv") + " --univariable --covariates sex --screen-p 0").code, 2);
  EXPECT_EQ(run("cox " + data("lung.csv") + " --univariable --covariates sex,nope").code, 2);
}

}  // namespace
