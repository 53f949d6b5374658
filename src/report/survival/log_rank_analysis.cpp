#include "report/survival/log_rank_analysis.h"

#include <fmt/format.h>

#include "report/number_output.h"

namespace sirtkit::report {

using nlohmann::json;

nlohmann::json log_rank_json(const LogRankAnalysis& lr) {
  const stats::LogRankResult& r = lr.result;
  json j;
  j["command"] = "logrank";
  j["file"] = lr.file;
  j["rows_read"] = lr.rows_read;
  j["rows_dropped"] = lr.rows_dropped;
  j["rho"] = lr.rho;
  j["stratified_by"] = lr.strata.empty() ? json(nullptr) : json(lr.strata);
  j["chisq"] = r.chisq;
  j["df"] = r.df;
  j["p"] = r.p_value;
  j["groups"] = json::array();
  j["warnings"] = lr.warnings;
  for (std::size_t g = 0; g < lr.groups.size(); ++g) {
    j["groups"].push_back({{"group", lr.groups[g]}, {"n", r.n[g]}, {"observed", r.observed[g]}, {"expected", r.expected[g]}});
    if (r.observed[g] == 0) j["warnings"].push_back(lr.groups[g] + " has no events");
  }
  if (lr.trend) {
    const auto& t = lr.trend->test;
    j["trend"] = {{"scores", lr.trend->scores}, {"u", t.u}, {"variance", t.variance}, {"chisq", t.chisq}, {"df", 1}, {"p", t.p_value}};
  }
  return j;
}

std::string log_rank_text(const LogRankAnalysis& lr) {
  const stats::LogRankResult& r = lr.result;
  std::string s = fmt::format("{} test{} ({} rows used, {} dropped for missing values)\n",
                              lr.rho == 0 ? "Log-rank" : fmt::format("Fleming-Harrington G-rho (rho = {:g})", lr.rho),
                              lr.strata.empty() ? "" : ", stratified by " + lr.strata, lr.rows_used, lr.rows_dropped);
  for (const auto& w : lr.warnings) s += "  warning: " + w + "\n";
  s += fmt::format("  {:<24} {:>7} {:>10} {:>10} {:>10}\n", "group", "N", "Observed", "Expected", "(O-E)^2/E");
  for (std::size_t g = 0; g < lr.groups.size(); ++g) {
    const double o = r.observed[g], e = r.expected[g];
    s += fmt::format("  {:<24} {:>7} {:>10.2f} {:>10.2f} {:>10.3f}\n", lr.groups[g], r.n[g], o, e, (o - e) * (o - e) / e);
    if (o == 0) s += fmt::format("  warning: {} has no events\n", lr.groups[g]);
  }
  s += fmt::format("  Chisq = {:.4f} on {} df, p = {}\n", r.chisq, r.df, table_p_value(r.p_value));
  if (lr.trend)
    s += fmt::format("  Trend ({} scores): Chisq = {:.4f} on 1 df, p = {}\n", lr.trend->numeric_scores ? "numeric level" : "1..k",
                     lr.trend->test.chisq, table_p_value(lr.trend->test.p_value));
  return s;
}

}  // namespace sirtkit::report
