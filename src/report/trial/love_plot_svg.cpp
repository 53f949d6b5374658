#include "report/trial/love_plot_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/svg.h"

namespace sirtkit::report {

std::string love_plot_svg(const std::vector<LovePlotRow>& rows, const LovePlotOptions& o) {
  const double left = 190, right = 40, top = 56, row_h = 22, bottom = 64;
  const double width = 720, plot_w = width - left - right;
  const double height = top + row_h * static_cast<double>(std::max<std::size_t>(rows.size(), 1)) + bottom;
  double max_smd = o.threshold;
  for (const auto& r : rows)
    for (double v : {r.smd_before, r.smd_after})
      if (std::isfinite(v)) max_smd = std::max(max_smd, std::fabs(v));
  const auto ticks = ticks_up_to(max_smd * 1.05, 5);
  const double axis_max = std::max(ticks.back() < max_smd ? ticks.back() + nice_step(max_smd, 5) : ticks.back(), max_smd);
  auto x_of = [&](double v) { return left + plot_w * v / axis_max; };
  std::string s = svg_open(width, height);
  s += fmt::format("<text x=\"{:.1f}\" y=\"24\" font-size=\"15\" font-weight=\"bold\">{}</text>\n", left, escape_xml(o.title));
  const double y_axis = top + row_h * static_cast<double>(rows.size());
  s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#000\"/>\n", left, y_axis, left + plot_w);
  for (double t : ticks) {
    if (t > axis_max * (1 + 1e-9)) continue;
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>\n", x_of(t), top, y_axis);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\n", x_of(t), y_axis + 16,
                     tick_label(t));
  }
  s += fmt::format(
      "<line class=\"love-threshold\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#888\" "
      "stroke-dasharray=\"4 3\"/>\n",
      x_of(o.threshold), top - 6, y_axis);
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"middle\">Absolute standardised mean difference</text>\n",
                   left + plot_w / 2, y_axis + 36);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const double y = top + row_h * (static_cast<double>(i) + 0.5);
    s += fmt::format("<text class=\"love-term\" x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"end\">{}</text>\n", left - 8, y + 4,
                     escape_xml(r.term));
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#f0f0f0\"/>\n", left, y, left + plot_w);
    if (std::isfinite(r.smd_before))
      s += fmt::format(
          "<circle class=\"love-before\" data-term=\"{}\" data-smd=\"{:.6g}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4.5\" fill=\"none\" "
          "stroke=\"{}\" stroke-width=\"1.5\"/>\n",
          escape_xml(r.term), r.smd_before, x_of(std::fabs(r.smd_before)), y, palette_colour(0));
    if (std::isfinite(r.smd_after))
      s += fmt::format("<circle class=\"love-after\" data-term=\"{}\" data-smd=\"{:.6g}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\" fill=\"{}\"/>\n",
                       escape_xml(r.term), r.smd_after, x_of(std::fabs(r.smd_after)), y, palette_colour(1));
  }
  const double ly = height - 14;
  s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4.5\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"/>\n", left, ly - 4,
                   palette_colour(0));
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"12\">All</text>\n", left + 10, ly);
  s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\" fill=\"{}\"/>\n", left + 60, ly - 4, palette_colour(1));
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"12\">{}</text>\n", left + 70, ly, escape_xml(o.after_label));
  s += "</svg>\n";
  return s;
}

}  // namespace sirtkit::report
