#pragma once
// Child-Pugh score (Pugh et al., Br J Surg 1973;60:646), clinical-rules.md §2.1.

#include <optional>
#include <string_view>

#include "clinical/rule_result.h"

namespace sirtkit::clinical {

enum class Ascites { none, mild, moderate_severe };
enum class Encephalopathy { none, grade_1_2, grade_3_4 };

// none | mild | slight | moderate | severe | tense | moderate-severe
Ascites parse_ascites(std::string_view text);
// none | 0 | 1 | 2 | 3 | 4 | grade1-2 | grade3-4 | 1-2 | 3-4
Encephalopathy parse_encephalopathy(std::string_view text);

struct ChildPughInput {
  double bilirubin_mg_dl = 0;  // total bilirubin
  double albumin_g_dl = 0;
  double inr = 0;  // INR; or, when inr is 0, pt_prolongation_s below
  Ascites ascites = Ascites::none;
  Encephalopathy encephalopathy = Encephalopathy::none;
  std::optional<double> pt_prolongation_s;  // PT seconds above control (< 4 s 1, 4-6 s 2, > 6 s 3)
};

// value = total points 5-15; category = class letter + points ("A5", "B7", "C10").
RuleResult child_pugh(const ChildPughInput& in);

// Class letter of a total: A 5-6, B 7-9, C 10-15.
char child_pugh_class(int points);

}  // namespace sirtkit::clinical
