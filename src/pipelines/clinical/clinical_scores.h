#pragma once
// `sirtkit score <rule>`: turns the user's option strings (values with units,
// yes/no, grades) into a clinical rule's inputs and evaluates it. A missing
// required option or a value without its unit is a bad-input error, never a default.

#include <map>
#include <string>
#include <vector>

#include "clinical/rule_result.h"
#include "report/clinical/clinical_scores.h"

namespace sirtkit::pipelines {

// Option names (without "--") each rule requires and accepts.
struct ScoreSpec {
  std::string rule;                     // "child-pugh"
  std::string summary;                  // one line for --help
  std::vector<std::string> required;    // e.g. "bilirubin"
  std::vector<std::string> optional;    // e.g. "dialysis"
  std::vector<std::string> flags;       // boolean switches, e.g. "no-cap"
};
const std::vector<ScoreSpec>& score_specs();

// `options` maps option name → text as given ("1.2mg/dL", "yes", "2"); flags map to "true".
clinical::RuleResult run_score(const std::string& rule, const std::map<std::string, std::string>& options);

// Batch mode: one patient per CSV row, a column per option name (values with units,
// as on the command line) plus patient_id. Errors name the file line.
// Rendered by report/clinical/clinical_scores.h.
using report::ScoreRow;
std::vector<ScoreRow> run_score_csv(const std::string& rule, const std::string& csv_text, const std::string& source);
std::vector<ScoreRow> run_score_csv_file(const std::string& rule, const std::string& path);

}  // namespace sirtkit::pipelines
