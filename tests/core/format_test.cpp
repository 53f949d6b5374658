// One way to write a count and its share (issue 16: "0 (0%)" and "0 (0.0%)" in
// two commands): one decimal, the denominator's absence said, never 0/0 = 0 %.
#include <gtest/gtest.h>

#include "core/format.h"

namespace sirtkit {
namespace {

TEST(CountPercent, OneDecimalOfTheExactShare) {
  EXPECT_EQ(count_percent(4, 28), "4 (14.3%)");
  EXPECT_EQ(count_percent(0, 28), "0 (0.0%)");
  EXPECT_EQ(count_percent(28, 28), "28 (100.0%)");
  EXPECT_EQ(count_percent(1, 3), "1 (33.3%)");
  EXPECT_EQ(count_percent(2, 3), "2 (66.7%)");
}

TEST(CountPercent, NoDenominatorIsSaidNotPrintedAsZero) {
  EXPECT_EQ(count_percent(0, 0), "0 (-)");
  EXPECT_EQ(fraction_percent(0, 0), "0/0 (-)");
}

TEST(FractionPercent, CarriesItsDenominator) {
  EXPECT_EQ(fraction_percent(26, 56), "26/56 (46.4%)");
  EXPECT_EQ(fraction_percent(1, 2), "1/2 (50.0%)");
}

}  // namespace
}  // namespace sirtkit
