#include "report/survival/rmst_analysis.h"

#include <fmt/format.h>

#include "report/number_output.h"

namespace sirtkit::report {

namespace {

using nlohmann::json;

std::string beyond_follow_up_warning(const RmstGroup& g, double tau) {
  return fmt::format("{}: tau {:g} is after the last follow-up time {:g}; the curve's last value is carried on "
                     "to tau (as R's print(survfit, rmean = tau))",
                     g.label, tau, g.last_time);
}

}  // namespace

nlohmann::json rmst_json(const RmstAnalysis& a) {
  json j;
  j["command"] = "rmst";
  j["file"] = a.file;
  j["rows_read"] = a.rows_read;
  j["rows_dropped"] = a.rows_dropped;
  j["tau"] = a.tau;
  // RMST and its differences are times: in the unit of the time column.
  j["time_unit"] = a.time_unit.empty() ? json(nullptr) : json(a.time_unit);
  j["conf_level"] = a.conf_level;
  j["weights"] = a.weights_column.empty() ? json(nullptr) : json(a.weights_column);
  j["groups"] = json::array();
  j["warnings"] = a.warnings;
  for (const auto& g : a.groups) {
    const auto& r = g.rmean;
    j["groups"].push_back({{"group", g.label},       {"n", g.n},
                           {"events", g.events},     {"rmean", r.rmean},
                           {"std_err", r.std_err},   {"lower", r.lower},
                           {"upper", r.upper},       {"beyond_follow_up", r.beyond_follow_up}});
    if (r.beyond_follow_up) j["warnings"].push_back(beyond_follow_up_warning(g, a.tau));
  }
  if (a.groups.size() >= 3) {
    j["differences"] = json::array();
    for (const auto& d : a.differences)
      j["differences"].push_back({{"contrast", d.contrast},
                                  {"estimate", d.difference.estimate},
                                  {"std_err", d.difference.std_err},
                                  {"lower", d.difference.lower},
                                  {"upper", d.difference.upper},
                                  {"z", json_or_null(d.difference.z)},
                                  {"p", json_or_null(d.difference.p_value)}});
  }
  return j;
}

std::string rmst_text(const RmstAnalysis& a) {
  std::string s =
      fmt::format("Restricted mean survival time up to tau = {} ({} rows used, {} dropped for missing values; {:g}% CI){}\n",
                  with_time_unit(fmt::format("{:g}", a.tau), a.time_unit.empty() ? "(time unit not given: --time-unit)" : a.time_unit),
                  a.rows_used, a.rows_dropped, a.conf_level * 100, a.weights_column.empty() ? "" : ", case weights from " + a.weights_column);
  for (const auto& g : a.groups) {
    const auto& r = g.rmean;
    s += fmt::format("  {:<24} n={:<6} events={:<6} RMST {:.4f}  se {:.4f}  ({:.4f}, {:.4f})\n", g.label, g.n, g.events, r.rmean,
                     r.std_err, r.lower, r.upper);
    if (r.beyond_follow_up) s += "  warning: " + beyond_follow_up_warning(g, a.tau) + "\n";
  }
  if (a.groups.size() >= 3) {
    s += fmt::format("  Difference from {}={} (independent arms, normal CI):\n", a.group_column, a.reference_level);
    for (const auto& d : a.differences)
      s += fmt::format("  {:<28} {:.4f}  se {:.4f}  ({:.4f}, {:.4f})  p = {}\n", d.contrast, d.difference.estimate,
                       d.difference.std_err, d.difference.lower, d.difference.upper, table_p_value(d.difference.p_value));
  }
  return s;
}

}  // namespace sirtkit::report
