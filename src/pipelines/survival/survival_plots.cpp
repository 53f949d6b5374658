#include "pipelines/survival/survival_plots.h"

#include <cmath>
#include <limits>

#include "pipelines/survival/time_unit.h"
#include "report/number_output.h"
#include "report/survival/forest_plot_svg.h"
#include "report/survival/km_plot_svg.h"
#include "report/svg_to_png.h"

namespace sirtkit::pipelines {
namespace {

using nlohmann::json;

// JSON null (R's NA) back to NaN.
double number(const json& v) { return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN(); }

// A curve of run_km's JSON ("table": one row per distinct time) as the stats type.
stats::KmCurve curve_from_json(const json& c) {
  stats::KmCurve k;
  k.n = c.at("n").get<std::int64_t>();
  k.events = c.at("events").get<std::int64_t>();
  for (const auto& row : c.at("table")) {
    k.time.push_back(number(row.at("time")));
    k.n_risk.push_back(row.at("n_risk").get<std::int64_t>());
    k.n_event.push_back(row.at("n_event").get<std::int64_t>());
    k.n_censor.push_back(row.at("n_censor").get<std::int64_t>());
    const double s = number(row.at("surv"));
    k.surv.push_back(s);
    k.se_log_surv.push_back(s > 0 ? number(row.at("std_err")) / s : std::numeric_limits<double>::infinity());
    k.lower.push_back(number(row.at("lower")));
    k.upper.push_back(number(row.at("upper")));
  }
  return k;
}

report::ForestRow row_from_json(const json& e, const std::string& label, report::ForestRow::Kind kind) {
  report::ForestRow r;
  r.kind = kind;
  r.label = label;
  r.n = e.at("n").get<std::int64_t>();
  r.events = e.at("events").get<std::int64_t>();
  r.estimable = e.at("estimable").get<bool>();
  r.hr = number(e.at("hr"));
  r.lower = number(e.at("hr_lower"));
  r.upper = number(e.at("hr_upper"));
  r.p = number(e.at("p"));
  return r;
}

}  // namespace

OutputFiles svg_and_png(const std::string& stem, const std::string& svg) {
  const auto width_at = svg.find("width=\"");
  const double svg_width = width_at == std::string::npos ? 0 : std::stod(svg.substr(width_at + 7));
  // Twice the SVG's size: about 300 dpi at the width of a journal page.
  return {{stem + ".svg", svg}, {stem + ".png", report::svg_to_png(svg, static_cast<int>(2 * svg_width))}};
}

OutputFiles km_plot_files(const KmRequest& rq, const json& km, const KmPlotRequest& plot) {
  // (start, stop] rows: the number at risk at a time is read from the curve
  // as R's summary(fit, times) reads it (at the first curve time at or after
  // it), which counts the late entries before that curve time.
  const bool counting = km.contains("start") && !km["start"].is_null();
  const auto& curves_json = km.at("curves");
  std::vector<report::KmPlotCurve> curves;
  // The first curve is all subjects; with --group the plot shows the groups instead.
  const std::size_t first = curves_json.size() > 1 ? 1 : 0;
  std::int64_t groups_with_events = 0;
  for (std::size_t c = first; c < curves_json.size(); ++c) {
    curves.push_back({curves_json[c].at("strata").get<std::string>(), curve_from_json(curves_json[c])});
    groups_with_events += curves.back().curve.events > 0;
  }
  report::KmPlotOptions o;
  o.title = !plot.title.empty() ? plot.title
                                 : "Kaplan-Meier estimate" + (rq.columns.group.empty() ? std::string() : " by " + rq.columns.group);
  o.time_label = !plot.time_label.empty() ? plot.time_label
                 : report::time_axis_label(rq.columns.time, km.value("time_unit", json()).is_string() ? km["time_unit"].get<std::string>() : "");
  o.confidence_bands = plot.confidence_bands;
  o.median_lines = plot.median_lines;
  // R's survdiff takes right-censored rows only: no log-rank p for (start, stop] rows.
  if (plot.test_p) {
    o.test_p = plot.test_p;
  } else if (!counting && !rq.columns.group.empty() && curves.size() >= 2 && groups_with_events >= 1) {
    LogRankRequest lr;
    lr.csv = rq.csv;
    lr.columns = rq.columns;
    o.test_p = run_logrank(lr).json.at("p").get<double>();
  }
  return svg_and_png("km", report::km_plot_svg(curves, o));
}

OutputFiles subgroup_forest_files(const SubgroupRequest& rq, const json& sg) {
  std::vector<report::ForestRow> rows;
  for (const auto& s : sg.at("subgroups")) {
    const std::string by = s.at("by").get<std::string>();
    report::ForestRow heading;
    heading.kind = report::ForestRow::Kind::heading;
    heading.label = by;
    if (s.at("interaction").at("df").get<int>() > 0) heading.p = number(s.at("interaction").at("p"));
    rows.push_back(heading);
    for (const auto& l : s.at("levels")) {
      std::string label = l.at("level").get<std::string>();
      if (label.rfind(by + "=", 0) == 0) label = label.substr(by.size() + 1);  // under its heading, the level alone
      rows.push_back(row_from_json(l, label, report::ForestRow::Kind::estimate));
    }
  }
  // The overall HR as the command reports it for the first factor (all subjects unless
  // that factor has missing values, which the JSON counts in rows_dropped).
  rows.push_back(row_from_json(sg.at("subgroups")[0].at("overall"), "Overall", report::ForestRow::Kind::overall));

  // "trt=2 vs 1": the HR is of the second arm against the first (the reference).
  const std::string effect = sg.at("subgroups")[0].at("effect").get<std::string>();
  const auto vs = effect.find(" vs ");
  const std::string experimental = effect.substr(0, vs);
  const std::string reference = rq.columns.group + "=" + effect.substr(vs + 4);
  report::ForestPlotOptions o;
  o.title = "Hazard ratio of " + experimental + " vs " + reference + " by subgroup";
  o.conf_level = sg.at("conf_level").get<double>();
  o.favours_left = "favours " + experimental;
  o.favours_right = "favours " + reference;
  return svg_and_png("forest", report::forest_plot_svg(rows, o));
}

OutputFiles cox_forest_files(const json& cox) {
  std::vector<report::ForestRow> rows;
  const auto& terms = cox.at("terms");
  if (terms.empty()) return {};  // the null model of a stepwise selection: nothing to plot
  for (std::size_t k = 0; k < terms.size(); ++k) {
    report::ForestRow r;
    r.label = terms[k].get<std::string>();
    r.hr = number(cox.at("hr")[k]);
    r.lower = number(cox.at("hr_lower")[k]);
    r.upper = number(cox.at("hr_upper")[k]);
    r.p = number(cox.at("p")[k]);
    r.estimable = std::isfinite(r.hr);  // aliased terms are NA
    rows.push_back(r);
  }
  report::ForestPlotOptions o;
  o.title = "Cox model hazard ratios (n = " + std::to_string(cox.at("n").get<std::int64_t>()) + ", " +
            std::to_string(cox.at("nevent").get<std::int64_t>()) + " events)";
  o.conf_level = cox.at("conf_level").get<double>();
  return svg_and_png("forest", report::forest_plot_svg(rows, o));
}

}  // namespace sirtkit::pipelines
