#include "pipelines/survival/univariable_screen.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/format.h"
#include "io/text_formats/csv_table.h"
#include "stats/cox/cox_counting_process.h"

namespace sirtkit::pipelines {
namespace {

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

report::UnivariableAnalysis univariable_analysis(const UnivariableRequest& rq) {
  const auto table = io::CsvTable::read(rq.csv, rq.encoding);
  report::UnivariableAnalysis u;
  u.screen = univariable_screen(table, rq);
  u.file = rq.csv.string();
  u.ties = rq.cox.ties;
  u.conf_level = rq.cox.conf_level;
  u.screen_p = rq.screen_p;
  u.multivariable_asked = rq.multivariable;
  const auto& selected = u.screen.selected;
  if (!rq.multivariable || selected.empty()) return u;
  CoxRequest m;
  m.csv = rq.csv;
  m.columns = rq.columns;
  m.columns.group.clear();
  m.covariates.covariates = selected;
  for (const auto& f : rq.candidates.factors)
    if (std::find(selected.begin(), selected.end(), f) != selected.end()) m.covariates.factors.push_back(f);
  m.cox = rq.cox;
  m.step = rq.step;
  u.multivariable = cox_analysis(table, m);
  return u;
}

}  // namespace sirtkit::pipelines
