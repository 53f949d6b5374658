#include "report/planning/dose_slice_svg.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>

#include "report/planning/dvh_svg.h"

namespace sirtkit::report {
namespace {

// A perceptually ordered colour map (dark blue → cyan → yellow → red), t in [0, 1].
std::array<int, 3> colour(double t) {
  static const std::array<std::array<double, 3>, 5> stops{{{0.05, 0.10, 0.55}, {0.0, 0.60, 0.90}, {0.30, 0.85, 0.40}, {0.98, 0.85, 0.10}, {0.85, 0.10, 0.05}}};
  t = std::clamp(t, 0.0, 1.0) * (stops.size() - 1);
  const std::size_t i = std::min<std::size_t>(static_cast<std::size_t>(t), stops.size() - 2);
  const double f = t - i;
  std::array<int, 3> c{};
  for (int a = 0; a < 3; ++a) c[a] = static_cast<int>(255 * (stops[i][a] + f * (stops[i + 1][a] - stops[i][a])));
  return c;
}

}  // namespace

std::string axial_dose_svg(const image::Volume<float>& anatomy, const image::Volume<float>& dose, int k, double max_gy,
                           double floor_gy, const std::string& title) {
  const auto& g = dose.grid;
  const double sx = g.spacing_mm[0], sy = g.spacing_mm[1];
  const double scale = 480.0 / std::max(g.size[0] * sx, g.size[1] * sy);
  const double px = sx * scale, py = sy * scale;
  const double w = g.size[0] * px, h = g.size[1] * py;
  float anatomy_max = 0;
  for (int j = 0; j < g.size[1]; ++j)
    for (int i = 0; i < g.size[0]; ++i) anatomy_max = std::max(anatomy_max, anatomy.at(i, j, k));
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<text x=\"0\" y=\"14\">{}</text>\n<g transform=\"translate(0 22)\" shape-rendering=\"crispEdges\">\n"
      "<rect width=\"{:.1f}\" height=\"{:.1f}\" fill=\"black\"/>\n",
      w + 90, h + 30, escape_xml(title), w, h);
  // LPS: +x is patient left, so the image index i runs left to right as seen from the feet.
  for (int j = 0; j < g.size[1]; ++j)
    for (int i = 0; i < g.size[0]; ++i) {
      const double d = dose.at(i, j, k);
      const double a = anatomy_max > 0 ? anatomy.at(i, j, k) / anatomy_max : 0;
      std::string fill;
      if (d >= floor_gy) {
        const auto c = colour(d / max_gy);
        fill = fmt::format("rgb({},{},{})", c[0], c[1], c[2]);
      } else if (a > 0.02) {
        const int grey = static_cast<int>(40 + 150 * std::min(1.0, a));
        fill = fmt::format("rgb({0},{0},{0})", grey);
      } else {
        continue;
      }
      s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\"/>", i * px, j * py, px + 0.05,
                       py + 0.05, fill);
    }
  s += "\n";
  // Colour bar.
  for (int b = 0; b < 50; ++b) {
    const auto c = colour(1.0 - b / 49.0);
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"14\" height=\"{:.2f}\" fill=\"rgb({},{},{})\"/>", w + 12, b * h / 50, h / 50 + 0.5,
                     c[0], c[1], c[2]);
  }
  s += fmt::format("<text x=\"{:.1f}\" y=\"10\">{:.0f} Gy</text><text x=\"{:.1f}\" y=\"{:.1f}\">{:.0f} Gy</text>", w + 30, max_gy, w + 30, h,
                   floor_gy);
  s += fmt::format("<text x=\"4\" y=\"{:.1f}\" fill=\"white\">R</text><text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"white\">L</text>", h - 6,
                   w - 12, h - 6);
  s += "</g></svg>\n";
  return s;
}

}  // namespace sirtkit::report
