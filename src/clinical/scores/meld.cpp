#include "clinical/scores/meld.h"

#include <algorithm>
#include <cmath>

#include "core/format.h"

namespace sirtkit::clinical {
namespace {

const char* kMeldSource =
    "OPTN Policy 9.1 (MELD, MELD-Na 2016); Kamath PS et al., Hepatology 2001;33:464; "
    "Kim WR et al., N Engl J Med 2008;359:1018";

void check_common(const char* rule, const MeldInput& in) {
  require_range(rule, "creatinine", in.creatinine_mg_dl, 0, 30, "mg/dL");
  require_range(rule, "bilirubin", in.bilirubin_mg_dl, 0, 100, "mg/dL");
  require_range(rule, "inr", in.inr, 0.3, 20, "");
}

struct Bounded {
  double cr, bili, inr;
  std::vector<InputUsed> inputs;
};

// Lower bound 1.0 for Cr, bilirubin, INR; Cr upper bound `cr_max`; dialysis → cr_max (§2.3).
Bounded bound_labs(const MeldInput& in, double cr_max) {
  Bounded b;
  auto note = [](double given, double used) {
    return given == used ? std::string() : "given " + num(given) + ", bounded to " + num(used);
  };
  b.cr = in.dialysis ? cr_max : std::clamp(in.creatinine_mg_dl, 1.0, cr_max);
  b.bili = std::max(in.bilirubin_mg_dl, 1.0);
  b.inr = std::max(in.inr, 1.0);
  b.inputs.push_back({"creatinine", b.cr, "mg/dL",
                      in.dialysis ? "dialysis: set to " + num(cr_max) : note(in.creatinine_mg_dl, b.cr), {}});
  b.inputs.push_back({"bilirubin", b.bili, "mg/dL", note(in.bilirubin_mg_dl, b.bili), {}});
  b.inputs.push_back({"inr", b.inr, "", note(in.inr, b.inr), {}});
  return b;
}

// MELD(i) of OPTN: 10 × (0.957 ln Cr + 0.378 ln bili + 1.120 ln INR + 0.643), rounded to an
// integer ("round to the tenth decimal place and multiply by 10", §2.3).
int meld_i(const Bounded& b) {
  const double raw = 0.957 * std::log(b.cr) + 0.378 * std::log(b.bili) + 1.120 * std::log(b.inr) + 0.643;
  return round_half_away(10.0 * raw);
}

}  // namespace

int round_half_away(double x) { return static_cast<int>(std::round(x)); }

RuleResult meld(const MeldInput& in) {
  check_common("MELD", in);
  Bounded b = bound_labs(in, 4.0);  // Cr max 4.0 mg/dL, dialysis → 4.0 (OPTN 9.1)
  RuleResult r;
  r.rule = "MELD";
  r.value = std::clamp(meld_i(b), 6, 40);  // [6, 40] (OPTN 9.1)
  r.category = "MELD " + std::to_string(static_cast<int>(r.value));
  r.inputs = b.inputs;
  r.inputs.push_back({"dialysis", 0, "", in.dialysis ? "yes" : "no", {}});
  r.source = kMeldSource;
  r.notes.push_back("labs below 1.0 set to 1.0; creatinine capped at 4.0 mg/dL; rounded half away from zero; "
                    "bounded to [6, 40]");
  return r;
}

RuleResult meld_na(const MeldInput& in) {
  check_common("MELD-Na", in);
  require_range("MELD-Na", "sodium", in.sodium_mmol_l, 80, 200, "mmol/L");
  Bounded b = bound_labs(in, 4.0);
  const int mi = meld_i(b);
  const double na = std::clamp(in.sodium_mmol_l, 125.0, 137.0);  // Na bounded to [125, 137] (OPTN 2016)
  double m = mi;
  // Sodium term only when MELD(i) > 11 (OPTN 2016)
  if (mi > 11) m = mi + 1.32 * (137.0 - na) - 0.033 * mi * (137.0 - na);
  RuleResult r;
  r.rule = "MELD-Na";
  r.value = std::clamp(round_half_away(m), 6, 40);
  r.category = "MELD-Na " + std::to_string(static_cast<int>(r.value));
  r.inputs = b.inputs;
  r.inputs.push_back({"sodium", na, "mmol/L",
                      na == in.sodium_mmol_l ? "" : "given " + num(in.sodium_mmol_l) + ", bounded to " + num(na),
                      {}});
  r.inputs.push_back({"dialysis", 0, "", in.dialysis ? "yes" : "no", {}});
  r.source = kMeldSource;
  r.notes.push_back("MELD(i) = " + std::to_string(mi) +
                    (mi > 11 ? "; sodium term applied (MELD(i) > 11)" : "; sodium term not applied (MELD(i) <= 11)"));
  r.notes.push_back("sodium bounded to [125, 137] mmol/L; result bounded to [6, 40]");
  return r;
}

RuleResult meld3(const MeldInput& in, bool cap_at_40) {
  check_common("MELD 3.0", in);
  require_range("MELD 3.0", "sodium", in.sodium_mmol_l, 80, 200, "mmol/L");
  require_range("MELD 3.0", "albumin", in.albumin_g_dl, 0, 7, "g/dL");
  Bounded b = bound_labs(in, 3.0);  // Cr max 3.0 mg/dL, dialysis → 3.0 (Kim 2021)
  const double na = std::clamp(in.sodium_mmol_l, 125.0, 137.0);  // [125, 137] (Kim 2021)
  const double alb = std::clamp(in.albumin_g_dl, 1.5, 3.5);       // [1.5, 3.5] g/dL (Kim 2021)
  const double lb = std::log(b.bili), lc = std::log(b.cr);
  // Kim et al. 2021, Table 2 (§2.3)
  const double m = 1.33 * (in.female ? 1 : 0) + 4.56 * lb + 0.82 * (137 - na) - 0.24 * (137 - na) * lb +
                   9.09 * std::log(b.inr) + 11.14 * lc + 1.85 * (3.5 - alb) - 1.83 * (3.5 - alb) * lc + 6;
  int v = round_half_away(m);
  if (cap_at_40) v = std::min(v, 40);
  RuleResult r;
  r.rule = "MELD 3.0";
  r.value = v;
  r.category = "MELD 3.0 " + std::to_string(v);
  r.inputs = b.inputs;
  r.inputs.push_back({"sodium", na, "mmol/L",
                      na == in.sodium_mmol_l ? "" : "given " + num(in.sodium_mmol_l) + ", bounded to " + num(na),
                      {}});
  r.inputs.push_back({"albumin", alb, "g/dL",
                      alb == in.albumin_g_dl ? "" : "given " + num(in.albumin_g_dl) + ", bounded to " + num(alb),
                      {}});
  r.inputs.push_back({"sex", 0, "", in.female ? "female" : "male", {}});
  r.inputs.push_back({"dialysis", 0, "", in.dialysis ? "yes" : "no", {}});
  r.source = "Kim WR et al., Gastroenterology 2021;161:1887-1895; OPTN Policy 9.1 (2023)";
  r.notes.push_back("unrounded " + num(m) + (cap_at_40 ? "; capped at 40 (OPTN)" : "; not capped (Kim 2021)"));
  return r;
}

}  // namespace sirtkit::clinical
