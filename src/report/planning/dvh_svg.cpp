#include "report/planning/dvh_svg.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "report/svg.h"

namespace sirtkit::report {

std::string dvh_svg(const std::vector<dosimetry::VoiResult>& vois, const std::vector<double>& reference_gy, int width, int height) {
  const double left = 60, top = 20, bottom = 50;
  const double pw = width - left - 210, ph = height - top - bottom;
  // Legend labels are never cut: the legend column widens to the longest VOI
  // name (about 7 px a character at 12 px), and the picture with it.
  std::size_t longest = 0;
  for (const auto& v : vois) longest = std::max(longest, v.name.size());
  const double right = std::max(210.0, 50.0 + 7.0 * static_cast<double>(longest));
  width = static_cast<int>(left + pw + right);
  double max_dose = 1;
  for (const auto& v : vois)
    if (!v.dvh.empty()) max_dose = std::max(max_dose, v.dvh.back().dose_gy);
  for (double r : reference_gy) max_dose = std::max(max_dose, r * 1.05);
  const double step = nice_step(max_dose, 8);
  max_dose = std::ceil(max_dose / step) * step;
  auto x = [&](double d) { return left + pw * d / max_dose; };
  auto y = [&](double v) { return top + ph * (1 - v / 100.0); };

  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" font-family=\"sans-serif\" font-size=\"12\">\n",
      width, height, width, height);
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fbfbfd\" stroke=\"#999\"/>\n", left, top, pw, ph);
  for (double d = 0; d <= max_dose + 1e-9; d += step) {
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#e3e3e8\"/>", x(d), top, top + ph);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x(d), top + ph + 16, d);
  }
  for (int v = 0; v <= 100; v += 20) {
    s += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#e3e3e8\"/>", left, y(v), left + pw, y(v));
    s += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", left - 6, y(v) + 4, v);
  }
  s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">absorbed dose (Gy)</text>\n", left + pw / 2, height - 10);
  s += fmt::format("<text transform=\"translate(16 {:.1f}) rotate(-90)\" text-anchor=\"middle\">volume (%)</text>\n", top + ph / 2);
  for (double r : reference_gy) {
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#444\" stroke-dasharray=\"5 4\"/>", x(r), top, top + ph);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\">{} Gy</text>\n", x(r) + 3, top + 12, r);
  }
  int n = 0;
  for (const auto& v : vois) {
    if (v.dvh.empty()) continue;
    const char* colour = palette_colour(n);
    std::string points;
    for (const auto& p : v.dvh) points += fmt::format("{:.1f},{:.1f} ", x(p.dose_gy), y(p.volume_percent));
    s += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"><title>{}</title></polyline>\n", colour,
                     points, escape_xml(v.name));
    const double ly = top + 10 + 18 * n;
    s += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"{3}\" stroke-width=\"3\"/>", left + pw + 12, ly,
                     left + pw + 32, colour);
    s += fmt::format("<text x=\"{}\" y=\"{:.1f}\">{}</text>\n", left + pw + 38, ly + 4, escape_xml(v.name));
    ++n;
  }
  s += "</svg>\n";
  return s;
}

}  // namespace sirtkit::report
