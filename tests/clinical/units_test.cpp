#include "clinical/units.h"

#include <gtest/gtest.h>

#include "expect_bad_input.h"

namespace sirtkit::clinical {

TEST(Units, ParsesNumberAndUnit) {
  Quantity q = parse_quantity("1.2mg/dL", "bilirubin");
  EXPECT_DOUBLE_EQ(q.value, 1.2);
  EXPECT_EQ(q.unit, "mg/dL");
  q = parse_quantity(" 34.2 µmol/L ", "bilirubin");
  EXPECT_DOUBLE_EQ(q.value, 34.2);
  EXPECT_EQ(q.unit, "µmol/L");
  q = parse_quantity("1.5", "inr");
  EXPECT_EQ(q.unit, "");
  q = parse_quantity("2e1 g/L", "albumin");
  EXPECT_DOUBLE_EQ(q.value, 20);
}

TEST(Units, RejectsNonNumbers) {
  EXPECT_BAD_INPUT(parse_quantity("", "bilirubin"), "bilirubin");
  EXPECT_BAD_INPUT(parse_quantity("mg/dL", "bilirubin"), "bilirubin", "mg/dL");
  EXPECT_BAD_INPUT(parse_quantity("abc", "albumin"), "albumin", "not shown");
}

TEST(Units, CanonicalSpellings) {
  EXPECT_EQ(canonical_unit("µmol/L"), "umol/l");
  EXPECT_EQ(canonical_unit("μmol/L"), "umol/l");  // Greek mu
  EXPECT_EQ(canonical_unit("umol / L"), "umol/l");
  EXPECT_EQ(canonical_unit("mcmol/L"), "umol/l");
  EXPECT_EQ(canonical_unit("mg/dL"), "mg/dl");
}

TEST(Units, BilirubinConversion) {
  // 1 mg/dL = 17.1 µmol/L (clinical-rules.md §2.1)
  EXPECT_NEAR(bilirubin_mg_dl(parse_quantity("34.2umol/L", "b")), 2.0, 1e-12);
  EXPECT_NEAR(bilirubin_umol_l(parse_quantity("3mg/dL", "b")), 51.3, 1e-12);
  EXPECT_DOUBLE_EQ(bilirubin_mg_dl(parse_quantity("1.2 mg/dL", "b")), 1.2);
  EXPECT_DOUBLE_EQ(bilirubin_umol_l(parse_quantity("20.52 µmol/L", "b")), 20.52);
}

TEST(Units, AlbuminCreatinineSodiumAfpLength) {
  EXPECT_DOUBLE_EQ(albumin_g_l(parse_quantity("3.5g/dL", "a")), 35.0);
  EXPECT_DOUBLE_EQ(albumin_g_dl(parse_quantity("28 g/L", "a")), 2.8);
  EXPECT_NEAR(creatinine_mg_dl(parse_quantity("88.4umol/L", "c")), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(sodium_mmol_l(parse_quantity("135 mEq/L", "na")), 135);
  EXPECT_DOUBLE_EQ(afp_ng_ml(parse_quantity("400 ug/L", "afp")), 400);
  EXPECT_DOUBLE_EQ(length_mm(parse_quantity("2.5cm", "size")), 25);
  EXPECT_DOUBLE_EQ(length_cm(parse_quantity("25 mm", "size")), 2.5);
  EXPECT_DOUBLE_EQ(inr_value(parse_quantity("1.3", "inr")), 1.3);
}

TEST(Units, MissingOrWrongUnitIsAnError) {
  EXPECT_BAD_INPUT(bilirubin_mg_dl(parse_quantity("1.2", "bilirubin")), "bilirubin", "1.2", "unit is required");
  EXPECT_BAD_INPUT(bilirubin_mg_dl(parse_quantity("1.2 g/L", "bilirubin")), "bilirubin", "g/L");
  EXPECT_BAD_INPUT(albumin_g_l(parse_quantity("35", "albumin")), "albumin", "35");
  EXPECT_BAD_INPUT(albumin_g_dl(parse_quantity("3.5 mg/dL", "albumin")), "albumin", "mg/dL");
  EXPECT_BAD_INPUT(sodium_mmol_l(parse_quantity("135", "sodium")), "sodium");
  EXPECT_BAD_INPUT(inr_value(parse_quantity("1.2 s", "inr")), "inr", "1.2 s");
  EXPECT_BAD_INPUT(length_mm(parse_quantity("12", "size")), "size");
}

TEST(Units, PhysiologicallyImpossibleValues) {
  // An albumin of 35 g/dL is a unit mix-up (35 g/L intended).
  EXPECT_BAD_INPUT(albumin_g_l(parse_quantity("35 g/dL", "albumin")), "albumin", "35 g/dL", "impossible");
  EXPECT_BAD_INPUT(bilirubin_mg_dl(parse_quantity("0 mg/dL", "bilirubin")), "bilirubin");
  EXPECT_BAD_INPUT(bilirubin_mg_dl(parse_quantity("-1 mg/dL", "bilirubin")), "bilirubin");
  EXPECT_BAD_INPUT(creatinine_mg_dl(parse_quantity("0 mg/dL", "creatinine")), "creatinine");
  EXPECT_BAD_INPUT(sodium_mmol_l(parse_quantity("13.5 mmol/L", "sodium")), "sodium", "13.5");
  EXPECT_BAD_INPUT(inr_value(parse_quantity("0", "inr")), "inr");
  EXPECT_BAD_INPUT(afp_ng_ml(parse_quantity("-3 ng/mL", "afp")), "afp");
}

TEST(Units, TolerantComparisons) {
  EXPECT_TRUE(approx_equal(34.2 / 17.1, 2.0));
  EXPECT_FALSE(less(34.2 / 17.1, 2.0));
  EXPECT_TRUE(less_equal(34.2 / 17.1, 2.0));
  EXPECT_TRUE(less(1.9999, 2.0));
  EXPECT_TRUE(greater(2.0001, 2.0));
  EXPECT_FALSE(greater(2.0 + 1e-15, 2.0));
  EXPECT_TRUE(greater_equal(2.0 - 1e-15, 2.0));
}

}  // namespace sirtkit::clinical
