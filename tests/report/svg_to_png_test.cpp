// SVG -> PNG through librsvg + cairo: a real PNG (signature, IHDR) at the
// SVG's own size or the requested width with the aspect ratio kept; SVG that
// cannot be parsed is an error, not an empty image.

#include "report/svg_to_png.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "report/survival/km_plot_svg.h"
#include "svg_parse.h"

namespace sirtkit::report {
namespace {

using testing::has_png_signature;
using testing::png_size;

const char* kSquare =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\">"
    "<rect x=\"10\" y=\"10\" width=\"50\" height=\"50\" fill=\"red\"/><text x=\"70\" y=\"40\">PNG</text></svg>";

TEST(SvgToPng, KeepsTheSvgSize) {
  const std::string png = svg_to_png(kSquare);
  ASSERT_TRUE(has_png_signature(png));
  EXPECT_EQ(png_size(png), (std::pair<std::uint32_t, std::uint32_t>{200, 100}));
}

TEST(SvgToPng, ScalesToTheRequestedWidth) {
  const std::string png = svg_to_png(kSquare, 500);
  ASSERT_TRUE(has_png_signature(png));
  EXPECT_EQ(png_size(png), (std::pair<std::uint32_t, std::uint32_t>{500, 250}));
}

TEST(SvgToPng, RendersAKaplanMeierPlot) {
  stats::KmCurve c = stats::kaplan_meier(std::vector<double>{1, 2, 3, 4, 5}, std::vector<int>{1, 0, 1, 1, 0});
  const std::string svg = km_plot_svg({{"all", c}}, {.width = 600});
  const auto h = std::stod(svg.substr(svg.find("height=\"") + 8));
  const std::string png = svg_to_png(svg, 1200);
  ASSERT_TRUE(has_png_signature(png));
  const auto [w, ph] = png_size(png);
  EXPECT_EQ(w, 1200u);
  EXPECT_EQ(ph, static_cast<std::uint32_t>(std::lround(h * 2)));
}

TEST(SvgToPng, UnparsableSvgIsAnError) {
  EXPECT_THROW(svg_to_png("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\""), Error);
  EXPECT_THROW(svg_to_png("not svg at all"), Error);
}

}  // namespace
}  // namespace sirtkit::report
