#pragma once
// Text and JSON of the randomisation jobs (`sirtkit randomise init | allocate
// | list`, the server's randomise and eligibility answers): the values
// pipelines/trial/randomisation_jobs returns. None of them holds the seed;
// only its SHA-256 is shown.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clinical/eligibility.h"
#include "stats/trial/randomisation.h"

namespace sirtkit::report {

// One allocation as the registry stores it.
struct Allocation {
  long long sequence = 0;
  long long patient_id = 0;
  std::string scheme;      // scheme code
  std::string pseudonym;
  std::string site;        // site code ("" without a site)
  std::string arm;         // arm code
  std::string levels;      // "name=level;..." in factor order
  std::string allocated_at;
  std::string allocated_by;
};
nlohmann::json allocation_json(const Allocation& a);

struct RandomiseOutcome {
  enum class Status { allocated, not_eligible, undetermined, already_randomised };
  Status status = Status::allocated;
  Allocation allocation;                            // the new one, or the existing one
  std::string rules;                                // name of the eligibility rule set
  std::vector<clinical::CriterionResult> criteria;  // failing (not_eligible) or unknown (undetermined)
};
const char* randomise_status_name(RandomiseOutcome::Status s);  // allocated, not_eligible, undetermined, already_randomised
// `show_existing`: the caller may be told the arm of an earlier allocation.
nlohmann::json outcome_json(const RandomiseOutcome& o, bool show_existing);
std::string outcome_text(const RandomiseOutcome& o, bool show_existing);

// A patient's eligibility under one scheme's rule set.
struct SchemeEligibility {
  std::string scheme;  // code
  clinical::EligibilityResult result;
  std::string rules;   // name of the rule set
};
nlohmann::json eligibility_json(const std::vector<SchemeEligibility>& e);

// A scheme as created (`randomise init`): no seed, its SHA-256.
struct SchemeSummary {
  std::string code, study;
  stats::RandomisationMethod method = stats::RandomisationMethod::permuted_blocks;
  std::vector<std::string> arms;
  std::vector<int> ratio;
  std::vector<std::pair<std::string, std::size_t>> factors;  // name, number of levels
  std::string seed_sha256, created_at;
};
nlohmann::json scheme_json(const SchemeSummary& s);
std::string scheme_text(const SchemeSummary& s);

struct ReplayResult {
  std::string scheme;
  std::string seed_sha256;
  long long allocations = 0;
  std::vector<long long> mismatches;  // sequence numbers whose stored arm differs from the replay
  bool ok() const { return mismatches.empty(); }
};

// `randomise list [--replay]`: a scheme's allocations and, when asked, the replay.
struct AllocationList {
  std::string scheme;
  std::vector<Allocation> allocations;
  std::optional<ReplayResult> replay;
  bool ok() const { return !replay || replay->ok(); }
};
nlohmann::json allocation_list_json(const AllocationList& l);
std::string allocation_list_text(const AllocationList& l);

}  // namespace sirtkit::report
