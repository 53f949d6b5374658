#pragma once
// The plot files of the survival jobs (--out, the analysis report's figures):
// the Kaplan-Meier plot of `sirtkit km`, the forest plot of `sirtkit
// subgroups` and of `sirtkit cox`, each as <name>.svg and <name>.png
// (rendered from the SVG at twice its size, sharp enough for print), drawn
// from the same values the commands' text and JSON show.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/survival/cox_analysis.h"
#include "report/survival/km_analysis.h"
#include "report/survival/subgroup_effects.h"

namespace sirtkit::report {

using OutputFiles = std::vector<std::pair<std::string, std::string>>;  // (file name, bytes)

// "<stem>.svg" and "<stem>.png".
OutputFiles svg_and_png(const std::string& stem, const std::string& svg);

struct KmPlotRequest {
  bool confidence_bands = false;  // shaded pointwise CI
  bool median_lines = false;      // dashed lines to each median
  std::string time_label;         // time-axis label; empty = the time column's name (with its unit)
  std::string title;              // empty: "Kaplan-Meier estimate by <group>"
  std::string time_column, group_column;  // group "" without groups
  std::optional<double> test_p;   // the log-rank p shown on the plot
};

// The group curves (or the one curve of all subjects without groups). The
// number at risk is read from the curve as R's summary(fit, times) reads it,
// late entries included.
OutputFiles km_plot_files(const KmAnalysis& km, const KmPlotRequest& plot);
// The curves the plot draws (the groups, or all subjects without groups) and how many have events.
std::size_t km_plot_groups_with_events(const KmAnalysis& km);

// Every --by factor with its interaction p and levels, and the overall HR (of
// the first factor's rows) as the diamond. `group_column` names the arm.
OutputFiles subgroup_forest_files(const SubgroupEffects& s, const std::string& group_column);

// One row per model term; none for the null model of a stepwise selection.
OutputFiles cox_forest_files(const CoxAnalysis& cox);

}  // namespace sirtkit::report
