#include "clinical/date.h"

#include <gtest/gtest.h>

#include "expect_bad_input.h"

namespace sirtkit::clinical {

TEST(Date, ParsesAndCounts) {
  EXPECT_EQ(parse_date("1970-01-01", "d").days, 0);
  EXPECT_EQ(days_between(parse_date("2020-01-01", "d"), parse_date("2020-03-01", "d")), 60);  // leap year
  EXPECT_EQ(days_between(parse_date("2021-01-01", "d"), parse_date("2021-03-01", "d")), 59);
  EXPECT_EQ(to_iso(parse_date("2024-02-29", "d")), "2024-02-29");
  EXPECT_LT(parse_date("2020-01-31", "d"), parse_date("2020-02-01", "d"));
}

TEST(Date, RejectsInvalidDates) {
  EXPECT_BAD_INPUT(parse_date("2023-02-29", "date"), "date", "not shown", "YYYY-MM-DD");  // dates are never echoed
  EXPECT_BAD_INPUT(parse_date("2023-13-01", "date"), "not shown");
  EXPECT_BAD_INPUT(parse_date("01/02/2023", "date"), "not shown");
  EXPECT_BAD_INPUT(parse_date("2023-1-01", "date"), "not shown");
  EXPECT_BAD_INPUT(parse_date("", "date"), "date");
}

}  // namespace sirtkit::clinical
