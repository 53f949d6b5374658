// r_number_label against R 4.2.2's as.character(<double>), which factor()
// uses for numeric levels (survfit strata, coxph term names):
//   x <- c(100000, 123456, 0.0001, 0.00012, 1e-5, -1e5, 1e15, 1e16, 123456789012, 0.1 + 0.2, 1/3,
//          2/3 * 1e-7, -0.5, 1e300, 2.5e-100, 1234567.5, 100, 1e5 + 0.1, 0.1, 10, 3e-300)
//   cat(sprintf("{%.17g, \"%s\"},\n", x, as.character(x)))

#include <gtest/gtest.h>

#include <cmath>

#include <string>
#include <utility>
#include <vector>

#include "pipelines/descriptive/number_output.h"

namespace {

TEST(RNumberLabel, AsRsAsCharacter) {
  const std::vector<std::pair<double, std::string>> r{
      {100000, "1e+05"},
      {123456, "123456"},
      {0.0001, "1e-04"},
      {0.00012, "0.00012"},
      {1.0000000000000001e-05, "1e-05"},
      {-100000, "-1e+05"},
      {1000000000000000, "1e+15"},
      {10000000000000000, "1e+16"},
      {123456789012, "123456789012"},
      {0.30000000000000004, "0.3"},
      {0.33333333333333331, "0.333333333333333"},
      {6.6666666666666655e-08, "6.66666666666667e-08"},
      {-0.5, "-0.5"},
      {1.0000000000000001e+300, "1e+300"},
      {2.5e-100, "2.5e-100"},
      {1234567.5, "1234567.5"},
      {100, "100"},
      {100000.10000000001, "100000.1"},
      {0.10000000000000001, "0.1"},
      {10, "10"},
      {3.0000000000000002e-300, "3e-300"},
      {0, "0"},
      {1, "1"},
      {-1, "-1"},
      {12.5, "12.5"},
  };
  for (const auto& [x, label] : r) EXPECT_EQ(sirtkit::pipelines::r_number_label(x), label) << x;
}

}  // namespace
