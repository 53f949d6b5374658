#pragma once
// Best overall response from time-point responses, without and with confirmation of
// CR/PR (RECIST 1.1 §4.4; deterministic rules of pharmaverse/admiralonco
// derive_param_bor / derive_param_confirmed_bor, clinical-rules.md §1.1).

#include <optional>
#include <string>
#include <vector>

#include "clinical/date.h"
#include "clinical/response/response.h"

namespace sirtkit::clinical {

struct TimedResponse {
  Date date;
  Response response = Response::ne;
};

struct BorOptions {
  Date reference;              // treatment start (or randomisation)
  int sd_min_days = 42;        // SD (and NON-CR/NON-PD) must be >= this many days after reference
  int confirm_days = 28;       // CR/PR confirmed by a repeat assessment >= this many days later
  int max_ne_between = 1;      // NE allowed between a response and its confirmation
  bool accept_sd_between = false;  // PR: accept one SD between the PR and its confirmation
  // Non-target disease only (no target lesion at baseline): an unconfirmed CR counts as
  // NON-CR/NON-PD, not SD (RECIST 1.1 Table 5; admiralonco derive_param_confirmed_bor).
  bool non_target_only = false;
};

struct BestResponse {
  Response response = Response::missing;
  std::optional<Date> date;  // date of the assessment giving the best response (earliest on ties)
  std::string reason;
};

// Assessments must be in strictly increasing date order (else bad_input) and on or after
// the reference date. Only assessments up to and including the first PD count.
BestResponse best_overall_response(const std::vector<TimedResponse>& tps, const BorOptions& opt);
BestResponse confirmed_best_overall_response(const std::vector<TimedResponse>& tps, const BorOptions& opt);

}  // namespace sirtkit::clinical
