#include "report/descriptive/count_tests.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace sirtkit::report {
namespace {

// A zero cell puts the conditional MLE of the odds ratio at the edge of its
// support: R's fisher.test(matrix(c(5, 0, 2, 6), 2)) prints "Inf"; so must
// the text and the JSON (a string, never a bare number JSON cannot hold).
TEST(CountTestsRender, InfiniteOddsRatioAsRPrintsIt) {
  FisherResult f;
  f.table = {{5, 2}, {0, 6}};
  f.result.two_by_two = true;
  f.result.p_value = 0.02098;
  f.result.odds_ratio = std::numeric_limits<double>::infinity();
  f.result.or_lower = 1.2;
  f.result.or_upper = std::numeric_limits<double>::infinity();
  const std::string text = fisher_text(f);
  EXPECT_NE(text.find("odds ratio (conditional MLE) Inf, 95 % CI 1.2 to Inf"), std::string::npos) << text;
  EXPECT_NE(text.find("  row 1          5        2 |        7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  total          5        8 |       13\n"), std::string::npos) << text;
  const auto j = fisher_json(f);
  EXPECT_EQ(j["odds_ratio"], "Inf");
  EXPECT_EQ(j["conf_int"]["upper"], "Inf");
  EXPECT_FALSE(j.contains("tables_enumerated"));
}

TEST(CountTestsRender, SmallExpectedCountIsWarned) {
  ChisqResult c;
  c.table = {{3, 1}, {1, 3}};
  c.result.statistic = 0.5;
  c.result.df = 1;
  c.result.p_value = 0.4795;
  c.result.yates_correction = 0.5;
  c.result.expected = {{2, 2}, {2, 2}};
  c.result.pearson_residuals = {{0.7071, -0.7071}, {-0.7071, 0.7071}};
  c.result.expected_below_5 = true;
  const std::string text = chisq_text(c);
  EXPECT_NE(text.find("with Yates' continuity correction (2 x 2 table)"), std::string::npos) << text;
  EXPECT_NE(text.find("X-squared = 0.5, df = 1, p = 0.4795"), std::string::npos) << text;
  EXPECT_NE(text.find("warning: an expected count is below 5"), std::string::npos) << text;
  EXPECT_TRUE(chisq_json(c)["expected_below_5"].get<bool>());
}

TEST(CountTestsRender, ProportionInPercentAndPValueFloor) {
  ProportionResult p;
  p.x = 0;
  p.n = 15;
  p.chosen = {0.0, 0.0, 0.2180};
  p.binomial_p = 0.0;  // below the double floor: "< 2e-16", never 0
  const std::string text = proportion_text(p);
  EXPECT_NE(text.find("Proportion 0/15 = 0.0000 (0.0 %)"), std::string::npos) << text;
  EXPECT_NE(text.find("95 % CI 0.0000 to 0.2180 (Clopper-Pearson exact, as R binom.test; 0.0 % to 21.8 %)"), std::string::npos) << text;
  EXPECT_NE(text.find("two-sided p = < 2e-16"), std::string::npos) << text;
  EXPECT_DOUBLE_EQ(proportion_json(p)["conf_int"]["upper"].get<double>(), 0.2180);
}

}  // namespace
}  // namespace sirtkit::report
