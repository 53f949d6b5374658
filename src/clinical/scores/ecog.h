#pragma once
// ECOG performance status (Oken MM et al., Am J Clin Oncol 1982;5:649-655). §2.8.

#include "clinical/rule_result.h"

namespace sirtkit::clinical {

const char* ecog_description(int grade);  // 0..5
// value = grade; category = "ECOG <n>"; the note holds the definition.
RuleResult ecog(int grade);

}  // namespace sirtkit::clinical
