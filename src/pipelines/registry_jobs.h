#pragma once
// The registry jobs behind `sirtkit registry init | import | export`: open the
// store, run the registry layer, write files atomically, and produce a
// readable summary and the machine form (JSON). The CLI only parses
// arguments and prints what these functions return.

#include <nlohmann/json.hpp>
#include <string>

namespace sirtkit::pipelines {

struct RegistryOutput {
  bool ok = true;        // false: bad input reported in text/json (exit code 2)
  std::string text;      // readable summary (or the list of problems)
  nlohmann::json json;   // machine form
};

// Creates the registry (SQLite file or PostgreSQL database) or applies the
// missing migrations of an existing one.
RegistryOutput registry_init(const std::string& db);

struct RegistryImportRequest {
  std::string db;
  std::string data;        // REDCap raw export (CSV)
  std::string dictionary;  // its data dictionary (CSV)
  std::string key;         // key file; empty → $SIRTKIT_REGISTRY_KEY
  std::string study = "default";
  std::string actor;       // empty → the OS user name
  bool pseudonymised = false;  // a sirtkit export being imported again (no key)
  bool dry_run = false;        // validate only
};
RegistryOutput registry_import(const RegistryImportRequest& rq);

struct RegistryExportRequest {
  std::string db;
  std::string out;             // data CSV
  std::string dictionary_out;  // empty → <out stem>_dictionary.csv beside it
  std::string study;           // empty → every study
};
RegistryOutput registry_export(const RegistryExportRequest& rq);

struct RegistryDeriveRequest {
  std::string db;
  std::string endpoint = "os";   // os | pfs | ttp
  std::string origin = "index";  // index | first-treatment
  bool censor_at_surgery = false;
  bool months = false;           // AVAL in months instead of days
  std::string dose_source = "planned";  // planned | verified tumour dose for TDOSE
  double dose_threshold_gy = 0;         // > 0: TDOSEGR groups
  std::string study;
  std::string out;               // ADTTE CSV; empty → only the summary
};
RegistryOutput registry_derive(const RegistryDeriveRequest& rq);

// `sirtkit analyze`: derives the endpoint from the registry and runs
// Kaplan-Meier (and the log-rank test when there are two or more groups) on
// it, without an intermediate file for the user. Times in months.
struct RegistryAnalyzeRequest {
  RegistryDeriveRequest derive;  // db, endpoint, origin, censoring, dose options (out ignored)
  std::string group = "arm";     // arm | site | dose (needs derive.dose_threshold_gy) | none
};
RegistryOutput registry_analyze(const RegistryAnalyzeRequest& rq);

// Writes the synthetic DOSISPHERE-like demo cohort (registry/demo_cohort.h)
// into `dir`: demo_export.csv, demo_dictionary.csv, demo.key.
RegistryOutput registry_demo(const std::string& dir);

}  // namespace sirtkit::pipelines
