#pragma once
// The randomisation jobs behind `sirtkit randomise` and POST /api/patients/{id}/randomise
// (docs/randomisation.md): create a scheme from a TOML file, allocate a patient (eligibility
// first, then the scheme's method, in one transaction), list the allocations, and replay
// them from the seed for an audit. The seed never leaves these functions.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clinical/eligibility.h"
#include "registry/derived/patient_view.h"
#include "registry/store/randomisation_store.h"
#include "registry/store/store.h"
#include "report/trial/randomisation.h"

namespace sirtkit::pipelines {

// Reads a scheme file (docs/randomisation.md): code, study, arms, ratio, method, block_sizes
// or imbalance/p/random_first, [[factor]] tables, the eligibility rule file (relative to the
// scheme file) and an optional seed (64 hex digits; default: a fresh one). A factor named
// after a registry field reads it; a `site` factor without levels takes the study's sites.
registry::StoredRandomisationScheme read_randomisation_scheme(registry::Store& store, const std::filesystem::path& toml_file);

// Writes the scheme (its own transaction). Returns the stored scheme (with the seed).
registry::StoredRandomisationScheme create_randomisation_scheme(registry::Store& store, const std::filesystem::path& toml_file,
                                                                const std::string& actor);

struct RandomiseRequest {
  std::string scheme;                         // code; "" = the only scheme of the patient's study
  long long patient_id = 0;                   // the registry id (server), or
  std::string pseudonym;                      // the pseudonym (command line)
  registry::SiteScope scope;                  // the caller's sites (nullopt = all)
  std::map<std::string, std::string> levels;  // factor → level, over the registry's value
  std::map<std::string, std::string> values;  // eligibility field → value, over the registry's record
  std::string actor;
};

// What the jobs return is what report/trial/randomisation renders.
using report::RandomiseOutcome;
using report::ReplayResult;
using report::SchemeEligibility;

// Allocates one patient in its own transaction. Bad input (exit 2 / HTTP 400): an unknown
// scheme, patient (or one outside `scope`: "no such patient"), factor level or eligibility
// value; a patient of another study; a patient whose arm was set without randomisation.
RandomiseOutcome randomise_patient(registry::Store& store, const RandomiseRequest& rq);

// The patient's eligibility under the rule set of every randomisation scheme of
// its study, on the registry record alone (nothing given at allocation): what
// the patient page shows before anyone randomises. Empty without a scheme;
// bad input "no such patient" for a patient outside `scope`.
std::vector<SchemeEligibility> patient_eligibility(registry::Store& store, long long patient_id, const registry::SiteScope& scope);

// The scheme's allocations (no seed, no probabilities): sequence, pseudonym, site, arm,
// levels, when and by whom.
std::vector<registry::StoredAllocation> list_randomisation(registry::Store& store, const std::string& scheme_code);

// Re-derives every allocation from the seed and the stored sequence of factor levels.
ReplayResult replay_randomisation(registry::Store& store, const std::string& scheme_code);

// `randomise list`: the allocations and, with `replay`, the replay.
report::AllocationList randomisation_list(registry::Store& store, const std::string& scheme_code, bool replay);

// What `randomise init` shows of a created scheme (no seed).
report::SchemeSummary scheme_summary(const registry::StoredRandomisationScheme& s);
report::Allocation allocation_view(const registry::StoredAllocation& a);

}  // namespace sirtkit::pipelines
