// sirtkit cox --start and km --start (counting-process rows) and --ties exact, run as a user
// would, against R 4.2.2 / survival 3.5-3 on survival's heart data
// (tests/data/survival/heart.csv); bad (start, stop] rows -> exit code 2 with
// a message naming file, line, column and value.

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

std::string heart() { return std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/survival/heart.csv"; }

std::string temp_csv(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("sirtkit_cox_counting_cli_" + name + ".csv");
  std::ofstream(path) << text;
  return path.string();
}

void expect_rel(const nlohmann::json& actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual.get<double>(), expected, 1e-6 * std::fabs(expected)) << what;
}

// h <- read.csv("tests/data/survival/heart.csv")
// coxph(Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id), h)
TEST(CoxCountingCli, HeartWithClusterMatchesR) {
  const auto r = run("cox " + heart() + " --start start --time stop --event event --covariates age,year,surgery,transplant --cluster id --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const std::vector<double> coef{0.0271666409577, -0.146346345674, -0.637209889967, -0.0102507724091};
  const std::vector<double> se{0.0137141152103, 0.0704679795189, 0.36722599618, 0.313754798337};
  const std::vector<double> robust{0.0138918929241, 0.0730798592394, 0.358210202384, 0.316882349062};
  for (std::size_t k = 0; k < 4; ++k) {
    expect_rel(j["coef"][k], coef[k], "coef");
    expect_rel(j["se"][k], se[k], "se");
    expect_rel(j["robust_se"][k], robust[k], "robust se");
  }
  expect_rel(j["loglik"][1], -290.565616218, "loglik");
  expect_rel(j["concordance"], 0.635760123921, "concordance");
  // summary(fit)$concordance "se(C)": the jackknife summed within clusters
  // (tests/data/survival/concordance_se.R, cox_cluster_se)
  EXPECT_NEAR(j["concordance_se"].get<double>(), 0.033153739294960918, 1e-9 * 0.0331537);
  EXPECT_EQ(j["n"], 172);
  EXPECT_EQ(j["nevent"], 75);
  EXPECT_EQ(j["start"], "start");
  // cox.zph(fit): GLOBAL chisq 3.47310229885 on 4 df (zph2.c; the cluster does not enter)
  ASSERT_EQ(j["cox_zph"]["chisq"].size(), 5u);
  expect_rel(j["cox_zph"]["chisq"][4], 3.47310229885, "cox.zph GLOBAL");
  expect_rel(j["cox_zph"]["p"][0], 0.351821976236, "cox.zph age p");
}

// coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), h, ties = "exact")
TEST(CoxCountingCli, ExactTiesWithStrataMatchesR) {
  const auto r = run("cox " + heart() + " --start start --time stop --event event --covariates age,year,transplant --strata surgery --ties exact --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["ties"], "exact");
  const std::vector<double> coef{0.0269850849695, -0.150180512724, -0.0252220237729};
  for (std::size_t k = 0; k < 3; ++k) expect_rel(j["coef"][k], coef[k], "coef");
  expect_rel(j["loglik"][0], -261.962344295, "loglik(0)");
  expect_rel(j["lr_test"][0], 10.2145225364, "LR");
  // The readable summary says why there is no cox.zph.
  const auto t = run("cox " + heart() + " --start start --time stop --event event --covariates age --ties exact");
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_NE(t.out.find("not available for exact ties with (start, stop] data"), std::string::npos) << t.out;
  EXPECT_TRUE(j["cox_zph"].is_null());
}

// survfit(Surv(start, stop, event) ~ surgery, h)
//   surgery=0: median 80 (66, 188); surgery=1: median 980 (186, NA)
// summary(fit, times = c(30, 365)): surgery=0 n.risk 66 19, surv 0.7570881 0.2694447;
//   surgery=1 n.risk 14 9, surv 0.8750000 0.6057692
// survfit(Surv(start, stop, event) ~ 1, h): median 100 (72, 263)
TEST(KmCountingCli, HeartByGroupMatchesR) {
  const auto r = run("km " + heart() + " --start start --time stop --event event --group surgery --times 30,365 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["curves"].size(), 3u);
  EXPECT_EQ(j["curves"][0]["median"], nlohmann::json({{"median", 100.0}, {"lower", 72.0}, {"upper", 263.0}}));
  EXPECT_EQ(j["curves"][1]["median"], nlohmann::json({{"median", 80.0}, {"lower", 66.0}, {"upper", 188.0}}));
  EXPECT_EQ(j["curves"][2]["median"], nlohmann::json({{"median", 980.0}, {"lower", 186.0}, {"upper", nullptr}}));
  EXPECT_EQ(j["curves"][1]["at_times"][0]["n_risk"], 66);
  EXPECT_EQ(j["curves"][1]["at_times"][1]["n_risk"], 19);
  EXPECT_EQ(j["curves"][2]["at_times"][0]["n_risk"], 14);
  EXPECT_NEAR(j["curves"][1]["at_times"][0]["surv"].get<double>(), 0.7570881, 5e-8);
  EXPECT_NEAR(j["curves"][2]["at_times"][1]["surv"].get<double>(), 0.6057692, 5e-8);
  EXPECT_TRUE(j["reverse_km_median_followup"].is_null());
  EXPECT_EQ(j["start"], "start");
  EXPECT_EQ(j["curves"][0]["n"], 172);
}

TEST(CoxCountingCli, BadIntervalsNameFileLineColumnAndValue) {
  const std::string head = "id,entry,exit,dead,x\n";
  // Line 3 (the second data row) is an event with start = stop.
  const auto eq = temp_csv("equal", head + "1,0,5,1,0.5\n2,7,7,1,1.2\n3,0,9,0,0.1\n4,2,6,1,0.3\n");
  auto r = run("cox " + eq + " --start entry --time exit --event dead --covariates x");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("line 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("entry = 7"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(eq), std::string::npos) << r.out;
  // start > stop on a censored row.
  const auto gt = temp_csv("greater", head + "1,0,5,1,0.5\n2,1,7,1,1.2\n3,10,9,0,0.1\n4,2,6,1,0.3\n");
  r = run("cox " + gt + " --start entry --time exit --event dead --covariates x");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("line 4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("entry = 10"), std::string::npos) << r.out;
  // A negative entry time.
  const auto neg = temp_csv("negative", head + "1,0,5,1,0.5\n2,-1,7,1,1.2\n3,0,9,0,0.1\n4,2,6,1,0.3\n");
  r = run("cox " + neg + " --start entry --time exit --event dead --covariates x");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("line 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(">= 0"), std::string::npos) << r.out;
  // km reads the same rows.
  r = run("km " + gt + " --start entry --time exit --event dead");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("line 4"), std::string::npos) << r.out;
  // An unknown start column lists the header.
  r = run("cox " + neg + " --start begin --time exit --event dead --covariates x");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("begin"), std::string::npos) << r.out;
}

// Stepwise AIC on (start, stop] rows, as step() on the counting-process coxph:
//   f <- coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, heart)
//   s <- step(f, direction = "both")   # drops transplant; AIC 587.132299301143
//   coef(s): age 0.027066594482011, year -0.146269756944670, surgery -0.637594632027144
TEST(CoxCountingCli, StepwiseOnStartStopRowsMatchesR) {
  const auto r = run("cox " + heart() +
                     " --start start --time stop --event event --covariates age,year,surgery,transplant --step both --json",
                     false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["stepwise"]["kept"], (std::vector<std::string>{"age", "year", "surgery"}));
  EXPECT_NEAR(j["aic"].get<double>(), 587.132299301143, 1e-6 * 587.132299301143);
  const double coef[] = {0.027066594482011, -0.146269756944670, -0.637594632027144};
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(j["coef"][k].get<double>(), coef[k], 1e-6 * std::fabs(coef[k]));
}

TEST(CoxCountingCli, UnsupportedCombinationsAreRefused) {
  // R: robust variance of (start, stop] data needs cluster(id).
  auto r = run("cox " + heart() + " --start start --time stop --event event --covariates age --robust");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("cluster"), std::string::npos) << r.out;
  // R: "dfbeta residuals are not available for the exact method".
  r = run("cox " + heart() + " --start start --time stop --event event --covariates age --ties exact --cluster id");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("exact"), std::string::npos) << r.out;
  r = run("cox " + heart() + " --time stop --event event --covariates age --ties discrete");
  EXPECT_EQ(r.code, 2) << r.out;
}

}  // namespace

// coxph(Surv(start, stop, event) ~ age + transplant, h): Concordance = 0.576 (se = 0.038)
TEST(CoxCountingCli, ConcordanceStandardErrorMatchesR) {
  const auto r = run("cox " + heart() + " --start start --time stop --event event --covariates age,transplant --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["concordance"].get<double>(), 0.5756804602788228, 1e-9);
  EXPECT_NEAR(j["concordance_se"].get<double>(), 0.037839350516811809, 1e-9 * 0.0378);
  const auto text = run("cox " + heart() + " --start start --time stop --event event --covariates age,transplant");
  EXPECT_NE(text.out.find("Concordance = 0.576  (se = 0.038)"), std::string::npos) << text.out;
}
