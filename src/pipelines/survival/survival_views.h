#pragma once
// The registry's survival analyses for the server's analysis pages
// (GET /api/analysis/km and /api/analysis/cox): the endpoint is derived
// (registry/derived/time_to_event.h) for the patients of the caller's sites only, and
// the ADTTE data set (AVAL in months) goes through the same reader and the
// same Kaplan-Meier, log-rank and Cox code as `sirtkit analyze` and as
// `sirtkit km | logrank | cox` on the file of `sirtkit registry derive
// --months`: the numbers are the ones those commands print. No subject-level
// row leaves this function (curves, tests and model terms only; the excluded
// patients as a count), so the answer suits a de-identified reader.
// report/survival/survival_views.h writes the JSON.

#include <string>
#include <vector>

#include "pipelines/registry/registry_jobs.h"
#include "registry/derived/patient_view.h"
#include "registry/store/store.h"
#include "report/survival/survival_views.h"

namespace sirtkit::pipelines {

struct SurvivalViewRequest {
  RegistryDeriveRequest derive;  // endpoint, origin, censoring, dose options, study (db, out, months ignored)
  registry::SiteScope scope;     // the caller's sites (nullopt: every site)
  std::string group = "arm";     // arm | site | dose (needs derive.dose_threshold_gy) | none
  // Kaplan-Meier: times (months) for survival and number at risk; empty → 0
  // and every 6 months up to the last time (every 12 beyond 60 months).
  std::vector<double> times;
  // Cox: covariates by name (pipelines/registry/registry_jobs.h analysis_covariate_column); empty → the group.
  std::vector<std::string> covariates;
  std::vector<std::string> factors;
  std::string ties = "efron";
};

// The derived endpoint, its Kaplan-Meier curves and (with a group) log-rank test.
report::SurvivalKmView survival_km_view(registry::Store& store, const SurvivalViewRequest& request);
// The derived endpoint and the Cox model.
report::SurvivalCoxView survival_cox_view(registry::Store& store, const SurvivalViewRequest& request);

// The default number-at-risk times of a follow-up of `last_time` months.
std::vector<double> default_risk_times(double last_time);

}  // namespace sirtkit::pipelines
