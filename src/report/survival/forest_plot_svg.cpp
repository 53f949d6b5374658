#include "report/survival/forest_plot_svg.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "report/survival/km_plot_svg.h"
#include "report/svg.h"

namespace sirtkit::report {
namespace {

// Axis limits and ticks come from the 1-2-5 sequence; the axis never spans
// beyond 0.01..100, where wider intervals are clipped and shown with an arrow.
constexpr double kAxisMin = 0.01, kAxisMax = 100;

std::vector<double> one_two_five() {
  std::vector<double> v;
  for (int e = -2; e <= 2; ++e)
    for (double m : {1.0, 2.0, 5.0}) v.push_back(m * std::pow(10.0, e));
  v.erase(std::remove_if(v.begin(), v.end(), [](double t) { return t > kAxisMax * (1 + 1e-9); }), v.end());
  return v;
}

bool drawable(const ForestRow& r) {
  return r.kind != ForestRow::Kind::heading && r.estimable && std::isfinite(r.hr) && r.hr > 0;
}

std::string hr_text(const ForestRow& r) {
  auto num = [](double v) { return std::isfinite(v) ? fmt::format("{:.2f}", v) : std::string("NA"); };
  return fmt::format("{} ({}\u2013{})", num(r.hr), num(r.lower), num(r.upper));
}

std::string p_text(double p) {
  if (std::isnan(p)) return "";
  if (p < 0.001) return "&lt;0.001";  // SVG text: the < must be escaped
  return fmt::format("{:.3f}", p);
}

}  // namespace

ForestAxis forest_axis(const std::vector<ForestRow>& rows) {
  double lo = 0.5, hi = 2;  // at least one labelled step either side of 1
  for (const auto& r : rows) {
    if (!drawable(r)) continue;
    for (double v : {r.hr, r.lower, r.upper})
      if (std::isfinite(v) && v > 0) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
  }
  lo = std::max(lo, kAxisMin);
  hi = std::min(hi, kAxisMax);
  ForestAxis a;
  const auto steps = one_two_five();
  a.low = steps.front();
  for (double t : steps)
    if (t <= lo * (1 + 1e-9)) a.low = t;
  a.high = steps.back();
  for (auto it = steps.rbegin(); it != steps.rend(); ++it)
    if (*it >= hi * (1 - 1e-9)) a.high = *it;
  // Over more than two decades, label only the powers of ten and 5s would crowd the axis.
  const bool wide = a.high / a.low > 200;
  for (double t : steps)
    if (t >= a.low * (1 - 1e-9) && t <= a.high * (1 + 1e-9)) {
      const double m = t / std::pow(10.0, std::floor(std::log10(t) + 1e-9));
      if (!wide || std::fabs(m - 1) < 1e-9) a.ticks.push_back(t);
    }
  return a;
}

namespace {

// A number as the JSON gives it: NaN (not drawn, "NA") where the JSON has null (NaN, Inf).
double shown(double v) { return std::isfinite(v) ? v : std::nan(""); }

}  // namespace

ForestRow forest_row(const stats::SubgroupEffect& e, const std::string& label, ForestRow::Kind kind) {
  ForestRow r;
  r.kind = kind;
  r.label = label;
  r.n = e.n;
  r.events = e.events;
  r.estimable = e.estimable;
  if (e.estimable) {
    r.hr = shown(e.hr);
    r.lower = shown(e.hr_lower);
    r.upper = shown(e.hr_upper);
    r.p = shown(e.p_value);
  }
  return r;
}

std::vector<ForestRow> forest_rows(const stats::SubgroupAnalysis& a, const std::string& factor,
                                   const std::vector<std::string>& level_labels) {
  std::vector<ForestRow> rows;
  ForestRow heading;
  heading.kind = ForestRow::Kind::heading;
  heading.label = factor;
  heading.p = a.interaction_df > 0 ? shown(a.interaction_p) : std::nan("");
  rows.push_back(heading);
  for (std::size_t l = 0; l < a.levels.size(); ++l)
    rows.push_back(forest_row(a.levels[l], l < level_labels.size() ? level_labels[l] : std::to_string(l)));
  return rows;
}

std::vector<ForestRow> forest_rows(const stats::CoxFit& fit, const std::vector<std::string>& terms) {
  std::vector<ForestRow> rows;
  for (int k = 0; k < fit.p; ++k) {
    ForestRow r;
    r.label = k < static_cast<int>(terms.size()) ? terms[k] : fmt::format("term {}", k + 1);
    r.estimable = !fit.aliased[k] && std::isfinite(fit.hr(k));
    if (r.estimable) {
      r.hr = fit.hr(k);
      r.lower = fit.hr_lower(k);
      r.upper = fit.hr_upper(k);
      r.p = fit.p_value(k);
    }
    rows.push_back(r);
  }
  return rows;
}

std::string forest_plot_svg(const std::vector<ForestRow>& rows, const ForestPlotOptions& o) {
  const ForestAxis axis = forest_axis(rows);
  std::size_t longest = 8;  // "Subgroup"
  for (const auto& r : rows) longest = std::max(longest, r.label.size() + (r.kind == ForestRow::Kind::estimate ? 2 : 0));
  const bool counts = std::any_of(rows.begin(), rows.end(), [](const ForestRow& r) { return r.n.has_value(); });
  // Columns: label | n | events | plot | HR (CI) | p.
  const double label_w = 16 + 7.0 * static_cast<double>(longest);
  const double n_right = label_w + (counts ? 48 : 0), ev_right = n_right + (counts ? 56 : 0);
  const double text_w = 150, p_w = 64;
  const double plot_left = ev_right + 24, plot_right = o.width - text_w - p_w - 12;
  const double hr_x = plot_right + 16, p_right = o.width - 12;
  const double top = (o.title.empty() ? 12 : 34) + 24, row_h = 22;
  const double plot_bottom = top + row_h * static_cast<double>(rows.size());
  const double height = plot_bottom + (o.favours_left.empty() && o.favours_right.empty() ? 48 : 64);
  auto x = [&](double hr) {
    const double c = std::clamp(hr, axis.low, axis.high);
    return plot_left + (plot_right - plot_left) * std::log(c / axis.low) / std::log(axis.high / axis.low);
  };
  auto row_y = [&](std::size_t i) { return top + row_h * (static_cast<double>(i) + 0.5); };

  std::string s = svg_open(o.width, height);
  s += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"white\"/>\n", o.width, height);
  if (!o.title.empty())
    s += fmt::format("<text x=\"{:.1f}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{}</text>\n", o.width / 2,
                     escape_xml(o.title));
  const double head_y = top - 8;
  s += fmt::format("<g font-weight=\"bold\"><text x=\"8\" y=\"{0:.1f}\">{1}</text>", head_y, counts ? "Subgroup" : "Term");
  if (counts)
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">n</text><text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">Events</text>",
                     n_right, head_y, ev_right, head_y);
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{} ({:g}% CI)</text><text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">p</text></g>\n",
                   hr_x, head_y, o.effect_label == "Hazard ratio" ? "HR" : escape_xml(o.effect_label), o.conf_level * 100, p_right, head_y);

  // Alternate row shading helps reading across the wide gap between label and estimate.
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (i % 2 == 0)
      s += fmt::format("<rect x=\"4\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"#f4f5f8\"/>", top + row_h * static_cast<double>(i),
                       o.width - 8, row_h);
  s += "\n";
  for (double t : axis.ticks) {
    s += fmt::format("<line x1=\"{0:.2f}\" y1=\"{1:.1f}\" x2=\"{0:.2f}\" y2=\"{2:.1f}\" stroke=\"#333\"/>", x(t), plot_bottom, plot_bottom + 5);
    s += fmt::format("<text class=\"forest-xtick\" data-value=\"{}\" x=\"{:.2f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", t, x(t),
                     plot_bottom + 18, tick_label(t));
  }
  s += fmt::format("<line x1=\"{:.2f}\" y1=\"{:.1f}\" x2=\"{:.2f}\" y2=\"{:.1f}\" stroke=\"#333\"/>\n", x(axis.low), plot_bottom, x(axis.high),
                   plot_bottom);
  s += fmt::format("<text x=\"{:.2f}\" y=\"{:.1f}\" text-anchor=\"middle\">{} (log scale)</text>\n", (plot_left + plot_right) / 2,
                   plot_bottom + 36, escape_xml(o.effect_label));
  if (!o.favours_left.empty())
    s += fmt::format("<text x=\"{:.2f}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"11\">\u2190 {}</text>\n", x(1) - 6, plot_bottom + 54,
                     escape_xml(o.favours_left));
  if (!o.favours_right.empty())
    s += fmt::format("<text x=\"{:.2f}\" y=\"{:.1f}\" font-size=\"11\">{} \u2192</text>\n", x(1) + 6, plot_bottom + 54,
                     escape_xml(o.favours_right));
  s += fmt::format("<line class=\"forest-reference\" data-value=\"1\" x1=\"{0:.2f}\" y1=\"{1:.1f}\" x2=\"{0:.2f}\" y2=\"{2:.1f}\" stroke=\"#555\"/>\n",
                   x(1), top, plot_bottom);

  double max_events = 1;
  for (const auto& r : rows)
    if (r.kind == ForestRow::Kind::estimate && r.events) max_events = std::max(max_events, static_cast<double>(*r.events));

  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const double y = row_y(i), ty = y + 4;
    const bool heading = r.kind == ForestRow::Kind::heading;
    const double indent = r.kind == ForestRow::Kind::estimate && counts ? 22 : 8;
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\"{}>{}</text>", indent, ty,
                     heading || r.kind == ForestRow::Kind::overall ? " font-weight=\"bold\"" : "", escape_xml(r.label));
    if (r.n) s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", n_right, ty, *r.n);
    if (r.events) s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", ev_right, ty, *r.events);
    if (heading) {
      if (!std::isnan(r.p))
        s += fmt::format("<text class=\"forest-interaction\" data-p=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" font-style=\"italic\">interaction {}</text>",
                         r.p, hr_x, ty, plot_p_value(r.p));
      s += "\n";
      continue;
    }
    if (!drawable(r)) {
      s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#777\">not estimable</text>\n", hr_x, ty);
      continue;
    }
    const std::string colour = r.kind == ForestRow::Kind::overall ? "#222" : "#1f4e9c";
    const double lo = std::isfinite(r.lower) ? r.lower : axis.low, up = std::isfinite(r.upper) ? r.upper : axis.high;
    const std::string data = fmt::format("data-label=\"{}\" data-hr=\"{}\" data-lower=\"{}\" data-upper=\"{}\"", escape_xml(r.label), r.hr, r.lower, r.upper);
    if (r.kind == ForestRow::Kind::overall) {
      s += fmt::format("<path class=\"forest-diamond\" {} d=\"M{:.2f} {:.2f} L{:.2f} {:.2f} L{:.2f} {:.2f} L{:.2f} {:.2f} Z\" fill=\"{}\"/>", data,
                       x(lo), y, x(r.hr), y - 7, x(up), y, x(r.hr), y + 7, colour);
    } else {
      s += fmt::format("<line class=\"forest-ci\" {} x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"{}\" stroke-width=\"1.5\"/>", data,
                       x(lo), y, x(up), y, colour);
      // Arrows where the interval runs off the axis.
      if (lo < axis.low || !std::isfinite(r.lower))
        s += fmt::format("<path d=\"M{0:.2f} {1:.2f} l6 -4 v8 Z\" fill=\"{2}\"/>", x(axis.low), y, colour);
      if (up > axis.high || !std::isfinite(r.upper))
        s += fmt::format("<path d=\"M{0:.2f} {1:.2f} l-6 -4 v8 Z\" fill=\"{2}\"/>", x(axis.high), y, colour);
      // Square area grows with the events, as the information behind the estimate does.
      const double side = 5 + 7 * std::sqrt((r.events ? static_cast<double>(*r.events) : max_events) / max_events);
      s += fmt::format("<rect class=\"forest-point\" {} x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\"/>", data,
                       x(r.hr) - side / 2, y - side / 2, side, side, colour);
    }
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text><text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", hr_x, ty,
                     hr_text(r), p_right, ty, p_text(r.p));
  }
  s += "</svg>\n";
  return s;
}

}  // namespace sirtkit::report
