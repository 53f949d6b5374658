// The CLI on a simulated registry with decimal month times (days / 30.4375),
// three arms, missing covariates, strata and clusters, against R 4.2.2 /
// survival 3.5-3 (tests/data/survival/registry_sim.R writes the golden):
// quantiles and their CI exactly, survival 1e-8, tests/coefficients 1e-6.

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>

namespace {

nlohmann::json run_json(const std::string& args) {
  const std::string cmd = std::string(SIRTKIT_BINARY) + " " + args + " --json";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  EXPECT_EQ(pclose(p), 0) << cmd;
  return nlohmann::json::parse(out);
}

const std::string kCsv = std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/survival/registry_sim.csv";

nlohmann::json golden() {
  std::ifstream in(std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/survival/registry_sim.expected.json");
  return nlohmann::json::parse(in);
}

bool rel(const nlohmann::json& a, const nlohmann::json& e, double tol) {
  if (e.is_null() || a.is_null()) return e.is_null() && a.is_null();
  return std::fabs(a.get<double>() - e.get<double>()) <= tol * std::fabs(e.get<double>());
}

TEST(StatsCliRegistrySim, KaplanMeierByArm) {
  const auto g = golden();
  const auto j = run_json("km " + kCsv + " --time os_months --group arm --times 6,12,24 --quantiles 0.25,0.5,0.75");
  for (int a = 0; a < 3; ++a) {
    const auto& c = j["curves"][a + 1];
    for (int q = 0; q < 3; ++q) {
      EXPECT_EQ(c["quantiles"][q]["time"], g["km_quantiles"]["estimate"][a * 3 + q]) << a << q;
      EXPECT_EQ(c["quantiles"][q]["lower"], g["km_quantiles"]["lower"][a * 3 + q]) << a << q;
      EXPECT_EQ(c["quantiles"][q]["upper"], g["km_quantiles"]["upper"][a * 3 + q]) << a << q;
      EXPECT_TRUE(rel(c["at_times"][q]["surv"], g["km_at_times"]["surv"][a * 3 + q], 1e-8));
      EXPECT_TRUE(rel(c["at_times"][q]["lower"], g["km_at_times"]["lower"][a * 3 + q], 1e-8));
      EXPECT_TRUE(rel(c["at_times"][q]["upper"], g["km_at_times"]["upper"][a * 3 + q], 1e-8));
      EXPECT_EQ(c["at_times"][q]["n_risk"], g["km_at_times"]["n_risk"][a * 3 + q]);
    }
  }
  EXPECT_EQ(j["reverse_km_median_followup"]["median"], g["reverse_km_median"]["estimate"][0]);
  EXPECT_EQ(j["reverse_km_median_followup"]["lower"], g["reverse_km_median"]["lower"][0]);
  EXPECT_EQ(j["reverse_km_median_followup"]["upper"], g["reverse_km_median"]["upper"][0]);
}

TEST(StatsCliRegistrySim, LogRank) {
  const auto g = golden();
  auto j = run_json("logrank " + kCsv + " --time os_months --group arm");
  EXPECT_TRUE(rel(j["chisq"], g["logrank"]["chisq"], 1e-6));
  EXPECT_TRUE(rel(j["p"], g["logrank"]["p"], 1e-6));
  j = run_json("logrank " + kCsv + " --time os_months --group arm --strata bclc --rho 1");
  EXPECT_TRUE(rel(j["chisq"], g["logrank_strata_rho1"]["chisq"], 1e-6));
}

TEST(StatsCliRegistrySim, CoxFactorsMissingZphAndClusteredStrata) {
  const auto g = golden();
  auto j = run_json("cox " + kCsv + " --time os_months --group arm --covariates age,albi,dose_hi");
  EXPECT_EQ(j["n"], g["cox"]["n"]);
  EXPECT_EQ(j["iterations"], g["cox"]["iter"]);
  for (int k = 0; k < 5; ++k) {
    EXPECT_TRUE(rel(j["coef"][k], g["cox"]["coef"][k], 1e-6)) << k;
    EXPECT_TRUE(rel(j["se"][k], g["cox"]["se"][k], 1e-6)) << k;
  }
  EXPECT_TRUE(rel(j["loglik"][0], g["cox"]["loglik"][0], 1e-6));
  EXPECT_TRUE(rel(j["loglik"][1], g["cox"]["loglik"][1], 1e-6));
  EXPECT_TRUE(rel(j["concordance"], g["cox"]["concordance"], 1e-6));
  for (int k = 0; k < 5; ++k) {
    EXPECT_TRUE(rel(j["cox_zph"]["chisq"][k], g["cox_zph"]["chisq"][k], 1e-6)) << k;
    EXPECT_TRUE(rel(j["cox_zph"]["p"][k], g["cox_zph"]["p"][k], 1e-6)) << k;
  }
  j = run_json("cox " + kCsv + " --time os_months --group arm --covariates age --strata bclc --cluster site --ties breslow");
  for (int k = 0; k < 3; ++k) {
    EXPECT_TRUE(rel(j["coef"][k], g["cox_strata_cluster_breslow"]["coef"][k], 1e-6)) << k;
    EXPECT_TRUE(rel(j["robust_se"][k], g["cox_strata_cluster_breslow"]["robust_se"][k], 1e-6)) << k;
  }
}

}  // namespace
