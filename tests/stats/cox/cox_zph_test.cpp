// cox.zph (km transform, per term and GLOBAL) against R 4.2.2 / survival 3.5-3
// goldens (tests/data/survival): chi-square and p to 1e-6 relative.

#include "stats/cox/cox_zph.h"

#include <gtest/gtest.h>

#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

class CoxZphGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(CoxZphGolden, EfronFullModel) {
  const std::string name = GetParam();
  const auto g = load_golden(name);
  const Frame f = load_frame(name);
  const std::string tcol = g["time"], ecol = g["event"];
  const auto covs = as_list(g["covariates"]);
  std::vector<double> time;
  std::vector<int> status;
  std::vector<std::vector<double>> cols(covs.size());
  for (std::size_t r = 0; r < f.rows(); ++r) {
    bool ok = true;
    for (const auto& c : covs) ok = ok && !std::isnan(f.num(c.get<std::string>(), r));
    if (!ok) continue;
    time.push_back(f.num(tcol, r));
    status.push_back(static_cast<int>(f.num(ecol, r)));
    for (std::size_t j = 0; j < covs.size(); ++j) cols[j].push_back(f.num(covs[j].get<std::string>(), r));
  }
  Eigen::MatrixXd x(static_cast<Eigen::Index>(time.size()), static_cast<Eigen::Index>(covs.size()));
  for (std::size_t j = 0; j < cols.size(); ++j)
    for (std::size_t i = 0; i < time.size(); ++i) x(i, j) = cols[j][i];
  const CoxFit fit = cox_fit(time, status, x);
  const CoxZphResult z = cox_zph(time, status, x, fit, Ties::efron);
  const auto& gz = g["cox_zph"];
  const auto chisq = as_list(gz["chisq"]);
  ASSERT_EQ(z.chisq.size(), chisq.size());
  for (std::size_t k = 0; k < chisq.size(); ++k) {
    SCOPED_TRACE(name + " term " + as_list(gz["terms"])[k].get<std::string>());
    EXPECT_TRUE(near_rel(z.chisq[k], chisq[k], 1e-6));
    EXPECT_TRUE(near_rel(z.p_value[k], as_list(gz["p"])[k], 1e-6));
    EXPECT_EQ(z.df[k], as_list(gz["df"])[k].get<int>());
  }
}

INSTANTIATE_TEST_SUITE_P(R, CoxZphGolden, ::testing::ValuesIn(kDatasets));

}  // namespace
}  // namespace sirtkit::stats
