// The DVH chart writes every VOI name in full: a long name widens the legend
// column and the picture instead of being cut.
#include "report/planning/dvh_svg.h"

#include <gtest/gtest.h>

#include <regex>

namespace sirtkit::report {
namespace {

dosimetry::VoiResult voi(const std::string& name) {
  dosimetry::VoiResult v;
  v.name = name;
  v.dvh = {{0, 100}, {50, 60}, {100, 0}};
  return v;
}

int svg_width(const std::string& svg) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex("<svg[^>]* width=\"([0-9]+)\"")));
  return std::stoi(m[1]);
}

}  // namespace

TEST(DvhSvg, LongNamesAreWrittenWholeAndWidenThePicture) {
  const std::string name = "perfused normal liver: right lobar (segments 5-8)";
  const std::string short_svg = dvh_svg({voi("liver")}, {205});
  const std::string long_svg = dvh_svg({voi("liver"), voi(name)}, {205});
  EXPECT_EQ(svg_width(short_svg), 760);
  EXPECT_NE(long_svg.find(">" + name + "<"), std::string::npos);
  EXPECT_GE(svg_width(long_svg), 760 - 210 + 50 + 7 * static_cast<int>(name.size()));
}

}  // namespace sirtkit::report
