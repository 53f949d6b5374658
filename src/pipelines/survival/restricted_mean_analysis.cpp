#include "pipelines/survival/restricted_mean_analysis.h"

#include <fmt/format.h>

#include <cmath>

#include "core/error.h"
#include "io/text_formats/csv_table.h"
#include "pipelines/survival/time_unit.h"
#include "stats/survival/kaplan_meier.h"
#include "stats/survival/restricted_mean.h"

namespace sirtkit::pipelines {

report::RmstAnalysis rmst_analysis(const RmstRequest& rq) {
  if (!(std::isfinite(rq.tau) && rq.tau > 0)) fail_input("options", "tau", fmt::format("{}", rq.tau), "a time horizon > 0 (--tau)");
  const auto table = io::CsvTable::read(rq.csv, rq.encoding);
  const SurvivalFrame f = load_survival_frame(table, rq.columns);
  const bool weighted = !f.weights.empty();
  if (!f.start.empty()) fail_input("options", "start", rq.columns.start, "right-censored rows (no --start) for the restricted mean");
  auto curve = [&](const std::vector<double>& t, const std::vector<int>& s, const std::vector<double>& w) {
    stats::KmOptions o;
    o.conf_level = rq.conf_level;
    return weighted ? stats::kaplan_meier_weighted(t, s, w, o) : stats::kaplan_meier(t, s, o);
  };
  report::RmstAnalysis a;
  a.file = rq.csv.string();
  a.rows_read = f.rows_read;
  a.rows_used = f.time.size();
  a.rows_dropped = f.rows_dropped;
  a.tau = rq.tau;
  a.time_unit = resolve_time_unit(table, rq.columns.time_unit);
  a.conf_level = rq.conf_level;
  if (weighted) a.weights_column = rq.columns.weights;
  a.warnings = f.warnings;
  auto add = [&](const stats::KmCurve& c, const std::string& label) {
    a.groups.push_back({label, c.n, c.events, c.time.back(), stats::restricted_mean(c, rq.tau, rq.conf_level)});
  };
  add(curve(f.time, f.status, f.weights), "all");
  for (std::size_t g = 0; g < f.group_levels.size(); ++g) {
    std::vector<double> t, w;
    std::vector<int> s;
    for (std::size_t i = 0; i < f.time.size(); ++i)
      if (f.group[i] == static_cast<int>(g)) {
        t.push_back(f.time[i]);
        s.push_back(f.status[i]);
        if (weighted) w.push_back(f.weights[i]);
      }
    add(curve(t, s, w), rq.columns.group + "=" + f.group_levels[g]);
  }
  if (f.group_levels.size() >= 2) {
    a.group_column = rq.columns.group;
    a.reference_level = f.group_levels[0];
    for (std::size_t g = 1; g < f.group_levels.size(); ++g)
      a.differences.push_back({rq.columns.group + "=" + f.group_levels[g] + " - " + f.group_levels[0],
                               stats::restricted_mean_difference(a.groups[g + 1].rmean, a.groups[1].rmean, rq.conf_level)});
  }
  return a;
}

}  // namespace sirtkit::pipelines
