#pragma once
// Text and JSON of trial eligibility (`sirtkit eligible`): each patient's
// verdict and every criterion's, and the count of eligible patients.

#include <string>
#include <vector>

#include "clinical/eligibility.h"

namespace sirtkit::report {

struct EligibilityReport {
  clinical::RuleSet rules;
  std::vector<clinical::EligibilityResult> patients;
};

std::string eligibility_text(const EligibilityReport& r);
std::string eligibility_json(const EligibilityReport& r);

}  // namespace sirtkit::report
