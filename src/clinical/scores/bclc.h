#pragma once
// BCLC staging, 2022 update (Reig M et al., J Hepatol 2022;76:681-693), from explicit
// inputs. clinical-rules.md §2.4. Liver function is an explicit input because the 2022
// update replaced the hard Child-Pugh wording by "preserved" vs "end-stage" liver function
// (a clinician's call for Child-Pugh B); sirtkit does not derive it.

#include <string_view>

#include "clinical/rule_result.h"

namespace sirtkit::clinical {

enum class LiverFunction { preserved, end_stage };
LiverFunction parse_liver_function(std::string_view text);  // preserved | end-stage

struct BclcInput {
  int ecog = 0;                     // ECOG PS 0-4 (cancer-related)
  int nodules = 0;                  // number of HCC nodules (>= 1)
  double largest_nodule_cm = 0;     // largest diameter
  bool macrovascular_invasion = false;  // portal / hepatic vein invasion
  bool extrahepatic_spread = false;     // nodes or metastases
  LiverFunction liver_function = LiverFunction::preserved;
};

// category = "BCLC 0" | "BCLC A" | "BCLC B" | "BCLC C" | "BCLC D"; value = 0..4.
RuleResult bclc(const BclcInput& in);

}  // namespace sirtkit::clinical
