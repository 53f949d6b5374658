#pragma once
// Response categories shared by the tumour-response criteria (RECIST 1.1, mRECIST) and
// the best-overall-response derivations.

#include <string_view>

namespace sirtkit::clinical {

enum class Response {
  cr,              // complete response
  pr,              // partial response
  sd,              // stable disease
  non_cr_non_pd,   // non-target disease only: persistence (RECIST 1.1 Table 5)
  pd,              // progressive disease
  ne,              // not evaluable
  missing,         // no assessment at all
  not_applicable,  // component absent (e.g. no non-target lesions at baseline)
};

const char* response_name(Response r);  // "CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "MISSING", "NA"
// Accepts the names above (case-insensitive); anything else is bad_input naming `field`.
Response parse_response(std::string_view text, std::string_view field);
// Best-to-worst rank for best overall response: CR 1, PR 2, SD 3, NON-CR/NON-PD 4, PD 5, NE 6,
// MISSING 7 (admiralonco's order).
int response_rank(Response r);

}  // namespace sirtkit::clinical
