#include "pipelines/survival/competing_risks_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.h"
#include "io/csv_table.h"
#include "pipelines/descriptive/number_output.h"
#include "stats/competing_risks.h"
#include "stats/fine_gray.h"

namespace sirtkit::pipelines {

namespace {

using nlohmann::json;

std::string num(double v, int digits = 4) { return std::isfinite(v) ? fmt::format("{:.{}g}", v, digits) : "NA"; }

SurvivalFrame load_cause_frame(const io::CsvTable& table, const std::string& time, const std::string& event,
                               const std::string& group, const std::string& strata) {
  SurvivalColumns c;
  c.time = time;
  c.event = event;
  c.coding = EventCoding::cause;
  c.group = group;
  c.strata = strata;
  return load_survival_frame(table, c);
}

json curve_json(const stats::CumulativeIncidence& c, const std::string& label, const std::vector<double>& times) {
  json j{{"group", label}, {"cause", c.cause}, {"n", c.n}, {"events", c.events}};
  json at = json::array();
  for (const auto& a : stats::cif_at_times(c, times))
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

std::string curve_text(const stats::CumulativeIncidence& c, const std::string& label, const CifRequest& rq) {
  std::string s = fmt::format("{:<24} cause {:<3} n={:<6} events={:<6} final {:.4f}\n", label, c.cause, c.n, c.events,
                              c.size() ? c.estimate.back() : 0.0);
  for (const auto& a : stats::cif_at_times(c, rq.times)) {
    if (a.beyond_follow_up) s += fmt::format("  t={:<10} beyond last follow-up\n", num(a.time, 6));
    else s += fmt::format("  t={:<10} F={:.4f}  se {:.4f} (survfit IJ)  var {:.6g} (cuminc)\n", num(a.time, 6), a.estimate, a.std_err, a.variance);
  }
  if (rq.full_table) {
    s += fmt::format("  {:>10} {:>7} {:>7} {:>8} {:>8} {:>10}\n", "time", "n.risk", "n.event", "F", "std.err", "var(cuminc)");
    for (std::size_t i = 0; i < c.size(); ++i)
      s += fmt::format("  {:>10} {:>7} {:>7} {:>8.4f} {:>8.4f} {:>10.4g}\n", num(c.time[i], 6), c.n_risk[i], c.n_event[i],
                       c.estimate[i], c.std_err[i], c.variance[i]);
  }
  return s;
}

}  // namespace

AnalysisOutput run_cif(const CifRequest& rq) {
  const auto table = io::CsvTable::read(rq.csv, rq.encoding);
  const SurvivalFrame f = load_cause_frame(table, rq.time, rq.event, rq.group, rq.strata);
  std::set<int> causes;
  for (int s : f.status)
    if (s != 0) causes.insert(s);
  if (causes.empty()) fail_input(table.source(), rq.event, "no events", "at least one row with a cause code >= 1 (0 = censored)");
  AnalysisOutput out;
  json& j = out.json;
  j["command"] = "cif";
  j["file"] = rq.csv.string();
  j["rows_read"] = f.rows_read;
  j["rows_dropped"] = f.rows_dropped;
  j["causes"] = std::vector<int>(causes.begin(), causes.end());
  j["curves"] = json::array();
  j["warnings"] = json::array();
  for (const auto& w : f.warnings) j["warnings"].push_back(w);
  out.text = fmt::format("Cumulative incidence, Aalen-Johansen ({} rows used, {} dropped for missing values); causes:", f.time.size(),
                         f.rows_dropped);
  for (int k : causes) out.text += fmt::format(" {}", k);
  out.text += "; 0 = censored\n";
  for (const auto& c : stats::cumulative_incidence(f.time, f.status)) {
    j["curves"].push_back(curve_json(c, "all", rq.times));
    out.text += curve_text(c, "all", rq);
  }
  for (std::size_t g = 0; g < f.group_levels.size(); ++g) {
    std::vector<double> t;
    std::vector<int> s;
    for (std::size_t i = 0; i < f.time.size(); ++i)
      if (f.group[i] == static_cast<int>(g)) {
        t.push_back(f.time[i]);
        s.push_back(f.status[i]);
      }
    const std::string label = rq.group + "=" + f.group_levels[g];
    for (const auto& c : stats::cumulative_incidence(t, s)) {
      j["curves"].push_back(curve_json(c, label, rq.times));
      out.text += curve_text(c, label, rq);
    }
  }
  if (f.group_levels.size() >= 2) {
    j["gray_tests"] = json::array();
    j["rho"] = rq.rho;
    j["stratified_by"] = rq.strata.empty() ? json(nullptr) : json(rq.strata);
    out.text += fmt::format("Gray's test across {} (rho = {:g}{}):\n", rq.group, rq.rho,
                            rq.strata.empty() ? "" : ", stratified by " + rq.strata);
    for (int k : causes) {
      const auto r = stats::gray_test(f.time, f.status, f.group, static_cast<int>(f.group_levels.size()), k, rq.rho, f.strata);
      j["gray_tests"].push_back({{"cause", k}, {"statistic", json_or_null(r.statistic)}, {"df", r.df}, {"p", json_or_null(r.p_value)}});
      out.text += std::isfinite(r.statistic)
                      ? fmt::format("  cause {}: chisq {:.4f} on {} df, p = {}\n", k, r.statistic, r.df, table_p_value(r.p_value))
                      : fmt::format("  cause {}: not testable (singular score variance)\n", k);
    }
  } else if (!rq.group.empty()) {
    j["warnings"].push_back("only one group: no Gray's test");
    out.text += "  warning: only one group: no Gray's test\n";
  }
  return out;
}

AnalysisOutput run_finegray(const FineGrayRequest& rq) {
  if (rq.covariates.covariates.empty()) fail_input("options", "covariates", "(none)", "at least one covariate (--covariates)");
  if (!rq.covariates.cluster.empty()) fail_input("options", "cluster", rq.covariates.cluster, "no cluster for the Fine-Gray model");
  const auto table = io::CsvTable::read(rq.csv, rq.encoding);
  SurvivalColumns c;
  c.time = rq.time;
  c.event = rq.event;
  c.coding = EventCoding::cause;
  const SurvivalFrame f = load_survival_frame(table, c, rq.covariates);
  if (std::find(f.status.begin(), f.status.end(), rq.cause) == f.status.end())
    fail_input(table.source(), rq.event, fmt::format("cause {}", rq.cause), "at least one failure from the cause of interest (--cause)");
  stats::FineGrayOptions o;
  o.conf_level = rq.conf_level;
  const auto fit = stats::fine_gray(f.time, f.status, f.x, rq.cause, o);
  AnalysisOutput out;
  json& j = out.json;
  j["command"] = "finegray";
  j["file"] = rq.csv.string();
  j["rows_read"] = f.rows_read;
  j["rows_dropped"] = f.rows_dropped;
  j["cause"] = rq.cause;
  j["n"] = fit.n;
  j["n_cause"] = fit.n_cause;
  j["n_competing"] = fit.n_competing;
  j["n_censored"] = fit.n_censored;
  j["terms"] = f.terms;
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
  j["conf_level"] = rq.conf_level;
  j["loglik"] = {fit.loglik_null, fit.loglik};
  j["iterations"] = fit.iterations;
  j["converged"] = fit.converged;
  j["warnings"] = json::array();
  for (const auto& w : f.warnings) j["warnings"].push_back(w);
  out.text = fmt::format("Fine-Gray subdistribution hazards for cause {} (cmprsk::crr); n = {}: {} of this cause, {} competing, {} "
                         "censored ({} rows dropped for missing values)\n",
                         rq.cause, fit.n, fit.n_cause, fit.n_competing, fit.n_censored, f.rows_dropped);
  out.text += fmt::format("  {:<20} {:>10} {:>8} {:>9} {:>8} {:>9} {:>25}\n", "term", "coef", "sHR", "se(coef)", "z", "p",
                          fmt::format("sHR {:g}% CI", rq.conf_level * 100));
  for (int k = 0; k < fit.p; ++k)
    out.text += fmt::format("  {:<20} {:>10} {:>8} {:>9} {:>8} {:>9} {:>25}\n", f.terms[static_cast<std::size_t>(k)], num(fit.coef(k)),
                            num(fit.shr(k)), num(fit.se(k)), num(fit.z(k), 3), table_p_value(fit.p_value(k)),
                            fmt::format("({}, {})", num(fit.shr_lower(k)), num(fit.shr_upper(k))));
  out.text += fmt::format("  log pseudo-likelihood {:.4f} -> {:.4f} in {} iterations{}\n", fit.loglik_null, fit.loglik, fit.iterations,
                          fit.converged ? "" : "; did not converge (crr's gtol 1e-6 within 10 steps)");
  if (!fit.converged) {
    j["warnings"].push_back("did not converge");
    out.text += "  warning: did not converge\n";
  }
  return out;
}

}  // namespace sirtkit::pipelines
