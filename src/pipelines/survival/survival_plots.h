#pragma once
// The plot files of the survival jobs (--out): the Kaplan-Meier plot of
// `sirtkit km`, the forest plot of `sirtkit subgroups` and of `sirtkit cox`,
// each as <name>.svg and <name>.png (rendered from the SVG at twice its size,
// sharp enough for print).
//
// The plots are drawn from the jobs' machine form (the JSON they print), so a
// plot shows exactly the numbers the command reports. Everything is built in
// memory; the CLI writes it.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipelines/survival/survival_analysis.h"

namespace sirtkit::pipelines {

using OutputFiles = std::vector<std::pair<std::string, std::string>>;  // (file name, bytes)

struct KmPlotRequest {
  bool confidence_bands = false;  // shaded pointwise CI
  bool median_lines = false;      // dashed lines to each median
  std::string time_label;         // time-axis label; empty = the time column's name
  std::string title;              // empty: "Kaplan-Meier estimate by <group>"
  // The log-rank p when the caller already has it (the table was not read
  // from request.csv); empty: run_logrank on request.csv when there are groups.
  std::optional<double> test_p;
};

// "<stem>.svg" and "<stem>.png".
OutputFiles svg_and_png(const std::string& stem, const std::string& svg);

// km.svg / km.png from run_km's JSON: the group curves (or the one curve of all
// subjects without --group), with the log-rank p (run_logrank on the same rows)
// when two or more groups have events (not for (start, stop] rows, which
// survdiff does not take). The number at risk is read from the curve as R's
// summary(fit, times) reads it, late entries included.
OutputFiles km_plot_files(const KmRequest& request, const nlohmann::json& km_result, const KmPlotRequest& plot = {});

// forest.svg / forest.png from run_subgroups' JSON: every --by factor with its
// interaction p and levels, and the overall HR (of the first factor's rows) as
// the diamond.
OutputFiles subgroup_forest_files(const SubgroupRequest& request, const nlohmann::json& subgroups_result);

// forest.svg / forest.png from run_cox's JSON: one row per model term.
OutputFiles cox_forest_files(const nlohmann::json& cox_result);

}  // namespace sirtkit::pipelines
