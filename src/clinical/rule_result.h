#pragma once
// The common answer of every clinical rule: the value, its category, the inputs the
// rule actually used (in the units it used them) and the rule's source.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sirtkit::clinical {

struct InputUsed {
  std::string name;           // "bilirubin"
  double value = 0;           // in `unit`
  std::string unit;           // "mg/dL"; empty for dimensionless or categorical inputs
  std::string text;           // categorical value or note ("moderate-severe", "clamped to 1.0")
  std::optional<int> points;  // points this input contributed, where the rule adds points
};

struct RuleResult {
  std::string rule;      // "Child-Pugh"
  double value = 0;      // points or score
  std::string category;  // "A5", "grade 2b", "BCLC B"
  std::vector<InputUsed> inputs;
  std::string source;    // citation
  std::vector<std::string> notes;  // conventions applied (boundary choices, clamps)
  // Named parts of the answer for machine readers ("class" = "A", "points" = "6").
  std::vector<std::pair<std::string, std::string>> details;
};

// Fails with bad_input unless lo < value <= hi (lo exclusive, hi inclusive) and finite.
void require_range(std::string_view rule, std::string_view field, double value, double lo_exclusive,
                   double hi_inclusive, std::string_view unit);
// Fails unless value is an integer in [lo, hi].
void require_int_range(std::string_view rule, std::string_view field, int value, int lo, int hi);

// Yes/no words accepted everywhere: yes/no, y/n, true/false, 1/0 (case-insensitive).
bool parse_yes_no(std::string_view text, std::string_view field);

}  // namespace sirtkit::clinical
