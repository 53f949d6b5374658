#pragma once
// Kaplan-Meier curves as a publication-style SVG: one step curve per group,
// censoring marks (+), optional confidence bands and median lines, time axis
// with ticks in the data's time unit, a legend, the log-rank p when given, and
// the number-at-risk table under the plot at the axis ticks (counts as R's
// summary(survfit, times = ticks)$n.risk).
//
// Elements carry classes and data- attributes (km-curve, km-censor, km-risk,
// km-xtick ...) so tests, and anyone restyling the plot, can find them.

#include <optional>
#include <string>
#include <vector>

#include "stats/survival/kaplan_meier.h"

namespace sirtkit::report {

struct KmPlotCurve {
  std::string label;  // legend and risk-table row, e.g. "sex=1"
  stats::KmCurve curve;
};

struct KmPlotOptions {
  double width = 760;
  double plot_height = 360;  // the curve panel; title, legend and risk table are added around it
  std::string title;
  std::string time_label = "Time";
  std::string survival_label = "Survival probability";
  double max_time = 0;             // end of the time axis; 0 = the last observed time of any curve
  std::vector<double> risk_times;  // times of the number-at-risk table; empty = the time-axis ticks
  bool confidence_bands = false;   // the curves' pointwise CI (their conf_type and level) as shaded steps
  bool median_lines = false;       // dashed lines from S = 0.5 down to each reached median
  std::optional<double> test_p;    // printed as "<test_name> p = ..." when given
  std::string test_name = "Log-rank";
};

std::string km_plot_svg(const std::vector<KmPlotCurve>& curves, const KmPlotOptions& options = {});

// The time-axis ticks the plot uses (0, step, ... <= the axis end).
std::vector<double> km_time_ticks(const std::vector<KmPlotCurve>& curves, const KmPlotOptions& options = {});

// "p = 0.0013", "p < 0.0001": the p-value as printed on plots.
std::string plot_p_value(double p);

}  // namespace sirtkit::report
