#pragma once
// Text and JSON of `sirtkit registry derive`: the ADaM ADTTE time-to-event
// data set (OS, PFS, TTP) and the ADRS tumour-response data set, from the
// counts pipelines/registry/registry_jobs takes of them.

#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "report/command_output.h"

namespace sirtkit::report {

using ExcludedSubjects = std::vector<std::pair<std::string, std::string>>;  // pseudonym, reason

struct TteDerivation {
  std::string location;
  std::string paramcd;  // OS, PFS, TTP (the endpoint asked for when no record)
  std::string origin;   // index | first-treatment
  bool censor_at_surgery = false;
  std::size_t subjects = 0, events = 0;
  ExcludedSubjects excluded;
  std::string out;      // the ADTTE file written; "" = none
  bool months = false;  // AVAL in months (else days)
};
CommandOutput tte_derivation_output(const TteDerivation& d);
// The summary without the "wrote" line (sirtkit analyze: the file is its own temporary one).
std::string tte_derivation_summary(const TteDerivation& d);

struct ResponseDerivation {
  std::string location;
  std::string criteria;  // "RECIST 1.1" or "mRECIST"
  int subjects = 0, objective_response = 0, disease_control = 0;
  std::map<std::string, int> best_overall_response;                   // AVALC -> n
  std::map<std::string, std::map<std::string, int>> landmarks;       // AVISIT ("DAY 90") -> AVALC -> n
  std::vector<int> at_days;                                           // the landmark days asked for
  ExcludedSubjects excluded;
  std::string out;  // the ADRS file written; "" = none
};
CommandOutput response_derivation_output(const ResponseDerivation& d);

// What `registry derive` did: a time-to-event or a tumour-response data set.
using RegistryDerivation = std::variant<TteDerivation, ResponseDerivation>;
CommandOutput registry_derivation_output(const RegistryDerivation& d);

}  // namespace sirtkit::report
