#pragma once
// Randomisation schemes and allocations in the registry (migration 6; docs/randomisation.md).
// A scheme is written once with its seed (in randomisation_seeds, outside the audit trail)
// and the SHA-256 of the seed (in the audited scheme row). Allocations are append-only:
// one per patient, numbered 1, 2, ... within the scheme, and the patient's arm is set in
// the same transaction. Every function works inside the caller's transaction.

#include <optional>
#include <string>
#include <vector>

#include "registry/store/store.h"
#include "stats/trial/randomisation.h"

namespace sirtkit::registry {

struct StoredRandomisationScheme {
  long long id = 0;
  std::string code;
  std::string study;                       // study code
  stats::RandomisationScheme scheme;       // with the seed: never leaves the pipelines
  std::vector<std::string> factor_fields;  // registry field of each factor ("" = given at allocation)
  std::string eligibility_rules;           // TOML text of the rule set checked before allocation
  std::string seed_sha256;
  std::string created_at;
};

// Registry fields a factor can read: site (the patient's site code), sex, diagnosis, ecog,
// child_pugh_class, bclc_stage, cirrhosis, portal_vein_invasion, extrahepatic_disease
// (yes/no for the last three).
const std::vector<std::string>& randomisation_factor_fields();

// Inserts the scheme and its seed, and the arms missing from the study. The study must
// exist (bad input naming it otherwise); a code already used is bad input.
long long insert_randomisation_scheme(Store& store, StoredRandomisationScheme& s);

// nullopt when no scheme has that code. Reads the seed.
std::optional<StoredRandomisationScheme> find_randomisation_scheme(Store& store, const std::string& code);
// The codes of every scheme (of one study when `study` is not empty), in creation order.
std::vector<std::string> randomisation_scheme_codes(Store& store, const std::string& study = "");

struct StoredAllocation {
  long long sequence = 0;
  long long patient_id = 0;
  std::string scheme;      // scheme code
  std::string pseudonym;
  std::string site;        // site code ("" without a site)
  std::string arm;         // arm code
  std::string levels;      // "name=level;..." in factor order (the stratum of permuted blocks)
  std::string allocated_at;
  std::string allocated_by;
};

// Every allocation of a scheme, by sequence number.
std::vector<StoredAllocation> scheme_allocations(Store& store, long long scheme_id);
// The allocation of a patient under any scheme, if any.
std::optional<StoredAllocation> patient_allocation(Store& store, long long patient_id);

// Records the allocation and sets the patient's arm (both audited).
void insert_allocation(Store& store, long long scheme_id, const StoredAllocation& a);

}  // namespace sirtkit::registry
