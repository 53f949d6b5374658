#include "pipelines/survival/restricted_mean_analysis.h"

#include <fmt/format.h>

#include <cmath>

#include "core/error.h"
#include "io/csv_table.h"
#include "pipelines/descriptive/number_output.h"
#include "pipelines/survival/time_unit.h"
#include "report/number_output.h"
#include "stats/kaplan_meier.h"
#include "stats/restricted_mean.h"

namespace sirtkit::pipelines {

namespace {

using nlohmann::json;

json rmean_json(const stats::RestrictedMean& r, const std::string& label, std::int64_t n, std::int64_t events) {
  return {{"group", label},          {"n", n},
          {"events", events},        {"rmean", r.rmean},
          {"std_err", r.std_err},    {"lower", r.lower},
          {"upper", r.upper},        {"beyond_follow_up", r.beyond_follow_up}};
}

}  // namespace

AnalysisOutput run_rmst(const RmstRequest& rq) {
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
  AnalysisOutput out;
  json& j = out.json;
  j["command"] = "rmst";
  j["file"] = rq.csv.string();
  j["rows_read"] = f.rows_read;
  j["rows_dropped"] = f.rows_dropped;
  j["tau"] = rq.tau;
  // RMST and its differences are times: in the unit of the time column.
  const std::string unit = resolve_time_unit(table, rq.columns.time_unit);
  j["time_unit"] = unit.empty() ? json(nullptr) : json(unit);
  j["conf_level"] = rq.conf_level;
  j["weights"] = weighted ? json(rq.columns.weights) : json(nullptr);
  j["groups"] = json::array();
  j["warnings"] = json::array();
  for (const auto& w : f.warnings) j["warnings"].push_back(w);
  out.text = fmt::format("Restricted mean survival time up to tau = {} ({} rows used, {} dropped for missing values; {:g}% CI){}\n",
                         report::with_time_unit(fmt::format("{:g}", rq.tau), unit.empty() ? "(time unit not given: --time-unit)" : unit), f.time.size(), f.rows_dropped, rq.conf_level * 100,
                         weighted ? ", case weights from " + rq.columns.weights : "");
  auto add = [&](const stats::RestrictedMean& r, const stats::KmCurve& c, const std::string& label) {
    j["groups"].push_back(rmean_json(r, label, c.n, c.events));
    out.text += fmt::format("  {:<24} n={:<6} events={:<6} RMST {:.4f}  se {:.4f}  ({:.4f}, {:.4f})\n", label, c.n, c.events, r.rmean,
                            r.std_err, r.lower, r.upper);
    if (r.beyond_follow_up) {
      const std::string w = fmt::format("{}: tau {:g} is after the last follow-up time {:g}; the curve's last value is carried on "
                                        "to tau (as R's print(survfit, rmean = tau))", label, rq.tau, c.time.back());
      j["warnings"].push_back(w);
      out.text += "  warning: " + w + "\n";
    }
  };
  const auto all = curve(f.time, f.status, f.weights);
  add(stats::restricted_mean(all, rq.tau, rq.conf_level), all, "all");
  std::vector<stats::RestrictedMean> arms;
  for (std::size_t g = 0; g < f.group_levels.size(); ++g) {
    std::vector<double> t, w;
    std::vector<int> s;
    for (std::size_t i = 0; i < f.time.size(); ++i)
      if (f.group[i] == static_cast<int>(g)) {
        t.push_back(f.time[i]);
        s.push_back(f.status[i]);
        if (weighted) w.push_back(f.weights[i]);
      }
    const auto c = curve(t, s, w);
    arms.push_back(stats::restricted_mean(c, rq.tau, rq.conf_level));
    add(arms.back(), c, rq.columns.group + "=" + f.group_levels[g]);
  }
  if (arms.size() >= 2) {
    j["differences"] = json::array();
    out.text += fmt::format("  Difference from {}={} (independent arms, normal CI):\n", rq.columns.group, f.group_levels[0]);
    for (std::size_t g = 1; g < arms.size(); ++g) {
      const auto d = stats::restricted_mean_difference(arms[g], arms[0], rq.conf_level);
      const std::string label = rq.columns.group + "=" + f.group_levels[g] + " - " + f.group_levels[0];
      j["differences"].push_back({{"contrast", label},
                                  {"estimate", d.estimate},
                                  {"std_err", d.std_err},
                                  {"lower", d.lower},
                                  {"upper", d.upper},
                                  {"z", json_or_null(d.z)},
                                  {"p", json_or_null(d.p_value)}});
      out.text += fmt::format("  {:<28} {:.4f}  se {:.4f}  ({:.4f}, {:.4f})  p = {}\n", label, d.estimate, d.std_err, d.lower, d.upper,
                              table_p_value(d.p_value));
    }
  }
  return out;
}

}  // namespace sirtkit::pipelines
