#pragma once
// Forest plot as SVG: one row per subgroup level (or model term) with n,
// events, the hazard ratio and its CI as a square and whisker on a log axis,
// the overall HR as a diamond, a reference line at HR = 1 and, for each
// subgroup factor, the treatment x subgroup interaction p in its heading row.
//
// Elements carry classes and data- attributes (forest-point, forest-ci,
// forest-diamond, forest-reference, forest-xtick ...) for tests and restyling.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "stats/cox/cox_model.h"
#include "stats/survival/subgroup_analysis.h"

namespace sirtkit::report {

struct ForestRow {
  enum class Kind { heading, estimate, overall };
  Kind kind = Kind::estimate;
  std::string label;
  std::optional<std::int64_t> n, events;  // shown when known
  bool estimable = true;                  // false: "not estimable", no point drawn
  double hr = std::numeric_limits<double>::quiet_NaN();
  double lower = std::numeric_limits<double>::quiet_NaN();
  double upper = std::numeric_limits<double>::quiet_NaN();
  double p = std::numeric_limits<double>::quiet_NaN();  // Wald p of the row; for a heading, the interaction p
};

struct ForestPlotOptions {
  double width = 900;
  std::string title;
  std::string effect_label = "Hazard ratio";
  double conf_level = 0.95;
  std::string favours_left;   // e.g. "favours Y-90 + sorafenib" under the axis left of 1
  std::string favours_right;  // e.g. "favours sorafenib"
};

std::string forest_plot_svg(const std::vector<ForestRow>& rows, const ForestPlotOptions& options = {});

// A subgroup factor as rows: its heading (with the interaction p), then one
// row per level. Numbers that are not finite (an infinite HR or bound) are not
// drawn (NaN), as the JSON gives them (null).
std::vector<ForestRow> forest_rows(const stats::SubgroupAnalysis& analysis, const std::string& factor,
                                   const std::vector<std::string>& level_labels);

// One row from a subgroup effect (kind estimate or overall).
ForestRow forest_row(const stats::SubgroupEffect& effect, const std::string& label,
                     ForestRow::Kind kind = ForestRow::Kind::estimate);

// A Cox model as rows: one per term (HR per unit or per level vs the reference);
// aliased terms are not estimable.
std::vector<ForestRow> forest_rows(const stats::CoxFit& fit, const std::vector<std::string>& terms);

// The log-axis range and ticks the plot uses for these rows.
struct ForestAxis {
  double low = 0.5, high = 2;
  std::vector<double> ticks;
};
ForestAxis forest_axis(const std::vector<ForestRow>& rows);

}  // namespace sirtkit::report
