#include "pipelines/survival/survival_plots.h"

#include "report/survival/survival_plots.h"

namespace sirtkit::pipelines {

std::optional<double> km_plot_test_p(const KmRequest& rq, const report::KmAnalysis& km) {
  const std::size_t drawn = km.curves.size() > 1 ? km.curves.size() - 1 : km.curves.size();
  if (!km.start_column.empty() || !rq.columns.weights.empty() || rq.columns.group.empty() || drawn < 2 ||
      report::km_plot_groups_with_events(km) < 1)
    return std::nullopt;
  LogRankRequest lr;
  lr.csv = rq.csv;
  lr.encoding = rq.encoding;
  lr.columns = rq.columns;
  return log_rank_analysis(lr).result.p_value;
}

}  // namespace sirtkit::pipelines
