#include "report/survival/km_analysis.h"

#include <fmt/format.h>

#include <cmath>

#include "report/number_output.h"

namespace sirtkit::report {

namespace {

using nlohmann::json;

std::string fmt_num(double v, int digits) {
  if (std::isnan(v)) return "NA";
  return fmt::format("{:.{}g}", v, digits);
}

json curve_json(const KmCurveView& v, bool extend) {
  const stats::KmCurve& c = v.curve;
  json j;
  j["strata"] = v.label;
  j["n"] = c.n;
  j["events"] = c.events;
  j["median"] = {{"median", json_or_null(v.median.estimate)}, {"lower", json_or_null(v.median.lower)}, {"upper", json_or_null(v.median.upper)}};
  json q = json::array();
  for (const auto& k : v.quantiles)
    q.push_back({{"prob", k.prob}, {"surv_level", 1 - k.prob}, {"time", json_or_null(k.estimate)}, {"lower", json_or_null(k.lower)}, {"upper", json_or_null(k.upper)}});
  j["quantiles"] = q;
  json at = json::array();
  const bool weighted = !c.weighted_n_risk.empty();
  for (const auto& a : v.at_times) {
    at.push_back({{"time", a.time}, {"n_risk", a.n_risk}, {"surv", json_or_null(a.surv)}, {"std_err", json_or_null(a.std_err)},
                  {"lower", json_or_null(a.lower)}, {"upper", json_or_null(a.upper)}, {"beyond_follow_up", a.beyond_follow_up},
                  {"extended", a.beyond_follow_up && extend}});
    if (weighted) at.back()["weighted_n_risk"] = a.weighted_n_risk;
  }
  j["at_times"] = at;
  // With case weights R's summary(survfit) reports the weighted counts as
  // n.risk, n.event, n.censor: so does the table (rows_* count the rows).
  if (weighted) j["variance"] = c.robust_variance ? "infinitesimal jackknife (non-integer weights)" : "Greenwood (integer weights)";
  json tab = json::array();
  for (std::size_t i = 0; i < c.size(); ++i) {
    tab.push_back({{"time", c.time[i]}, {"n_risk", c.n_risk[i]}, {"n_event", c.n_event[i]}, {"n_censor", c.n_censor[i]},
                   {"surv", json_or_null(c.surv[i])}, {"std_err", json_or_null(c.std_err(i))}, {"lower", json_or_null(c.lower[i])}, {"upper", json_or_null(c.upper[i])}});
    if (weighted) {
      json& row = tab.back();
      row["rows_at_risk"] = c.n_risk[i];
      row["rows_event"] = c.n_event[i];
      row["rows_censor"] = c.n_censor[i];
      row["n_risk"] = c.weighted_n_risk[i];
      row["n_event"] = c.weighted_n_event[i];
      row["n_censor"] = c.weighted_n_censor[i];
    }
  }
  j["table"] = tab;
  return j;
}

std::string curve_text(const KmCurveView& v, const KmAnalysis& km) {
  const stats::KmCurve& c = v.curve;
  const std::string& unit = km.time_unit;
  const auto& m = v.median;
  std::string s = fmt::format("{:<24} n={:<6} events={:<6} median {} ({}, {})\n", v.label, c.n, c.events,
                              with_time_unit(fmt_num(m.estimate, 6), unit), fmt_num(m.lower, 6), fmt_num(m.upper, 6));
  for (const auto& a : v.at_times) {
    const std::string t = with_time_unit(fmt_num(a.time, 6), unit);
    if (a.beyond_follow_up && km.extend)
      s += fmt::format("  t={:<10} at risk {:<6} S={:.4f} ({:.4f}, {:.4f})  extended past the last follow-up ({})\n",
                       t, a.n_risk, a.surv, a.lower, a.upper, fmt_num(c.time.back(), 6));
    else if (a.beyond_follow_up) s += fmt::format("  t={:<10} beyond last follow-up (--extend carries the last value on, as R's extend = TRUE)\n", t);
    else s += fmt::format("  t={:<10} at risk {:<6} S={:.4f} ({:.4f}, {:.4f})\n", t, a.n_risk, a.surv, a.lower, a.upper);
  }
  if (km.full_table) {
    s += fmt::format("  {:>10} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8} {:>8}\n", "time", "n.risk", "n.event", "censor", "surv", "std.err", "lower", "upper");
    for (std::size_t i = 0; i < c.size(); ++i)
      s += fmt::format("  {:>10} {:>7} {:>7} {:>7} {:>8.4f} {:>8.4f} {:>8} {:>8}\n", fmt_num(c.time[i], 6), c.n_risk[i], c.n_event[i],
                       c.n_censor[i], c.surv[i], c.std_err(i), fmt_num(c.lower[i], 4), fmt_num(c.upper[i], 4));
  }
  return s;
}

}  // namespace

nlohmann::json km_json(const KmAnalysis& km) {
  json j;
  j["command"] = "km";
  j["file"] = km.file;
  j["rows_read"] = km.rows_read;
  j["rows_dropped"] = km.rows_dropped;
  j["rows_dropped_all"] = km.rows_dropped_all;  // for the "all" curve and the follow-up
  j["conf_type"] = stats::conf_type_name(km.conf_type);
  j["conf_level"] = km.conf_level;
  j["time_unit"] = km.time_unit.empty() ? json(nullptr) : json(km.time_unit);
  j["warnings"] = km.warnings;
  j["start"] = km.start_column.empty() ? json(nullptr) : json(km.start_column);
  j["weights"] = km.weights_column.empty() ? json(nullptr) : json(km.weights_column);
  j["curves"] = json::array();
  for (const auto& c : km.curves) j["curves"].push_back(curve_json(c, km.extend));
  j["reverse_km_median_followup"] =
      km.follow_up ? json{{"median", json_or_null(km.follow_up->estimate)}, {"lower", json_or_null(km.follow_up->lower)},
                          {"upper", json_or_null(km.follow_up->upper)}}
                   : json(nullptr);
  return j;
}

std::string km_text(const KmAnalysis& km) {
  std::string s = fmt::format("Kaplan-Meier ({} rows used, {} dropped for missing values); {:g}% CI, {} scale; {}\n", km.rows_used,
                              km.rows_dropped, km.conf_level * 100, stats::conf_type_name(km.conf_type),
                              km.time_unit.empty() ? "time unit not given (--time-unit)" : "times in " + km.time_unit);
  if (km.all_rows_differ)
    s += fmt::format("  (all subjects and follow-up: {} rows used, {} dropped; only the group was missing in {})\n",
                     km.rows_used_all, km.rows_dropped_all, km.rows_dropped - km.rows_dropped_all);
  for (const auto& w : km.warnings) s += "  warning: " + w + "\n";
  if (!km.weights_column.empty())
    s += fmt::format("  case weights from {} ({} variance)\n", km.weights_column,
                     km.non_integer_weights ? "infinitesimal-jackknife, as R's survfit for non-integer weights"
                                            : "Greenwood on the weighted counts");
  for (const auto& c : km.curves) s += curve_text(c, km);
  if (!km.start_column.empty()) return s + "Median follow-up (reverse Kaplan-Meier): not computed for (start, stop] rows\n";
  const auto& fu = *km.follow_up;
  s += fmt::format("Median follow-up (reverse Kaplan-Meier): {} ({}, {})\n", with_time_unit(fmt_num(fu.estimate, 6), km.time_unit),
                   fmt_num(fu.lower, 6), fmt_num(fu.upper, 6));
  return s;
}

}  // namespace sirtkit::report
