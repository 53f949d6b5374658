#pragma once
// ALBI score and grade (Johnson et al., J Clin Oncol 2015;33:550-558) and the
// modified ALBI grade 2a/2b (Hiraoka et al., Liver Cancer 2017;6:325-336).
// clinical-rules.md §2.2.

#include "clinical/rule_result.h"

namespace sirtkit::clinical {

struct AlbiInput {
  double bilirubin_umol_l = 0;
  double albumin_g_l = 0;
};

// ALBI = 0.66 × log10(bilirubin µmol/L) − 0.085 × albumin g/L.
double albi_score(const AlbiInput& in);

// value = ALBI score (unrounded); category = "grade 1" | "grade 2a" | "grade 2b" | "grade 3"
// (mALBI); the notes give the plain ALBI grade (1, 2, 3).
RuleResult albi(const AlbiInput& in);

int albi_grade(double score);           // 1, 2, 3
const char* malbi_grade(double score);  // "1", "2a", "2b", "3"

}  // namespace sirtkit::clinical
