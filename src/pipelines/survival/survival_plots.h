#pragma once
// What the Kaplan-Meier plot of `sirtkit km --out` needs beyond the curves
// (report/survival/survival_plots draws it): the log-rank p on the same rows.

#include <optional>

#include "pipelines/survival/survival_analysis.h"
#include "report/survival/km_analysis.h"

namespace sirtkit::pipelines {

// The log-rank p (log_rank_analysis) on request.csv (read with request.encoding)
// when two or more groups are drawn and one has events; none without groups, for
// (start, stop] rows and with case weights, which R's survdiff does not take (an
// unweighted test would not describe the weighted curves drawn).
std::optional<double> km_plot_test_p(const KmRequest& request, const report::KmAnalysis& km);

}  // namespace sirtkit::pipelines
