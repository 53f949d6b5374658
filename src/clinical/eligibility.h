#pragma once
// Trial eligibility written as data: each criterion is one condition, or a group of
// conditions that must all hold (AND) or of which one must hold (OR, any depth), on fields
// of the patient record: a number with its unit against a threshold, an answer against a
// list of answers, or the days between two dates. Inclusion criteria must hold; exclusion
// criteria must not. A verdict per criterion says why.
//
// What counts as an answer is explicit. Each field has a domain (declared in the rule file,
// built in for well-known fields such as ecog or child_pugh_class, or by the dimension of
// its unit): an empty cell, NA, or any non-answer ("unknown", "N/A", "not assessed", "?",
// "pending", ...) makes the criterion "unknown", so the patient is "undetermined" and never
// passes an exclusion by default. A value no living patient can have (a lung dose of -35 Gy,
// ECOG -1, an age of 200 years, 150 % of the liver, Child-Pugh "D") is bad input.
// Three-valued (Kleene) logic: AND is false if any part is false, OR true if any part is true,
// otherwise unknown when a part is unknown.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sirtkit::clinical {

enum class CompareOp { lt, le, gt, ge, eq, ne, in, not_in };
CompareOp parse_compare_op(const std::string& text, const std::string& where);  // < <= > >= == != in not_in
const char* compare_op_name(CompareOp op);

struct Condition {
  std::string field;                // column of the patient record (date_to for a date condition)
  CompareOp op = CompareOp::eq;
  std::optional<double> threshold;  // numeric comparison
  std::string unit;                 // unit of threshold; the patient value must carry a convertible unit
  std::string analyte;              // enables mass ↔ molar conversion (bilirubin, creatinine)
  std::vector<std::string> values;  // categorical comparison (case-insensitive)
  // Date condition: the value compared is the number of days from the date in column
  // `date_from` to the date in column `field` (YYYY-MM-DD); threshold in days or weeks.
  std::string date_from;
  // A group instead of a comparison: all children must hold (all) or one of them (any).
  enum class Group { none, all, any };
  Group group = Group::none;
  std::vector<Condition> children;
};

struct Criterion {
  std::string id;
  std::string description;
  bool exclusion = false;           // exclusion: the patient is excluded when the conditions hold
  bool required = true;             // an unknown value makes the patient "undetermined"
  std::vector<Condition> conditions;  // all must hold
  std::string where;                // origin in the rule file, for messages
};

// What a valid answer of a field is.
struct FieldDomain {
  std::vector<std::string> allowed;  // categorical answers (case-insensitive)
  std::optional<double> min, max;    // numeric: possible values, in `unit` (bare numbers if empty)
  std::string unit;
  bool integer = false;              // e.g. ECOG 0-5: 1.5 is not an answer
  bool text = false;                 // identifier or free text: its value never appears in a message
};

struct RuleSet {
  std::string name;
  std::string source;
  std::vector<Criterion> criteria;
  std::map<std::string, FieldDomain> fields;  // declared domains (lower-case field names)
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

// Is this cell a non-answer (empty, NA, unknown, N/A, not assessed, ?, pending, ...)?
bool is_non_answer(const std::string& cell);

// The domain of a field: declared in `rules`, else built in for well-known names (ecog and
// performance_status 0-5 integer, age 0-130 years, child_pugh_class A/B/C, bclc_stage
// 0/A/B/C/D), else empty.
std::optional<FieldDomain> field_domain(const RuleSet& rules, const std::string& field);

// Every column a criterion reads (fields of its conditions, both columns of date conditions).
std::vector<std::string> condition_fields(const Criterion& c);

// Checks a rule set for consistency (operators matching threshold/values, units of date
// conditions, a known domain for every categorical field, values within their domain);
// bad_input naming the criterion otherwise.
void validate_rules(const RuleSet& rules);

// `record` maps field → cell text ("8.2 cm", "A", "yes"). Non-answers → unknown. A value
// that cannot be converted (wrong unit) or is impossible for its field is bad_input naming
// `where` (e.g. "patients.csv line 4"), the column and the value (not the value of a text field
// or of a date: they are patient data).
EligibilityResult evaluate_eligibility(const RuleSet& rules, const std::string& patient_id,
                                       const std::map<std::string, std::string>& record, const std::string& where);

}  // namespace sirtkit::clinical
