#include "report/survival/km_plot_svg.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "report/svg.h"

namespace sirtkit::report {
namespace {

double axis_end(const std::vector<KmPlotCurve>& curves, const KmPlotOptions& o) {
  if (o.max_time > 0) return o.max_time;
  double end = 0;
  for (const auto& c : curves)
    if (c.curve.size() > 0) end = std::max(end, c.curve.time.back());
  return end > 0 ? end : 1;
}

// Panel geometry: data -> SVG coordinates.
struct Frame {
  double left, top, width, height, t_end;
  double x(double t) const { return left + width * std::min(t, t_end) / t_end; }
  double y(double s) const { return top + height * (1 - s); }
};

// The survival step function as an SVG path: horizontal to each event time,
// then down to the new S; it ends at the last observed time (or the axis end).
std::string step_path(const stats::KmCurve& c, const Frame& f) {
  std::string d = fmt::format("M{:.2f} {:.2f}", f.x(0), f.y(1));
  for (std::size_t i = 0; i < c.size() && c.time[i] <= f.t_end; ++i)
    if (c.n_event[i] > 0) d += fmt::format(" H{:.2f} V{:.2f}", f.x(c.time[i]), f.y(c.surv[i]));
  if (c.size() > 0) d += fmt::format(" H{:.2f}", f.x(c.time.back()));
  return d;
}

// The pointwise confidence band as a closed step polygon. The band stops where
// the interval becomes NA (S = 0 on the log scales), as R's plot does.
std::string band_path(const stats::KmCurve& c, const Frame& f) {
  struct Knot { double t, lo, up; };
  std::vector<Knot> knots{{0, 1, 1}};
  double end = c.size() > 0 ? std::min(c.time.back(), f.t_end) : 0;
  for (std::size_t i = 0; i < c.size() && c.time[i] <= f.t_end; ++i) {
    if (c.n_event[i] == 0) continue;
    if (!std::isfinite(c.lower[i]) || !std::isfinite(c.upper[i])) {
      end = c.time[i];
      break;
    }
    knots.push_back({c.time[i], c.lower[i], c.upper[i]});
  }
  std::string d = fmt::format("M{:.2f} {:.2f}", f.x(0), f.y(1));
  for (std::size_t k = 1; k < knots.size(); ++k) d += fmt::format(" H{:.2f} V{:.2f}", f.x(knots[k].t), f.y(knots[k].up));
  d += fmt::format(" H{:.2f} V{:.2f}", f.x(end), f.y(knots.back().lo));
  for (std::size_t k = knots.size() - 1; k >= 1; --k) d += fmt::format(" H{:.2f} V{:.2f}", f.x(knots[k].t), f.y(knots[k - 1].lo));
  return d + " Z";
}

}  // namespace

std::string plot_p_value(double p) {
  if (std::isnan(p)) return "p = NA";
  if (p < 1e-4) return "p < 0.0001";
  return fmt::format("p = {:.4f}", p);
}

std::vector<double> km_time_ticks(const std::vector<KmPlotCurve>& curves, const KmPlotOptions& o) {
  return ticks_up_to(axis_end(curves, o), 6);
}

std::string km_plot_svg(const std::vector<KmPlotCurve>& curves, const KmPlotOptions& o) {
  const auto ticks = km_time_ticks(curves, o);
  const auto risk_times = o.risk_times.empty() ? ticks : o.risk_times;
  std::size_t longest_label = 14;  // "Number at risk"
  for (const auto& c : curves) longest_label = std::max(longest_label, c.label.size());
  // The risk-table labels sit in the left margin, so it widens with them (~7.2 px a character at
  // 12 px), leaving room for half of the first column's count, which is centred on time 0.
  const double left = std::max(72.0, 8 + 7.2 * static_cast<double>(longest_label) + 30);
  const double top = (o.title.empty() ? 14 : 36) + 22;  // title, then the legend line
  const Frame f{left, top, o.width - left - 28, o.plot_height, axis_end(curves, o)};
  const double table_top = f.top + f.height + 62;
  const double row_h = 18;
  const double height = table_top + 8 + row_h * static_cast<double>(curves.size()) + 12;

  std::string s = svg_open(o.width, height);
  s += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"white\"/>\n", o.width, height);
  if (!o.title.empty())
    s += fmt::format("<text x=\"{:.1f}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{}</text>\n", o.width / 2,
                     escape_xml(o.title));

