#pragma once
// The registry jobs behind `sirtkit registry init | import | export | derive
// | purge | demo` and `sirtkit analyze`: open the store, run the registry
// layer, write files atomically, and return what was done as a value, which
// report/registry/ renders as a readable summary and as JSON. The CLI only
// parses arguments and prints.

#include <string>
#include <vector>

#include "registry/derived/time_to_event.h"
#include "report/registry/derived_data_sets.h"
#include "report/registry/registry_store_jobs.h"

namespace sirtkit::report {
// report/registry/registry_analysis.h: declared only, so that this header does
// not pull in Eigen (whose `_res` clashes with <resolv.h> in the server's sources).
struct RegistryAnalysis;
}  // namespace sirtkit::report

namespace sirtkit::pipelines {

// Creates the registry (SQLite file or PostgreSQL database) or applies the
// missing migrations of an existing one.
report::RegistryInit registry_init(const std::string& db);

struct RegistryImportRequest {
  std::string db;
  std::string data;        // REDCap raw export (CSV), or a plain CSV with `mapping`
  std::string dictionary;  // its data dictionary (CSV)
  std::string mapping;     // instead of a dictionary: a mapping file (TOML) for a plain CSV (registry/import/csv_mapping.h)
  std::string key;         // key file; empty → $SIRTKIT_REGISTRY_KEY
  std::string study = "default";
  std::string actor;       // empty → the OS user name
  bool pseudonymised = false;  // a sirtkit export being imported again (no key)
  bool dry_run = false;        // validate only
  bool update = false;         // update records already in the registry (audit trail: old and new rows)
};
report::RegistryImport registry_import(const RegistryImportRequest& rq);

struct RegistryExportRequest {
  std::string db;
  std::string out;             // data CSV
  std::string dictionary_out;  // empty → <out stem>_dictionary.csv beside it
  std::string study;           // empty → every study
};
report::RegistryExport registry_export(const RegistryExportRequest& rq);

struct RegistryDeriveRequest {
  std::string db;
  std::string endpoint = "os";   // os | pfs | ttp | response
  std::string origin = "index";  // index | first-treatment
  bool censor_at_surgery = false;
  bool months = false;           // AVAL in months instead of days
  std::string dose_source = "planned";  // planned | verified tumour dose for TDOSE
  double dose_threshold_gy = 0;         // > 0: TDOSEGR groups
  double normal_liver_threshold_gy = 0; // > 0: NLDOSEGR groups
  std::string study;
  std::string out;               // ADTTE (or, for response, ADRS) CSV; empty → only the summary
  // endpoint response (registry/derived/tumour_response.h):
  std::string criteria = "recist";  // recist | mrecist
  std::vector<int> at_days;         // landmark days after the first treatment
  int window_days = 30;             // ± around each landmark
};
report::RegistryDerivation registry_derive(const RegistryDeriveRequest& rq);
// The derivation options of a request (endpoint, origin, censoring, dose; checked).
registry::TteOptions tte_options(const RegistryDeriveRequest& rq);

// `sirtkit analyze`: derives the endpoint from the registry and runs
// Kaplan-Meier (and the log-rank test when there are two or more groups) on
// it, or with `cox` a Cox model, without an intermediate file for the user.
// Times in months. The same code and numbers as `sirtkit km | logrank | cox`
// on the ADTTE file of `registry derive --months`.
struct RegistryAnalyzeRequest {
  RegistryDeriveRequest derive;  // db, endpoint, origin, censoring, dose options (out ignored)
  std::string group = "arm";     // arm | site | dose (needs derive.dose_threshold_gy) | none
  bool cox = false;              // a Cox model instead of Kaplan-Meier / log-rank
  // Cox covariates by name (arm, site, age, sex, ecog, child_pugh, bclc, pvi,
  // worst_ae, dose, dose_group) or ADTTE column; empty → the group.
  std::vector<std::string> covariates;
  std::vector<std::string> factors;  // covariates to treat as categorical
  std::string ties = "efron";        // efron | breslow
};
report::RegistryAnalysis registry_analyze(const RegistryAnalyzeRequest& rq);
// The ADTTE column of an analysis group (arm, site, dose, none → "") and of a
// Cox covariate by its plain name (or the column itself); shared by `analyze`
// and the server's analysis pages (pipelines/survival/survival_views.h).
std::string analysis_group_column(const std::string& group, double dose_threshold_gy);
std::string analysis_covariate_column(const std::string& name, double dose_threshold_gy);

// `sirtkit registry purge`: removes a value from its row and from the audit
// trail, records the purge (who, when, why; not the value) in purge_log and
// rewrites the storage (registry/store/purge.h).
struct RegistryPurgeRequest {
  std::string db;
  std::string table;
  std::string field;        // column of `table`
  long long row = -1;       // row id (>= 0), or
  std::string record;       // a patient's pseudonym: every row of that patient in `table`
  std::string reason;
  std::string actor;        // empty → the OS user name
};
report::RegistryPurge registry_purge(const RegistryPurgeRequest& rq);

// Writes the synthetic DOSISPHERE-like demo cohort (registry/demo_cohort.h)
// into `dir`: demo_export.csv, demo_dictionary.csv, demo.key.
report::RegistryDemoFiles registry_demo(const std::string& dir);

// `sirtkit serve --demo`: creates (or migrates) the registry `db` and imports
// the same demo cohort into it, unless it already holds patients (then it
// imports nothing and says so: a second start keeps the data entered since).
report::RegistryDemoLoad registry_load_demo(const std::string& db);

}  // namespace sirtkit::pipelines
