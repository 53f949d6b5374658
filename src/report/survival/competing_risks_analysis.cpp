#include "report/survival/competing_risks_analysis.h"

#include <fmt/format.h>

#include <cmath>

#include "report/number_output.h"

namespace sirtkit::report {

namespace {

using nlohmann::json;

std::string num(double v, int digits = 4) { return std::isfinite(v) ? fmt::format("{:.{}g}", v, digits) : "NA"; }

json curve_json(const CifCurveView& v) {
  const auto& c = v.curve;
  json j{{"group", v.label}, {"cause", c.cause}, {"n", c.n}, {"events", c.events}};
  json at = json::array();
  for (const auto& a : v.at_times)
    at.push_back({{"time", a.time}, {"estimate", json_or_null(a.estimate)}, {"variance", json_or_null(a.variance)},
                  {"std_err", json_or_null(a.std_err)}, {"beyond_follow_up", a.beyond_follow_up}});
  j["at_times"] = at;
  json tab = json::array();
  for (std::size_t i = 0; i < c.size(); ++i)
    tab.push_back({{"time", c.time[i]}, {"n_risk", c.n_risk[i]}, {"n_event", c.n_event[i]}, {"estimate", c.estimate[i]},
                   {"variance", c.variance[i]}, {"std_err", c.std_err[i]}});
  j["table"] = tab;
  return j;
}

std::string curve_text(const CifCurveView& v, bool full_table) {
  const auto& c = v.curve;
  std::string s = fmt::format("{:<24} cause {:<3} n={:<6} events={:<6} final {:.4f}\n", v.label, c.cause, c.n, c.events,
                              c.size() ? c.estimate.back() : 0.0);
  for (const auto& a : v.at_times) {
    if (a.beyond_follow_up) s += fmt::format("  t={:<10} beyond last follow-up\n", num(a.time, 6));
    else s += fmt::format("  t={:<10} F={:.4f}  se {:.4f} (survfit IJ)  var {:.6g} (cuminc)\n", num(a.time, 6), a.estimate, a.std_err, a.variance);
  }
  if (full_table) {
    s += fmt::format("  {:>10} {:>7} {:>7} {:>8} {:>8} {:>10}\n", "time", "n.risk", "n.event", "F", "std.err", "var(cuminc)");
    for (std::size_t i = 0; i < c.size(); ++i)
      s += fmt::format("  {:>10} {:>7} {:>7} {:>8.4f} {:>8.4f} {:>10.4g}\n", num(c.time[i], 6), c.n_risk[i], c.n_event[i],
                       c.estimate[i], c.std_err[i], c.variance[i]);
  }
  return s;
}

constexpr const char* kOneGroup = "only one group: no Gray's test";

}  // namespace

nlohmann::json cif_json(const CifAnalysis& a) {
  json j;
  j["command"] = "cif";
  j["file"] = a.file;
  j["rows_read"] = a.rows_read;
  j["rows_dropped"] = a.rows_dropped;
  j["causes"] = a.causes;
  j["curves"] = json::array();
  for (const auto& c : a.curves) j["curves"].push_back(curve_json(c));
  j["warnings"] = a.warnings;
  if (a.group_levels >= 2) {
    j["gray_tests"] = json::array();
    j["rho"] = a.rho;
    j["stratified_by"] = a.strata.empty() ? json(nullptr) : json(a.strata);
    for (const auto& g : a.gray_tests)
      j["gray_tests"].push_back({{"cause", g.cause}, {"statistic", json_or_null(g.result.statistic)}, {"df", g.result.df},
                                 {"p", json_or_null(g.result.p_value)}});
  } else if (!a.group.empty()) {
    j["warnings"].push_back(kOneGroup);
  }
  return j;
}

std::string cif_text(const CifAnalysis& a) {
  std::string s = fmt::format("Cumulative incidence, Aalen-Johansen ({} rows used, {} dropped for missing values); causes:", a.rows_used,
                              a.rows_dropped);
  for (int k : a.causes) s += fmt::format(" {}", k);
  s += "; 0 = censored\n";
  for (const auto& c : a.curves) s += curve_text(c, a.full_table);
  if (a.group_levels >= 2) {
    s += fmt::format("Gray's test across {} (rho = {:g}{}):\n", a.group, a.rho, a.strata.empty() ? "" : ", stratified by " + a.strata);
    for (const auto& g : a.gray_tests)
      s += std::isfinite(g.result.statistic)
               ? fmt::format("  cause {}: chisq {:.4f} on {} df, p = {}\n", g.cause, g.result.statistic, g.result.df,
                             table_p_value(g.result.p_value))
               : fmt::format("  cause {}: not testable (singular score variance)\n", g.cause);
  } else if (!a.group.empty()) {
    s += std::string("  warning: ") + kOneGroup + "\n";
  }
  return s;
}

nlohmann::json fine_gray_json(const FineGrayAnalysis& a) {
  const auto& fit = a.fit;
  json j;
  j["command"] = "finegray";
  j["file"] = a.file;
  j["rows_read"] = a.rows_read;
  j["rows_dropped"] = a.rows_dropped;
  j["cause"] = a.cause;
  j["n"] = fit.n;
  j["n_cause"] = fit.n_cause;
  j["n_competing"] = fit.n_competing;
  j["n_censored"] = fit.n_censored;
  j["terms"] = a.terms;
  auto vec = [](const Eigen::VectorXd& v) { return json_array_or_null({v.data(), static_cast<std::size_t>(v.size())}); };
  j["coef"] = vec(fit.coef);
  j["se"] = vec(fit.se);
  j["z"] = vec(fit.z);
  j["p"] = vec(fit.p_value);
  j["shr"] = vec(fit.shr);
  j["shr_lower"] = vec(fit.shr_lower);
  j["shr_upper"] = vec(fit.shr_upper);
  json var = json::array();
  for (Eigen::Index r = 0; r < fit.var.rows(); ++r) var.push_back(vec(fit.var.row(r).transpose()));
  j["var"] = var;
  j["conf_level"] = a.conf_level;
  j["loglik"] = {fit.loglik_null, fit.loglik};
  j["iterations"] = fit.iterations;
  j["converged"] = fit.converged;
  j["warnings"] = a.warnings;
  if (!fit.converged) j["warnings"].push_back("did not converge");
  return j;
}

std::string fine_gray_text(const FineGrayAnalysis& a) {
  const auto& fit = a.fit;
  std::string s = fmt::format("Fine-Gray subdistribution hazards for cause {} (cmprsk::crr); n = {}: {} of this cause, {} competing, {} "
                              "censored ({} rows dropped for missing values)\n",
                              a.cause, fit.n, fit.n_cause, fit.n_competing, fit.n_censored, a.rows_dropped);
  s += fmt::format("  {:<20} {:>10} {:>8} {:>9} {:>8} {:>9} {:>25}\n", "term", "coef", "sHR", "se(coef)", "z", "p",
                   fmt::format("sHR {:g}% CI", a.conf_level * 100));
  for (int k = 0; k < fit.p; ++k)
    s += fmt::format("  {:<20} {:>10} {:>8} {:>9} {:>8} {:>9} {:>25}\n", a.terms[static_cast<std::size_t>(k)], num(fit.coef(k)),
                     num(fit.shr(k)), num(fit.se(k)), num(fit.z(k), 3), table_p_value(fit.p_value(k)),
                     fmt::format("({}, {})", num(fit.shr_lower(k)), num(fit.shr_upper(k))));
  s += fmt::format("  log pseudo-likelihood {:.4f} -> {:.4f} in {} iterations{}\n", fit.loglik_null, fit.loglik, fit.iterations,
                   fit.converged ? "" : "; did not converge (crr's gtol 1e-6 within 10 steps)");
  if (!fit.converged) s += "  warning: did not converge\n";
  return s;
}

}  // namespace sirtkit::report
