#pragma once
// Trial eligibility written as data: each criterion is one condition (or several that
// must all hold) on a field of the patient record, with an operator, a threshold and its
// unit, or a set of accepted values. Inclusion criteria must hold; exclusion criteria must
// not. A verdict per criterion says why. A missing value is never guessed: the criterion
// is "unknown" and, when required, the patient is "undetermined" rather than eligible.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sirtkit::clinical {

enum class CompareOp { lt, le, gt, ge, eq, ne, in, not_in };
CompareOp parse_compare_op(const std::string& text, const std::string& where);  // < <= > >= == != in not_in
const char* compare_op_name(CompareOp op);

struct Condition {
  std::string field;                // column of the patient record
  CompareOp op = CompareOp::eq;
  std::optional<double> threshold;  // numeric comparison
  std::string unit;                 // unit of threshold; the patient value must carry a convertible unit
  std::string analyte;              // enables mass ↔ molar conversion (bilirubin, creatinine)
  std::vector<std::string> values;  // categorical comparison (case-insensitive)
};

struct Criterion {
  std::string id;
  std::string description;
  bool exclusion = false;           // exclusion: the patient is excluded when the conditions hold
  bool required = true;             // a missing value makes the patient "undetermined"
  std::vector<Condition> conditions;  // all must hold
  std::string where;                // origin in the rule file, for messages
};

struct RuleSet {
  std::string name;
  std::string source;
  std::vector<Criterion> criteria;
};

enum class Verdict { pass, fail, unknown };
const char* verdict_name(Verdict v);  // "pass", "fail", "unknown" (the patient passes the criterion)

struct CriterionResult {
  std::string id;
  Verdict verdict = Verdict::unknown;
  bool required = true;
  std::string reason;  // "largest_lesion = 8.2 cm > 7 cm"
};

struct EligibilityResult {
  std::string patient_id;
  std::string verdict;  // "eligible", "not eligible", "undetermined"
  std::vector<CriterionResult> criteria;
};

// Checks a rule set for consistency (operators matching threshold/values, units present
// for numeric thresholds where needed); bad_input naming the criterion otherwise.
void validate_rules(const RuleSet& rules);

// `record` maps field → cell text ("8.2 cm", "A", "yes"); absent or empty/NA = missing.
// A value that cannot be read or converted (wrong unit) is bad_input naming `where`.
EligibilityResult evaluate_eligibility(const RuleSet& rules, const std::string& patient_id,
                                       const std::map<std::string, std::string>& record, const std::string& where);

}  // namespace sirtkit::clinical
