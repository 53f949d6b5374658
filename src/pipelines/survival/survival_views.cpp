#include "pipelines/survival/survival_views.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "io/text_formats/csv_table.h"
#include "pipelines/descriptive/csv_columns.h"
#include "pipelines/survival/survival_analysis.h"
#include "registry/derived/time_to_event.h"

namespace sirtkit::pipelines {
namespace {

struct Derived {
  io::CsvTable table;
  report::DerivedEndpoint summary;
};

// The ADTTE table (AVAL in months) of the scoped patients, parsed from the
// same text `registry derive --months --out` writes.
Derived derive(registry::Store& store, const SurvivalViewRequest& rq) {
  registry::TteOptions o = tte_options(rq.derive);
  o.site_ids = rq.scope;
  const registry::TteDataSet d = registry::derive_time_to_event(store, o);
  std::size_t events = 0;
  for (const auto& r : d.records) events += r.cnsr == 0;
  report::DerivedEndpoint summary;
  summary.paramcd = d.records.empty() ? rq.derive.endpoint : d.records.front().paramcd;
  summary.origin = rq.derive.origin;
  summary.censor_at_surgery = rq.derive.censor_at_surgery;
  summary.subjects = d.records.size();
  summary.events = events;
  summary.excluded = d.excluded.size();
  if (d.records.empty()) fail_input("registry", "patients", "0", "at least one patient with the endpoint in your sites");
  return {io::CsvTable::parse(registry::adtte_csv(d, true), "ADTTE"), std::move(summary)};
}

SurvivalColumns adtte_columns() {
  SurvivalColumns c;
  c.time = "AVAL";
  c.event = "CNSR";
  c.coding = EventCoding::cnsr;
  return c;
}

}  // namespace

std::vector<double> default_risk_times(double last_time) {
  // Every 6 months (a common grid in SIRT survival papers), every 12 for long follow-up.
  const double step = last_time > 60 ? 12 : 6;
  std::vector<double> t;
  for (double x = 0; x <= last_time; x += step) t.push_back(x);
  return t;
}

report::SurvivalKmView survival_km_view(registry::Store& store, const SurvivalViewRequest& rq) {
  const std::string group_column = analysis_group_column(rq.group, rq.derive.dose_threshold_gy);
  const Derived d = derive(store, rq);
  KmRequest km;
  km.csv = "ADTTE";
  km.columns = adtte_columns();
  km.columns.group = group_column;
  km.times = rq.times;
  if (km.times.empty()) {
    const std::size_t aval = d.table.column_index("AVAL");
    double last = 0;
    for (std::size_t r = 0; r < d.table.rows(); ++r) last = std::max(last, parse_finite_number(d.table.cell(r, aval)).value_or(0));
    km.times = default_risk_times(last);
  }
  report::SurvivalKmView out;
  out.derived = d.summary;
  out.group = rq.group;
  out.group_column = group_column;
  out.risk_times = km.times;
  out.km = km_analysis(d.table, km);
  if (!group_column.empty()) {
    LogRankRequest lr;
    lr.csv = "ADTTE";
    lr.columns = km.columns;
    try {
      out.logrank = log_rank_analysis(d.table, lr);
    } catch (const Error& e) {  // one group, or no event: no test (as `sirtkit analyze`)
      if (e.category() != ErrorCategory::bad_input) throw;
      out.logrank_refused = e.what();
    }
  }
  return out;
}

report::SurvivalCoxView survival_cox_view(registry::Store& store, const SurvivalViewRequest& rq) {
  const std::string group_column = analysis_group_column(rq.group, rq.derive.dose_threshold_gy);
  CoxRequest cx;
  cx.csv = "ADTTE";
  cx.columns = adtte_columns();
  if (rq.covariates.empty() && !group_column.empty()) cx.covariates.covariates.push_back(group_column);
  for (const auto& c : rq.covariates) cx.covariates.covariates.push_back(analysis_covariate_column(c, rq.derive.dose_threshold_gy));
  for (const auto& f : rq.factors) cx.covariates.factors.push_back(analysis_covariate_column(f, rq.derive.dose_threshold_gy));
  if (cx.covariates.covariates.empty()) fail_input("analysis", "covariates", "(none)", "at least one covariate (or a group other than none)");
  cx.cox.ties = stats::parse_ties(rq.ties);
  const Derived d = derive(store, rq);
  return {d.summary, cox_analysis(d.table, cx)};
}

}  // namespace sirtkit::pipelines
