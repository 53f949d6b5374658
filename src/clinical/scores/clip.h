#pragma once
// CLIP score (Cancer of the Liver Italian Program investigators, Hepatology 1998;28:751-755).
// clinical-rules.md §2.5.

#include <string_view>

#include "clinical/rule_result.h"

namespace sirtkit::clinical {

enum class TumourMorphology { uninodular, multinodular, massive };
TumourMorphology parse_morphology(std::string_view text);  // uninodular | multinodular | massive

struct ClipInput {
  char child_pugh_class = 'A';  // 'A', 'B' or 'C'
  TumourMorphology morphology = TumourMorphology::uninodular;
  bool extension_over_50_percent = false;  // tumour replaces > 50 % of the liver
  double afp_ng_ml = 0;
  bool portal_vein_thrombosis = false;
};

// value = 0..6; category = "CLIP <n>".
RuleResult clip(const ClipInput& in);

}  // namespace sirtkit::clinical
