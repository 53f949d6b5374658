#include "report/survival/survival_plots.h"

#include <cmath>
#include <limits>

#include "report/number_output.h"
#include "report/survival/forest_plot_svg.h"
#include "report/survival/km_plot_svg.h"
#include "report/svg_to_png.h"

namespace sirtkit::report {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// A number as the JSON gives it: NaN where the JSON has null (NaN, Inf).
double shown(double v) { return std::isfinite(v) ? v : nan; }

// The curve as the plot draws it: its counts, times, survival and limits,
// values that are not finite as NaN. A weighted curve keeps its unweighted
// counts (a step wherever an event happened, a mark wherever a censoring did)
// and its weighted numbers at risk for the risk table.
stats::KmCurve plot_curve(const stats::KmCurve& c) {
  stats::KmCurve k;
  k.n = c.n;
  k.events = c.events;
  k.weighted_n_risk = c.weighted_n_risk;
  for (std::size_t i = 0; i < c.size(); ++i) {
    k.time.push_back(c.time[i]);
    k.n_risk.push_back(c.n_risk[i]);
    k.n_event.push_back(c.n_event[i]);
    k.n_censor.push_back(c.n_censor[i]);
    const double s = shown(c.surv[i]);
    k.surv.push_back(s);
    k.se_log_surv.push_back(s > 0 ? shown(c.std_err(i)) / s : std::numeric_limits<double>::infinity());
    k.lower.push_back(shown(c.lower[i]));
    k.upper.push_back(shown(c.upper[i]));
  }
  return k;
}

// The curves drawn: the groups, or the first ("all") without groups.
std::vector<KmPlotCurve> plotted_curves(const KmAnalysis& km) {
  std::vector<KmPlotCurve> curves;
  const std::size_t first = km.curves.size() > 1 ? 1 : 0;
  for (std::size_t c = first; c < km.curves.size(); ++c) curves.push_back({km.curves[c].label, plot_curve(km.curves[c].curve)});
  return curves;
}

}  // namespace

OutputFiles svg_and_png(const std::string& stem, const std::string& svg) {
  const auto width_at = svg.find("width=\"");
  const double svg_width = width_at == std::string::npos ? 0 : std::stod(svg.substr(width_at + 7));
  // Twice the SVG's size: about 300 dpi at the width of a journal page.
  return {{stem + ".svg", svg}, {stem + ".png", svg_to_png(svg, static_cast<int>(2 * svg_width))}};
}

std::size_t km_plot_groups_with_events(const KmAnalysis& km) {
  std::size_t n = 0;
  const std::size_t first = km.curves.size() > 1 ? 1 : 0;
  for (std::size_t c = first; c < km.curves.size(); ++c) n += km.curves[c].curve.events > 0;
  return n;
}

OutputFiles km_plot_files(const KmAnalysis& km, const KmPlotRequest& plot) {
  KmPlotOptions o;
  o.title = !plot.title.empty() ? plot.title
                                 : "Kaplan-Meier estimate" + (plot.group_column.empty() ? std::string() : " by " + plot.group_column);
  o.time_label = !plot.time_label.empty() ? plot.time_label : time_axis_label(plot.time_column, km.time_unit);
  o.confidence_bands = plot.confidence_bands;
  o.median_lines = plot.median_lines;
  o.test_p = plot.test_p;
  return svg_and_png("km", km_plot_svg(plotted_curves(km), o));
}

OutputFiles subgroup_forest_files(const SubgroupEffects& s, const std::string& group_column) {
  std::vector<ForestRow> rows;
  for (const auto& g : s.subgroups) {
    std::vector<std::string> labels;
    for (std::string label : g.levels) {
      if (label.rfind(g.by + "=", 0) == 0) label = label.substr(g.by.size() + 1);  // under its heading, the level alone
      labels.push_back(std::move(label));
    }
    const std::vector<ForestRow> factor = forest_rows(g.analysis, g.by, labels);
    rows.insert(rows.end(), factor.begin(), factor.end());
  }
  // The overall HR as the command reports it for the first factor (all subjects unless
  // that factor has missing values, which the JSON counts in rows_dropped).
  rows.push_back(forest_row(s.subgroups[0].analysis.overall, "Overall", ForestRow::Kind::overall));

  // "trt=2 vs 1": the HR is of the second arm against the first (the reference).
  const std::string& effect = s.subgroups[0].effect;
  const auto vs = effect.find(" vs ");
  const std::string experimental = effect.substr(0, vs);
  const std::string reference = group_column + "=" + effect.substr(vs + 4);
  ForestPlotOptions o;
  o.title = "Hazard ratio of " + experimental + " vs " + reference + " by subgroup";
  o.conf_level = s.conf_level;
  o.favours_left = "favours " + experimental;
  o.favours_right = "favours " + reference;
  return svg_and_png("forest", forest_plot_svg(rows, o));
}

OutputFiles cox_forest_files(const CoxAnalysis& cox) {
  if (cox.null_model || cox.terms.empty()) return {};  // the null model of a stepwise selection: nothing to plot
  std::vector<ForestRow> rows;
  const auto& fit = cox.fit;
  for (std::size_t k = 0; k < cox.terms.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    ForestRow r;
    r.label = cox.terms[k];
    r.hr = shown(fit.hr(i));
    r.lower = shown(fit.hr_lower(i));
    r.upper = shown(fit.hr_upper(i));
    r.p = shown(fit.p_value(i));
    r.estimable = std::isfinite(r.hr);  // aliased terms are NA
    rows.push_back(r);
  }
  ForestPlotOptions o;
  o.title = "Cox model hazard ratios (n = " + std::to_string(cox.n) + ", " + std::to_string(cox.nevent) + " events)";
  o.conf_level = cox.conf_level;
  return svg_and_png("forest", forest_plot_svg(rows, o));
}

}  // namespace sirtkit::report
