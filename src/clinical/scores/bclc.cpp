#include "clinical/scores/bclc.h"

#include <cctype>
#include <string>

#include "clinical/units.h"
#include "core/text.h"
#include "core/error.h"
#include "core/format.h"

namespace sirtkit::clinical {

LiverFunction parse_liver_function(std::string_view text) {
  const std::string t = ascii_lower(text);
  if (t == "preserved") return LiverFunction::preserved;
  if (t == "end-stage" || t == "end_stage" || t == "endstage") return LiverFunction::end_stage;
  fail_input("value", "liver-function", shown_value(text), "preserved or end-stage");
}

RuleResult bclc(const BclcInput& in) {
  // ECOG 5 (dead) cannot be staged.
  require_int_range("BCLC", "ecog", in.ecog, 0, 4);
  require_int_range("BCLC", "nodules", in.nodules, 1, 1000);
  require_range("BCLC", "largest_nodule", in.largest_nodule_cm, 0, 50, "cm");
  RuleResult r;
  r.rule = "BCLC";
  r.source = "Reig M et al., J Hepatol 2022;76:681-693, Figure 1";
  r.inputs = {
      {"ecog", double(in.ecog), "", "", {}},
      {"nodules", double(in.nodules), "", "", {}},
      {"largest_nodule", in.largest_nodule_cm, "cm", "", {}},
      {"macrovascular_invasion", 0, "", in.macrovascular_invasion ? "yes" : "no", {}},
      {"extrahepatic_spread", 0, "", in.extrahepatic_spread ? "yes" : "no", {}},
      {"liver_function", 0, "", in.liver_function == LiverFunction::preserved ? "preserved" : "end-stage", {}},
  };
  char stage;
  std::string why;
  // Precedence top-down (§2.4):
  if (in.ecog >= 3 || in.liver_function == LiverFunction::end_stage) {
    stage = 'D';  // ECOG 3-4 or end-stage liver function → D
    why = in.ecog >= 3 ? "ECOG 3-4" : "end-stage liver function";
  } else if (in.macrovascular_invasion || in.extrahepatic_spread) {
    stage = 'C';  // portal invasion and/or extrahepatic spread → C
    why = in.macrovascular_invasion ? "macrovascular invasion" : "extrahepatic spread";
  } else if (in.ecog >= 1) {
    stage = 'C';  // ECOG 1-2 (cancer-related) → C regardless of tumour burden
    why = "ECOG 1-2";
  } else if (in.nodules == 1 && less_equal(in.largest_nodule_cm, 2.0)) {
    stage = '0';  // single ≤ 2 cm, PS 0, preserved liver function
    why = "single nodule <= 2 cm";
  } else if (in.nodules == 1 || (in.nodules <= 3 && less_equal(in.largest_nodule_cm, 3.0))) {
    stage = 'A';  // single (any size) or ≤ 3 nodules each ≤ 3 cm
    why = in.nodules == 1 ? "single nodule > 2 cm" : "2-3 nodules, each <= 3 cm";
  } else {
    stage = 'B';  // multinodular beyond A, no invasion/spread, PS 0
    why = "multinodular beyond BCLC A";
  }
  r.category = std::string("BCLC ") + stage;
  r.value = stage == '0' ? 0 : stage - 'A' + 1;
  r.details = {{"stage", std::string(1, stage)}};
  r.notes.push_back(why);
  r.notes.push_back("ECOG must reflect cancer-related symptoms; liver function is the clinician's "
                    "preserved/end-stage call");
  return r;
}

}  // namespace sirtkit::clinical
