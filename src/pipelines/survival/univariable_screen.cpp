#include "pipelines/survival/univariable_screen.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/format.h"
#include "io/csv_table.h"
#include "pipelines/descriptive/number_output.h"
#include "stats/cox_counting_process.h"

namespace sirtkit::pipelines {
namespace {

using nlohmann::json;

UnivariableCandidate fit_candidate(const io::CsvTable& table, const UnivariableRequest& rq, const std::string& name) {
  UnivariableCandidate c;
  c.covariate = name;
  CovariateSpec spec;
  spec.covariates = {name};
  if (std::find(rq.candidates.factors.begin(), rq.candidates.factors.end(), name) != rq.candidates.factors.end())
    spec.factors = {name};
  SurvivalColumns cols = rq.columns;
  cols.group.clear();
  try {
    const SurvivalFrame f = load_survival_frame(table, cols, spec);
    c.rows_dropped = f.rows_dropped;
    if (std::count(f.status.begin(), f.status.end(), 1) == 0)
      fail_input(table.source(), name, "no events", "complete rows with at least one event");
    refuse_factor_levels_without_events(f, table.source());
    const stats::CoxFit fit = f.start.empty()
                                  ? stats::cox_fit(f.time, f.status, f.x, rq.cox, f.strata)
                                  : stats::cox_fit_counting(f.start, f.time, f.status, f.x, rq.cox, f.strata);
    c.n = fit.n;
    c.nevent = fit.nevent;
    c.lr_test = fit.lr_test;
    c.lr_p = fit.lr_p;
    c.df = fit.df;
    for (Eigen::Index k = 0; k < f.x.cols(); ++k)
      c.terms.push_back({f.terms[k], fit.coef(k), fit.se(k), fit.hr(k), fit.hr_lower(k), fit.hr_upper(k), fit.p_value(k)});
    if (!fit.converged) c.not_fitted = "did not converge";
    for (Eigen::Index k = 0; k < f.x.cols(); ++k)
      if (fit.maybe_infinite[k]) c.not_fitted = "coefficient of " + f.terms[k] + " may be infinite";
  } catch (const Error& e) {
    // A candidate that cannot be modelled (constant column, a level without
    // events) is reported, not fitted and not selected; other errors stop.
    if (e.category() != ErrorCategory::bad_input) throw;
    c.not_fitted = e.what();
  }
  c.passes = c.not_fitted.empty() && c.lr_p < rq.screen_p;
  return c;
}

json screen_json(const UnivariableRequest& rq, const UnivariableScreen& s) {
  json rows = json::array();
  for (const auto& c : s.candidates) {
    json terms = json::array();
    for (const auto& t : c.terms)
      terms.push_back({{"term", t.term}, {"coef", json_or_null(t.coef)}, {"se", json_or_null(t.se)},
                       {"hr", json_or_null(t.hr)}, {"hr_lower", json_or_null(t.hr_lower)},
                       {"hr_upper", json_or_null(t.hr_upper)}, {"wald_p", json_or_null(t.wald_p)}});
    rows.push_back({{"covariate", c.covariate}, {"n", c.n}, {"nevent", c.nevent}, {"rows_dropped", c.rows_dropped},
                    {"terms", terms}, {"lr_test", c.lr_test}, {"df", c.df}, {"lr_p", json_or_null(c.lr_p)},
                    {"passes", c.passes},
                    {"not_fitted", c.not_fitted.empty() ? json(nullptr) : json(c.not_fitted)}});
  }
  return {{"screen_p", rq.screen_p}, {"test", "likelihood ratio"}, {"candidates", rows}, {"selected", s.selected}};
}

std::string screen_text(const UnivariableRequest& rq, const UnivariableScreen& s) {
  std::string t = fmt::format("Univariable Cox models ({} ties); screen: likelihood-ratio p < {:g}\n",
                              stats::ties_name(rq.cox.ties), rq.screen_p);
  t += fmt::format("  {:<22} {:>5} {:>6} {:>8} {:>22} {:>9} {:>9}  {}\n", "term", "n", "events", "HR",
                   fmt::format("{:g}% CI", rq.cox.conf_level * 100), "Wald p", "LR p", "screen");
  for (const auto& c : s.candidates) {
    if (!c.not_fitted.empty()) {
      t += fmt::format("  {:<22} not fitted: {}\n", c.covariate, c.not_fitted);
      continue;
    }
    for (std::size_t k = 0; k < c.terms.size(); ++k) {
      const auto& r = c.terms[k];
      const bool first = k == 0;
      t += fmt::format("  {:<22} {:>5} {:>6} {:>8.4g} {:>22} {:>9} {:>9}  {}\n", r.term, first ? std::to_string(c.n) : "",
                       first ? std::to_string(c.nevent) : "", r.hr, fmt::format("({:.4g}, {:.4g})", r.hr_lower, r.hr_upper),
                       table_p_value(r.wald_p), first ? table_p_value(c.lr_p) : "", first ? (c.passes ? "pass" : "-") : "");
    }
  }
  std::string list;
  for (const auto& v : s.selected) list += (list.empty() ? "" : ", ") + v;
  t += "  selected: " + (list.empty() ? std::string("(none)") : list) + "\n";
  return t;
}

}  // namespace

UnivariableScreen univariable_screen(const io::CsvTable& table, const UnivariableRequest& rq) {
  if (rq.candidates.covariates.empty())
    fail_input("options", "covariates", "(none)", "at least one candidate covariate");
  if (!(rq.screen_p > 0 && rq.screen_p <= 1))
    fail_input("options", "screen-p", num(rq.screen_p), "a p-value threshold in (0, 1]");
  // Time, event and strata errors concern every model: they stop here, before
  // any candidate is tried (and unknown candidate columns are named).
  SurvivalColumns cols = rq.columns;
  cols.group.clear();
  load_survival_frame(table, cols, {});
  for (const auto& name : rq.candidates.covariates) table.column_index(name);

  UnivariableScreen s;
  for (const auto& name : rq.candidates.covariates) {
    s.candidates.push_back(fit_candidate(table, rq, name));
    if (s.candidates.back().passes) s.selected.push_back(name);
  }
  return s;
}

AnalysisOutput run_univariable(const UnivariableRequest& rq) {
  const auto table = io::CsvTable::read(rq.csv, rq.encoding);
  const UnivariableScreen s = univariable_screen(table, rq);
  AnalysisOutput out;
  out.json["command"] = "cox-univariable";
  out.json["file"] = rq.csv.string();
  out.json["univariable"] = screen_json(rq, s);
  out.text = screen_text(rq, s);
  if (!rq.multivariable) return out;
  if (s.selected.empty()) {
    out.json["multivariable"] = nullptr;
    out.text += "No candidate passed the screen: no multivariable model.\n";
    return out;
  }
  CoxRequest m;
  m.csv = rq.csv;
  m.columns = rq.columns;
  m.columns.group.clear();
  m.covariates.covariates = s.selected;
  for (const auto& f : rq.candidates.factors)
    if (std::find(s.selected.begin(), s.selected.end(), f) != s.selected.end()) m.covariates.factors.push_back(f);
  m.cox = rq.cox;
  m.step = rq.step;
  const AnalysisOutput multi = run_cox(table, m);
  out.json["multivariable"] = multi.json;
  out.text += "\nMultivariable model of the selected covariates:\n" + multi.text;
  return out;
}

}  // namespace sirtkit::pipelines
