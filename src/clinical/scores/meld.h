#pragma once
// MELD and MELD-Na (OPTN Policy 9.1, 2016-2023) and MELD 3.0 (Kim et al.,
// Gastroenterology 2021;161:1887; OPTN from July 2023). clinical-rules.md §2.3.

#include "clinical/rule_result.h"

namespace sirtkit::clinical {

struct MeldInput {
  double creatinine_mg_dl = 0;
  double bilirubin_mg_dl = 0;
  double inr = 0;
  double sodium_mmol_l = 0;  // used by MELD-Na and MELD 3.0 only
  double albumin_g_dl = 0;   // used by MELD 3.0 only
  bool dialysis = false;     // ≥ 2 dialyses or ≥ 24 h CVVHD in the week before the creatinine
  bool female = false;       // MELD 3.0 only
};

// MELD (2002-2016): integer in [6, 40].
RuleResult meld(const MeldInput& in);
// MELD-Na (OPTN 2016): integer in [6, 40].
RuleResult meld_na(const MeldInput& in);
// MELD 3.0: integer; capped at 40 when `cap_at_40` (OPTN policy; the derivation paper does not cap).
RuleResult meld3(const MeldInput& in, bool cap_at_40 = true);

// Round half away from zero (OPTN; not banker's rounding).
int round_half_away(double x);

}  // namespace sirtkit::clinical