  // Axes: y from 0 to 1 in steps of 0.2, x at the time ticks; light grid lines.
  for (int k = 0; k <= 5; ++k) {
    const double v = k * 0.2;
    s += fmt::format("<line class=\"km-ygrid\" data-value=\"{:.1f}\" x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"#ececf0\"/>",
                     v, f.left, f.y(v), f.left + f.width, f.y(v));
    s += fmt::format("<text class=\"km-ytick\" x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"end\" data-value=\"{:.1f}\">{:.1f}</text>\n",
                     f.left - 7, f.y(v) + 4, v, v);
  }
  for (double t : ticks) {
    s += fmt::format("<line class=\"km-xtickline\" data-time=\"{3}\" x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"#333\"/>",
                     f.x(t), f.top + f.height, f.top + f.height + 5, t);
    s += fmt::format("<text class=\"km-xtick\" x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\" data-time=\"{}\">{}</text>\n", f.x(t),
                     f.top + f.height + 19, t, tick_label(t));
  }
  s += fmt::format("<path d=\"M{0:.2f} {1:.2f} V{2:.2f} H{3:.2f}\" fill=\"none\" stroke=\"#333\"/>\n", f.left, f.top, f.top + f.height,
                   f.left + f.width);
  s += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\">{}</text>\n", f.left + f.width / 2, f.top + f.height + 38,
                   escape_xml(o.time_label));
  s += fmt::format("<text transform=\"translate({:.2f} {:.2f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n", f.left - 44, f.top + f.height / 2,
                   escape_xml(o.survival_label));

  for (std::size_t g = 0; g < curves.size(); ++g) {
    const auto& c = curves[g].curve;
    const std::string label = escape_xml(curves[g].label);
    const char* colour = palette_colour(g);
    s += fmt::format("<g data-group=\"{}\">\n", label);
    if (o.confidence_bands && c.size() > 0)
      s += fmt::format("<path class=\"km-ci\" d=\"{}\" fill=\"{}\" fill-opacity=\"0.15\" stroke=\"none\"/>\n", band_path(c, f), colour);
    s += fmt::format("<path class=\"km-curve\" data-group=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", label,
                     step_path(c, f), colour);
    // One + per distinct censoring time (as R's plot.survfit marks them); data-n counts the subjects.
    for (std::size_t i = 0; i < c.size() && c.time[i] <= f.t_end; ++i) {
      if (c.n_censor[i] == 0) continue;
      const double x = f.x(c.time[i]), y = f.y(c.surv[i]);
      s += fmt::format(
          "<path class=\"km-censor\" data-group=\"{}\" data-time=\"{}\" data-n=\"{}\" d=\"M{:.2f} {:.2f} H{:.2f} M{:.2f} {:.2f} V{:.2f}\" "
          "stroke=\"{}\" stroke-width=\"1.5\"/>\n",
          label, c.time[i], c.n_censor[i], x - 4, y, x + 4, x, y - 4, y + 4, colour);
    }
    if (o.median_lines) {
      const double m = stats::km_median(c).estimate;
      if (std::isfinite(m) && m <= f.t_end)
        s += fmt::format(
            "<path class=\"km-median\" data-group=\"{}\" data-median=\"{}\" d=\"M{:.2f} {:.2f} H{:.2f} V{:.2f}\" fill=\"none\" "
            "stroke=\"{}\" stroke-dasharray=\"4 3\"/>\n",
            label, m, f.x(0), f.y(0.5), f.x(m), f.y(0), colour);
    }
    s += "</g>\n";
  }

  // Legend above the panel, one entry after the other.
  double lx = f.left;
  for (std::size_t g = 0; g < curves.size(); ++g) {
    const double ly = f.top - 14;
    s += fmt::format("<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"{}\" stroke-width=\"3\"/>", lx, ly, lx + 22, ly,
                     palette_colour(g));
    s += fmt::format("<text class=\"km-legend\" x=\"{:.2f}\" y=\"{:.2f}\">{}</text>\n", lx + 27, ly + 4, escape_xml(curves[g].label));
    lx += 27 + 7.0 * static_cast<double>(curves[g].label.size()) + 24;
  }
  // Top right, where falling curves leave room; a white halo keeps it legible over bands and lines.
  if (o.test_p)
    s += fmt::format(
        "<text class=\"km-test\" x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"end\" stroke=\"white\" stroke-width=\"4\" "
        "paint-order=\"stroke\">{} {}</text>\n",
        f.left + f.width - 8, f.top + 18, escape_xml(o.test_name), plot_p_value(*o.test_p));

  // Number at risk: one row per curve, one column per risk time, in the curve's colour.
  // With case weights the table gives the summed weights (one decimal), as R's survfit n.risk does.
  const bool weighted = std::any_of(curves.begin(), curves.end(), [](const KmPlotCurve& c) { return !c.curve.weighted_n_risk.empty(); });
  s += fmt::format("<text x=\"8\" y=\"{:.2f}\" font-weight=\"bold\">{}</text>\n", table_top,
                   weighted ? "Number at risk (sum of case weights)" : "Number at risk");
  for (std::size_t g = 0; g < curves.size(); ++g) {
    const double ry = table_top + row_h * static_cast<double>(g + 1);
    const std::string label = escape_xml(curves[g].label);
    s += fmt::format("<text x=\"8\" y=\"{:.2f}\" fill=\"{}\">{}</text>", ry, palette_colour(g), label);
    const auto n_risk = stats::km_number_at_risk(curves[g].curve, risk_times);
    const auto weighted_n_risk = stats::km_weighted_number_at_risk(curves[g].curve, risk_times);
    for (std::size_t k = 0; k < risk_times.size(); ++k) {
      if (risk_times[k] > f.t_end * (1 + 1e-9)) continue;
      const std::string count = weighted_n_risk.empty() ? std::to_string(n_risk[k]) : fmt::format("{:.1f}", weighted_n_risk[k]);
      s += fmt::format("<text class=\"km-risk\" data-group=\"{}\" data-time=\"{}\" x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\">{}</text>",
                       label, risk_times[k], f.x(risk_times[k]), ry, count);
    }
    s += "\n";
  }
  s += "</svg>\n";
  return s;
}

}  // namespace sirtkit::report
