// The love plot (report/trial/love_plot_svg.h): one open and one filled point per
// term at |SMD| on a shared axis, nothing drawn for an undefined SMD, the 0.1
// threshold line, and term names escaped.

#include "report/trial/love_plot_svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <string>

namespace sirtkit::report {
namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

double cx_of(const std::string& svg, const std::string& cls, const std::string& term) {
  const std::regex re("class=\"" + cls + "\" data-term=\"" + term + "\" data-smd=\"[^\"]*\" cx=\"([0-9.]+)\"");
  std::smatch m;
  if (!std::regex_search(svg, m, re)) return NAN;
  return std::stod(m[1]);
}

TEST(LovePlotSvg, PointsAtAbsoluteSmdOnOneAxis) {
  const std::vector<LovePlotRow> rows{{"age", -0.6, 0.05}, {"bclcC", 0.3, -0.15}, {"albi", NAN, 0.0}, {"a<b", 0.1, 0.1}};
  const std::string svg = love_plot_svg(rows);
  EXPECT_EQ(count(svg, "class=\"love-before\""), 3u);  // albi's before is undefined
  EXPECT_EQ(count(svg, "class=\"love-after\""), 4u);
  EXPECT_EQ(count(svg, "class=\"love-threshold\""), 1u);
  EXPECT_NE(svg.find("a&lt;b"), std::string::npos);
  EXPECT_EQ(svg.find("a<b"), std::string::npos);
  // x is linear in |SMD| from a common origin: (x(0.6) - x(0)) = 2 (x(0.3) - x(0)); signs do not matter.
  const double x0 = cx_of(svg, "love-after", "albi");
  const double x06 = cx_of(svg, "love-before", "age"), x03 = cx_of(svg, "love-before", "bclcC");
  const double x015 = cx_of(svg, "love-after", "bclcC");
  EXPECT_NEAR(x06 - x0, 2 * (x03 - x0), 0.15);
  EXPECT_NEAR(x03 - x0, 2 * (x015 - x0), 0.15);
  EXPECT_GT(x06, x03);
}

}  // namespace
}  // namespace sirtkit::report
