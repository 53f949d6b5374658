#include "clinical/scores/child_pugh.h"

#include <string>

#include "clinical/units.h"
#include "core/text.h"
#include "core/error.h"

namespace sirtkit::clinical {
namespace {
const char* name(Ascites a) {
  switch (a) {
    case Ascites::none: return "none";
    case Ascites::mild: return "mild";
    case Ascites::moderate_severe: return "moderate-severe";
  }
  return "?";
}
const char* name(Encephalopathy e) {
  switch (e) {
    case Encephalopathy::none: return "none";
    case Encephalopathy::grade_1_2: return "grade 1-2";
    case Encephalopathy::grade_3_4: return "grade 3-4";
  }
  return "?";
}
}  // namespace

// "Grade 2", "grade_2", "grade-2" → "2"; spaces removed.
std::string normalise_grade(std::string_view text) {
  std::string t;
  for (char c : ascii_lower(text))
    if (c != ' ' && c != '_') t += c;
  if (t.rfind("grade", 0) == 0) t = t.substr(5);
  if (!t.empty() && t[0] == '-') t = t.substr(1);
  return t;
}

Ascites parse_ascites(std::string_view text) {
  const std::string t = normalise_grade(text);
  if (t == "none" || t == "absent" || t == "no") return Ascites::none;
  if (t == "mild" || t == "slight") return Ascites::mild;
  if (t == "moderate" || t == "severe" || t == "tense" || t == "moderate-severe" || t == "refractory" ||
      t == "large" || t == "moderate/severe")
    return Ascites::moderate_severe;
  fail_input("value", "ascites", shown_value(text), "none, mild or moderate-severe");
}

Encephalopathy parse_encephalopathy(std::string_view text) {
  const std::string t = normalise_grade(text);
  if (t == "none" || t == "0" || t == "absent" || t == "no") return Encephalopathy::none;
  if (t == "1" || t == "2" || t == "1-2" || t == "mild" || t == "controlled") return Encephalopathy::grade_1_2;
  if (t == "3" || t == "4" || t == "3-4" || t == "severe" || t == "refractory") return Encephalopathy::grade_3_4;
  fail_input("value", "encephalopathy", shown_value(text), "none, 1-2 or 3-4 (West Haven grade)");
}

char child_pugh_class(int points) {
  require_int_range("Child-Pugh", "points", points, 5, 15);
  if (points <= 6) return 'A';
  if (points <= 9) return 'B';
  return 'C';
}

RuleResult child_pugh(const ChildPughInput& in) {
  require_range("Child-Pugh", "bilirubin", in.bilirubin_mg_dl, 0, 100, "mg/dL");
  require_range("Child-Pugh", "albumin", in.albumin_g_dl, 0, 7, "g/dL");
  const bool use_pt = in.pt_prolongation_s.has_value();
  if (use_pt && in.inr != 0)
    fail_input("Child-Pugh", "pt_prolongation", std::to_string(*in.pt_prolongation_s),
               "either the INR or the prothrombin-time prolongation, not both");
  if (use_pt) {
    if (!(*in.pt_prolongation_s >= 0) || *in.pt_prolongation_s > 120)
      fail_input("Child-Pugh", "pt_prolongation", std::to_string(*in.pt_prolongation_s), "0 to 120 s above control");
  } else {
    require_range("Child-Pugh", "inr", in.inr, 0.3, 20, "");
  }
  RuleResult r;
  r.rule = "Child-Pugh";
  r.source = "Pugh RN et al., Br J Surg 1973;60:646-649";
  // Bilirubin: < 2.0 mg/dL 1; 2.0-3.0 2; > 3.0 3 (34.2 / 51.3 µmol/L) — §2.1
  const int bili = less(in.bilirubin_mg_dl, 2.0) ? 1 : less_equal(in.bilirubin_mg_dl, 3.0) ? 2 : 3;
  // Albumin: > 3.5 g/dL 1; 2.8-3.5 2; < 2.8 3 (35 / 28 g/L) — §2.1
  const int alb = greater(in.albumin_g_dl, 3.5) ? 1 : greater_equal(in.albumin_g_dl, 2.8) ? 2 : 3;
  // INR: < 1.7 1; 1.7-2.3 2; > 2.3 3 — §2.1
  // INR < 1.7 1, 1.7-2.3 2, > 2.3 3; or PT prolongation < 4 s 1, 4-6 s 2, > 6 s 3 (§2.1)
  const int inr = use_pt ? (less(*in.pt_prolongation_s, 4.0) ? 1 : less_equal(*in.pt_prolongation_s, 6.0) ? 2 : 3)
                         : (less(in.inr, 1.7) ? 1 : less_equal(in.inr, 2.3) ? 2 : 3);
  const int asc = in.ascites == Ascites::none ? 1 : in.ascites == Ascites::mild ? 2 : 3;
  const int enc = in.encephalopathy == Encephalopathy::none ? 1
                  : in.encephalopathy == Encephalopathy::grade_1_2 ? 2 : 3;
  const int total = bili + alb + inr + asc + enc;
  r.value = total;
  r.category = std::string(1, child_pugh_class(total)) + std::to_string(total);
  r.details = {{"class", std::string(1, child_pugh_class(total))}, {"points", std::to_string(total)}};
  r.inputs = {
      {"bilirubin", in.bilirubin_mg_dl, "mg/dL", "", bili},
      {"albumin", in.albumin_g_dl, "g/dL", "", alb},
      use_pt ? InputUsed{"pt_prolongation", *in.pt_prolongation_s, "s", "", inr} : InputUsed{"inr", in.inr, "", "", inr},
      {"ascites", 0, "", name(in.ascites), asc},
      {"encephalopathy", 0, "", name(in.encephalopathy), enc},
  };
  r.notes.push_back("boundaries: bilirubin 2.0 and 3.0 mg/dL score 2; albumin 3.5 and 2.8 g/dL score 2; "
                    "INR 1.7 and 2.3 score 2");
  return r;
}

}  // namespace sirtkit::clinical
