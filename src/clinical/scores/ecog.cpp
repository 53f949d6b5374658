#include "clinical/scores/ecog.h"

#include <string>

namespace sirtkit::clinical {

const char* ecog_description(int grade) {
  require_int_range("ECOG", "ecog", grade, 0, 5);
  // Oken 1982 (clinical-rules.md §2.8)
  static const char* kText[] = {
      "fully active, able to carry on all pre-disease performance without restriction",
      "restricted in physically strenuous activity but ambulatory and able to carry out light or sedentary work",
      "ambulatory and capable of all self-care but unable to carry out any work; up and about more than 50 % of waking hours",
      "capable of only limited self-care; confined to bed or chair more than 50 % of waking hours",
      "completely disabled; cannot carry on any self-care; totally confined to bed or chair",
      "dead",
  };
  return kText[grade];
}

RuleResult ecog(int grade) {
  RuleResult r;
  r.rule = "ECOG";
  r.notes.push_back(ecog_description(grade));
  r.value = grade;
  r.category = "ECOG " + std::to_string(grade);
  r.inputs = {{"ecog", double(grade), "", "", {}}};
  r.source = "Oken MM et al., Am J Clin Oncol 1982;5:649-655";
  return r;
}

}  // namespace sirtkit::clinical
