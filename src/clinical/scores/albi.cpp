#include "clinical/scores/albi.h"

#include <cmath>
#include <string>

#include "clinical/units.h"

namespace sirtkit::clinical {

double albi_score(const AlbiInput& in) {
  require_range("ALBI", "bilirubin", in.bilirubin_umol_l, 0, 1710, "µmol/L");
  require_range("ALBI", "albumin", in.albumin_g_l, 0, 70, "g/L");
  // Johnson 2015 linear predictor: 0.66 log10(bili µmol/L) − 0.085 alb g/L (§2.2;
  // −0.085, not the −0.0852 some calculators print).
  return 0.66 * std::log10(in.bilirubin_umol_l) - 0.085 * in.albumin_g_l;
}

int albi_grade(double score) {
  // Grade 1 ≤ −2.60 < grade 2 ≤ −1.39 < grade 3 (Johnson 2015, §2.2)
  if (less_equal(score, -2.60)) return 1;
  if (less_equal(score, -1.39)) return 2;
  return 3;
}

const char* malbi_grade(double score) {
  // mALBI: 2a −2.60 < ALBI ≤ −2.270; 2b −2.270 < ALBI ≤ −1.39 (Hiraoka 2017, §2.2 [R])
  const int g = albi_grade(score);
  if (g == 1) return "1";
  if (g == 3) return "3";
  return less_equal(score, -2.270) ? "2a" : "2b";
}

RuleResult albi(const AlbiInput& in) {
  RuleResult r;
  r.rule = "ALBI";
  r.value = albi_score(in);
  r.category = std::string("grade ") + malbi_grade(r.value);
  r.details = {{"albi_grade", std::to_string(albi_grade(r.value))}, {"malbi_grade", malbi_grade(r.value)}};
  r.inputs = {{"bilirubin", in.bilirubin_umol_l, "µmol/L", "", {}},
              {"albumin", in.albumin_g_l, "g/L", "", {}}};
  r.source = "Johnson PJ et al., J Clin Oncol 2015;33:550-558; mALBI 2a/2b: Hiraoka A et al., "
             "Liver Cancer 2017;6:325-336";
  r.notes.push_back("ALBI grade " + std::to_string(albi_grade(r.value)) +
                    "; coefficient -0.085 (JCO 2015); cut-offs -2.60, -2.270 (mALBI), -1.39 inclusive "
                    "on the lower grade");
  return r;
}

}  // namespace sirtkit::clinical
