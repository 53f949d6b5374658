#pragma once
// Okuda staging (Okuda K et al., Cancer 1985;56:918-928). clinical-rules.md §2.6.

#include "clinical/rule_result.h"

namespace sirtkit::clinical {

struct OkudaInput {
  bool tumour_over_50_percent = false;
  bool ascites = false;
  double albumin_g_dl = 0;
  double bilirubin_mg_dl = 0;
};

// value = number of positive criteria (0-4); category = "Okuda I" | "Okuda II" | "Okuda III".
RuleResult okuda(const OkudaInput& in);

}  // namespace sirtkit::clinical
