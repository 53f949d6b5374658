// Stepwise AIC ("both", from the full model) against MASS::stepAIC on coxph,
// R 4.2.2 / survival 3.5-3 goldens (tests/data/survival): the kept terms
// exactly and the final AIC to 1e-6 relative.

#include "stats/cox/stepwise_aic.h"

#include <gtest/gtest.h>

#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

class StepwiseGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(StepwiseGolden, BothFromFullModel) {
  const std::string name = GetParam();
  const auto g = load_golden(name);
  const Frame f = load_frame(name);
  const std::string tcol = g["time"], ecol = g["event"];
  std::vector<std::string> covs;
  for (const auto& c : as_list(g["covariates"])) covs.push_back(c.get<std::string>());
  std::vector<double> time;
  std::vector<int> status;
  std::vector<std::vector<double>> cols(covs.size());
  for (std::size_t r = 0; r < f.rows(); ++r) {
    bool ok = true;
    for (const auto& c : covs) ok = ok && !std::isnan(f.num(c, r));
    if (!ok) continue;
    time.push_back(f.num(tcol, r));
    status.push_back(static_cast<int>(f.num(ecol, r)));
    for (std::size_t j = 0; j < covs.size(); ++j) cols[j].push_back(f.num(covs[j], r));
  }
  Eigen::MatrixXd x(static_cast<Eigen::Index>(time.size()), static_cast<Eigen::Index>(covs.size()));
  std::vector<std::vector<int>> terms;
  for (std::size_t j = 0; j < cols.size(); ++j) {
    terms.push_back({static_cast<int>(j)});
    for (std::size_t i = 0; i < time.size(); ++i) x(i, j) = cols[j][i];
  }
  const StepwiseResult s = stepwise_aic(time, status, x, terms, covs);
  std::vector<std::string> kept;
  for (int t : s.kept) kept.push_back(covs[t]);
  std::vector<std::string> expected;
  for (const auto& k : as_list(g["stepwise_aic_both"]["kept"])) expected.push_back(k.get<std::string>());
  EXPECT_EQ(kept, expected) << name;
  EXPECT_TRUE(near_rel(s.aic, g["stepwise_aic_both"]["aic"], 1e-6)) << name;
}

INSTANTIATE_TEST_SUITE_P(R, StepwiseGolden, ::testing::ValuesIn(kDatasets));

}  // namespace
}  // namespace sirtkit::stats
