#pragma once
// What the Kaplan-Meier plot of `sirtkit km --out` needs beyond the curves
// (report/survival/survival_plots draws it): the log-rank p on the same rows.

#include <optional>

#include "pipelines/survival/survival_analysis.h"
#include "report/survival/km_analysis.h"

namespace sirtkit::pipelines {

// run_logrank's p on request.csv when two or more groups are drawn and one has
// events; none without groups and for (start, stop] rows, which R's survdiff
// does not take.
std::optional<double> km_plot_test_p(const KmRequest& request, const report::KmAnalysis& km);

}  // namespace sirtkit::pipelines
