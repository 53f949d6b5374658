#include "report/number_output.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace sirtkit::report {

// R: format.pval(c(0, 1e-300, 2e-16, 3e-16), eps = .Machine$double.eps) gives
// "< 2.22e-16" for the first three; print.coxph and survdiff print "<2e-16".
TEST(TablePValue, BelowDoubleEpsilonPrintsAsRNeverZero) {
  EXPECT_EQ(table_p_value(0.0), "< 2e-16");
  EXPECT_EQ(table_p_value(1e-300), "< 2e-16");
  EXPECT_EQ(table_p_value(2.2e-16), "< 2e-16");
  EXPECT_EQ(table_p_value(2.3e-16), "2.30e-16");
  EXPECT_EQ(table_p_value(4.5e-5), "4.50e-05");
  EXPECT_EQ(table_p_value(1e-4), "0.0001");
  EXPECT_EQ(table_p_value(0.04999), "0.0500");
  EXPECT_EQ(table_p_value(std::nan("")), "NA");
}

TEST(JsonOrNull, NotFiniteIsNull) {
  EXPECT_TRUE(json_or_null(std::nan("")).is_null());
  EXPECT_TRUE(json_or_null(std::numeric_limits<double>::infinity()).is_null());
  EXPECT_EQ(json_or_null(0.25).get<double>(), 0.25);
  const double v[] = {1.5, -std::numeric_limits<double>::infinity()};
  EXPECT_EQ(json_array_or_null(v).dump(), "[1.5,null]");
}

TEST(TimeUnit, NumberAndAxisCarryTheUnitOnlyWhenKnown) {
  EXPECT_EQ(with_time_unit("12.5", "months"), "12.5 months");
  EXPECT_EQ(with_time_unit("12.5", ""), "12.5");
  EXPECT_EQ(time_axis_label("AVAL", "days"), "AVAL (days)");
  EXPECT_EQ(time_axis_label("AVAL", ""), "AVAL");
}

}  // namespace sirtkit::report
