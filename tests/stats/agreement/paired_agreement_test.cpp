#include "stats/agreement/paired_agreement.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"

namespace sirtkit::stats {

TEST(PairedAgreement, MatchesRTTest) {
  // R: t.test(c(1,2,3,4,5))$conf.int = 1.036757 4.963243; sd = 1.581139.
  const std::vector<double> a{10, 20, 30, 40, 50}, b{11, 22, 33, 44, 55};
  const PairedAgreement r = paired_agreement(a, b);
  EXPECT_EQ(r.n, 5);
  EXPECT_DOUBLE_EQ(r.mean_difference, 3.0);
  EXPECT_NEAR(r.sd_difference, 1.581139, 1e-6);
  EXPECT_NEAR(r.ci_low, 1.036757, 1e-6);
  EXPECT_NEAR(r.ci_high, 4.963243, 1e-6);
  EXPECT_NEAR(r.limits_low, 3 - 1.96 * 1.5811388, 1e-6);
  EXPECT_NEAR(r.limits_high, 3 + 1.96 * 1.5811388, 1e-6);
  EXPECT_DOUBLE_EQ(r.median_a, 30);
  EXPECT_DOUBLE_EQ(r.median_b, 33);
}

TEST(PairedAgreement, RefusesTooFewPairs) {
  const std::vector<double> one{1};
  EXPECT_THROW(paired_agreement(one, one), Error);
}

}  // namespace sirtkit::stats
