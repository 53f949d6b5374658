// ALBI / mALBI (clinical-rules.md §2.2): worked values and every cut-off just below,
// at and just above.
#include "clinical/scores/albi.h"

#include <cmath>
#include <gtest/gtest.h>

#include "clinical/units.h"
#include "../expect_bad_input.h"

namespace sirtkit::clinical {

TEST(Albi, WorkedValues) {
  // §2.2 worked values (coefficient −0.085)
  RuleResult r = albi({20.52, 35});
  EXPECT_NEAR(r.value, -2.109, 5e-4);
  EXPECT_EQ(r.category, "grade 2b");
  EXPECT_EQ(albi_grade(r.value), 2);
  ASSERT_EQ(r.details.size(), 2u);
  EXPECT_EQ(r.details[0].second, "2");
  EXPECT_EQ(r.details[1].second, "2b");
  r = albi({17.1, 40});
  EXPECT_NEAR(r.value, -2.586, 5e-4);
  EXPECT_EQ(r.category, "grade 2a");
  r = albi({10, 45});
  EXPECT_NEAR(r.value, -3.165, 5e-4);
  EXPECT_EQ(r.category, "grade 1");
  r = albi({51.3, 25});
  EXPECT_NEAR(r.value, -0.996, 5e-4);
  EXPECT_EQ(r.category, "grade 3");
  EXPECT_EQ(r.inputs.size(), 2u);
  EXPECT_NE(r.source.find("Johnson"), std::string::npos);
}

TEST(Albi, UsUnitsGiveTheSameScore) {
  // 1.2 mg/dL = 20.52 µmol/L; 3.5 g/dL = 35 g/L
  const double b = bilirubin_umol_l(parse_quantity("1.2 mg/dL", "bilirubin"));
  const double a = albumin_g_l(parse_quantity("3.5 g/dL", "albumin"));
  EXPECT_NEAR(albi_score({b, a}), albi_score({20.52, 35}), 1e-12);
}

namespace {
// Bilirubin (µmol/L) giving ALBI exactly `score` at albumin 40 g/L.
double bili_at(double score) { return std::pow(10.0, (score + 0.085 * 40) / 0.66); }
}  // namespace

TEST(Albi, GradeOneTwoCut) {
  EXPECT_EQ(albi({bili_at(-2.60) * 0.999, 40}).category, "grade 1");
  EXPECT_EQ(albi({bili_at(-2.60), 40}).category, "grade 1");  // ≤ −2.60 is grade 1
  EXPECT_EQ(albi({bili_at(-2.60) * 1.001, 40}).category, "grade 2a");
}

TEST(Albi, MalbiTwoATwoBCut) {
  EXPECT_EQ(albi({bili_at(-2.270) * 0.999, 40}).category, "grade 2a");
  EXPECT_EQ(albi({bili_at(-2.270), 40}).category, "grade 2a");  // ≤ −2.270 is 2a
  EXPECT_EQ(albi({bili_at(-2.270) * 1.001, 40}).category, "grade 2b");
}

TEST(Albi, GradeTwoThreeCut) {
  EXPECT_EQ(albi({bili_at(-1.39) * 0.999, 40}).category, "grade 2b");
  EXPECT_EQ(albi({bili_at(-1.39), 40}).category, "grade 2b");  // ≤ −1.39 is grade 2
  EXPECT_EQ(albi({bili_at(-1.39) * 1.001, 40}).category, "grade 3");
  EXPECT_EQ(albi_grade(-1.3899), 3);
  EXPECT_EQ(albi_grade(-1.39), 2);
  EXPECT_STREQ(malbi_grade(-2.2701), "2a");
  EXPECT_STREQ(malbi_grade(-2.2699), "2b");
}

TEST(Albi, BadInput) {
  EXPECT_BAD_INPUT(albi({0, 40}), "bilirubin", "0");
  EXPECT_BAD_INPUT(albi({20, 0}), "albumin", "0");
  EXPECT_BAD_INPUT(albi({20, 350}), "albumin", "350");
}

}  // namespace sirtkit::clinical
