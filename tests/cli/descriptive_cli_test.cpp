// sirtkit proportion / fisher / chisq / compare / table1 run as a user would:
// JSON numbers against R 4.2.2 goldens (1e-10 relative), readable output, and
// bad input -> exit code 2 with a message naming the field and value, and no
// output file.

#include <gtest/gtest.h>

#include "run_sirtkit.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>

namespace {

using sirtkit::cli_test::run;
using CliRun = sirtkit::cli_test::CliRun;

nlohmann::json run_json(const std::string& args) {
  const CliRun r = run(args + " --json", false);
  EXPECT_EQ(r.code, 0) << args << "\n" << r.out;
  return nlohmann::json::parse(r.out);
}

bool rel(double a, double e, double tol = 1e-10) { return std::fabs(a - e) <= tol * std::fabs(e); }

const std::string patients = std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/descriptive/table1_patients.csv";

TEST(DescriptiveCli, ProportionMatchesR) {
  // R: binom.test(20, 28): CI 0.51333168455105938 0.86776348742887488, p 0.035698138177394839
  auto j = run_json("proportion --x 20 --n 28");
  EXPECT_EQ(j["method"], "clopper-pearson");
  EXPECT_TRUE(rel(j["conf_int"]["lower"], 0.51333168455105938));
  EXPECT_TRUE(rel(j["conf_int"]["upper"], 0.86776348742887488));
  EXPECT_TRUE(rel(j["binomial_test"]["p_value"], 0.035698138177394839));
  // R: prop.test(20, 28, correct = FALSE)$conf.int: 0.5294071156670429 0.84746003943330905
  j = run_json("proportion --x 20 --n 28 --method wilson");
  EXPECT_TRUE(rel(j["conf_int"]["lower"], 0.5294071156670429));
  EXPECT_TRUE(rel(j["conf_int"]["upper"], 0.84746003943330905));
  // R: prop.test(20, 28)$conf.int: 0.51127648834319128 0.86048113756785627
  j = run_json("proportion --x 20 --n 28 --method wilson-cc");
  EXPECT_TRUE(rel(j["conf_int"]["lower"], 0.51127648834319128));
  EXPECT_TRUE(rel(j["conf_int"]["upper"], 0.86048113756785627));
  // x = 0: R binom.test(0, 10)$conf.int = 0 0.30849710781876083
  j = run_json("proportion --x 0 --n 10");
  EXPECT_EQ(j["conf_int"]["lower"], 0.0);
  EXPECT_TRUE(rel(j["conf_int"]["upper"], 0.30849710781876083));
  const CliRun r = run("proportion --x 20 --n 28");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("20/28 = 0.7143"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("95 % CI 0.5133 to 0.8678"), std::string::npos) << r.out;
}

TEST(DescriptiveCli, FisherMatchesR) {
  // R: fisher.test(matrix(c(3, 1, 1, 3), 2)): p 0.4857142857142858, OR 6.4083088670057879, CI 0.21173291530550292 621.9337505454173
  auto j = run_json("fisher --table 3,1/1,3");
  EXPECT_TRUE(rel(j["p_value"], 0.48571428571428582));
  EXPECT_TRUE(rel(j["odds_ratio"], 6.4083088670057879));
  EXPECT_TRUE(rel(j["conf_int"]["lower"], 0.21173291530550292));
  EXPECT_TRUE(rel(j["conf_int"]["upper"], 621.9337505454173));
  // A zero cell: R fisher.test(matrix(c(10, 3, 0, 7), 2, byrow = TRUE)): OR Inf, CI 2.5754650799172674 Inf
  j = run_json("fisher --table 10,3/0,7");
  EXPECT_EQ(j["odds_ratio"], "Inf");
  EXPECT_EQ(j["conf_int"]["upper"], "Inf");
  EXPECT_TRUE(rel(j["conf_int"]["lower"], 2.5754650799172674));
  // 3 x 3: R fisher.test(matrix(c(2, 6, 7, 5, 0, 1, 3, 4, 2), 3, byrow = TRUE))$p.value
  j = run_json("fisher --table 2,6,7/5,0,1/3,4,2");
  EXPECT_TRUE(rel(j["p_value"], 0.040135369756936996));
  EXPECT_TRUE(j["odds_ratio"].is_null() || !j.contains("odds_ratio"));
  const CliRun r = run("fisher --table 3,1/1,3");
  EXPECT_NE(r.out.find("two-sided p = 0.4857"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("odds ratio (conditional MLE) 6.40831"), std::string::npos) << r.out;
}

TEST(DescriptiveCli, ChisqMatchesR) {
  // R: chisq.test(matrix(c(12, 5, 8, 15), 2, byrow = TRUE)): X-squared 3.6828644501278776, p 0.054974328721694277
  auto j = run_json("chisq --table 12,5/8,15");
  EXPECT_TRUE(rel(j["statistic"], 3.6828644501278776));
  EXPECT_TRUE(rel(j["p_value"], 0.054974328721694277));
  EXPECT_EQ(j["yates_correction"], 0.5);
  // R: chisq.test(..., correct = FALSE): 5.0127877237851663, p 0.025160759200408729
  j = run_json("chisq --table 12,5/8,15 --no-correct");
  EXPECT_TRUE(rel(j["statistic"], 5.0127877237851663));
  EXPECT_TRUE(rel(j["p_value"], 0.025160759200408729));
  EXPECT_FALSE(j["expected_below_5"]);
  const CliRun r = run("chisq --table 9,3,1/7,4,3");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("may be incorrect"), std::string::npos) << r.out;
}

TEST(DescriptiveCli, CompareMatchesR) {
  // R: d <- read.csv("table1_patients.csv"); t.test(age ~ arm, d): t -0.042960719125175642, df 50.896828373346793,
  //    CI -5.8340313310906105 5.5895868866461553, p 0.96590094571017904
  auto j = run_json("compare " + patients + " --value age --by arm --test welch");
  EXPECT_TRUE(rel(j["test"]["t"], -0.042960719125175642));
  EXPECT_TRUE(rel(j["test"]["df"], 50.896828373346793));
  EXPECT_TRUE(rel(j["test"]["p_value"], 0.96590094571017904));
  EXPECT_TRUE(rel(j["test"]["conf_int"]["lower"], -5.8340313310906105));
  EXPECT_TRUE(rel(j["test"]["conf_int"]["upper"], 5.5895868866461553));
  EXPECT_EQ(j["rows_left_out"], 2);
  // R: t.test(age ~ arm, d, var.equal = TRUE): p 0.96589738853131313, CI -5.8310845672672711 5.586640122822816
  j = run_json("compare " + patients + " --value age --by arm --test t");
  EXPECT_EQ(j["test"]["name"], "student");
  EXPECT_TRUE(rel(j["test"]["p_value"], 0.96589738853131313));
  EXPECT_TRUE(rel(j["test"]["conf_int"]["lower"], -5.8310845672672711));
  // R: wilcox.test(age ~ arm, d): W 393.5, p 0.62195781126158112 (ties)
  j = run_json("compare " + patients + " --value age --by arm");
  EXPECT_EQ(j["test"]["W"], 393.5);
  EXPECT_TRUE(rel(j["test"]["p_value"], 0.62195781126158112));
  EXPECT_FALSE(j["test"]["exact"]);
}

TEST(DescriptiveCli, Table1PrintsAndWritesFiles) {
  const auto dir = std::filesystem::temp_directory_path() / "sirtkit_table1_cli";
  std::filesystem::remove_all(dir);
  const std::string args = "table1 " + patients + " --by arm --vars age,sex,child,ecog,etiology,afp_ng_ml --factors ecog --nonnormal afp_ng_ml";
  const CliRun r = run(args + " --out " + dir.string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("age, mean ± SD"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("22 (81.5%)"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "table1.json"));
  EXPECT_TRUE(std::filesystem::exists(dir / "table1.csv"));
  // R: fisher.test(table(d$etiology, d$arm))$p.value
  const auto j = run_json(args);
  EXPECT_EQ(j["variables"][4]["name"], "etiology");
  EXPECT_TRUE(rel(j["variables"][4]["test"]["p_value"], 0.47372428912938697));
  std::filesystem::remove_all(dir);
}

TEST(DescriptiveCli, BadInputExitsTwoNamingTheFieldAndWritesNothing) {
  struct Case {
    std::string args, fragment;
  };
  const Case cases[] = {
      {"proportion --x -1 --n 10", "x = -1"},
      {"proportion --x 11 --n 10", "x = 11"},
      {"proportion --x 3 --n 10 --method agresti", "method = agresti"},
      {"fisher --table 3,-1/1,3", "count [1,2] = -1"},
      {"fisher --table 0,0/1,3", "row 1 total = 0"},
      {"chisq --table 3,0/1,0", "column 2 total = 0"},
      {"fisher --table 3,1/1,x", "cell 'x'"},
      {"compare " + patients + " --value weight --by arm", "weight"},
      {"compare " + patients + " --value sex --by arm", "line 2: sex = F"},
      {"compare " + patients + " --value age --by etiology --test welch", "exactly 2 groups"},
  };
  for (const auto& c : cases) {
    const CliRun r = run(c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.fragment), std::string::npos) << c.args << "\n" << r.out;
  }
  // Too few observations per group for a t-test.
  const auto tiny = std::filesystem::temp_directory_path() / "sirtkit_compare_tiny.csv";
  FILE* f = std::fopen(tiny.c_str(), "w");
  std::fputs("arm,age\nA,61\nB,70\nB,72\n", f);
  std::fclose(f);
  CliRun r = run("compare " + tiny.string() + " --value age --by arm --test welch");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("group x = 1 values"), std::string::npos) << r.out;
  // table1 with an unknown column writes no file.
  const auto dir = std::filesystem::temp_directory_path() / "sirtkit_table1_cli_bad";
  std::filesystem::remove_all(dir);
  r = run("table1 " + patients + " --by arm --vars age,weight --out " + dir.string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("weight"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "table1.json"));
  EXPECT_FALSE(std::filesystem::exists(dir / "table1.csv"));
}

}  // namespace
