// CTCAE v5.0 laboratory grading: admiral's boundary vectors (clinical-rules.md §3.2,
// tests/testthat/test-derive_var_atoxgr.R) and the remaining cut-offs below/at/above.
#include "clinical/toxicity/ctcae_lab.h"

#include <gtest/gtest.h>

#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {

std::optional<double> none() { return std::nullopt; }

std::optional<int> g(LabTest t, double v, const std::string& unit, std::optional<double> lln,
                     std::optional<double> uln, std::optional<double> base = std::nullopt,
                     std::optional<double> base_uln = std::nullopt) {
  LabValue x;
  x.test = t;
  x.value = v;
  x.unit = unit;
  x.lln = lln;
  x.uln = uln;
  x.baseline = base;
  x.baseline_uln = base_uln;
  return grade_ctcae_v5(x).grade;
}

}  // namespace

TEST(CtcaeLab, AltBaselineNormalAdmiral) {
  // ANRHI 40, BASE 40 (normal): 801→4, 800→3, 201→3, 200→2, 121→2, 120→1, 41→1, 40→0
  const std::vector<std::pair<double, int>> cases = {{801, 4}, {800, 3}, {201, 3}, {200, 2},
                                                     {121, 2}, {120, 1}, {41, 1},  {40, 0}};
  for (auto [v, want] : cases) {
    EXPECT_EQ(g(LabTest::alt, v, "U/L", none(), 40, 40), want) << v;
    EXPECT_EQ(g(LabTest::ast, v, "U/L", none(), 40, 40), want) << v;
  }
  EXPECT_EQ(g(LabTest::alt, 100, "U/L", none(), none(), 40), std::nullopt);  // ANRHI missing
}

TEST(CtcaeLab, AltBaselineAbnormalAdmiral) {
  // BASE 40, ANRHI 39 (baseline high): 801→4, 800→3, 201→3, 200→2, 121→2, 120→1, 60→1, 59→0
  const std::vector<std::pair<double, int>> cases = {{801, 4}, {800, 3}, {201, 3}, {200, 2},
                                                     {121, 2}, {120, 1}, {60, 1},  {59, 0}};
  for (auto [v, want] : cases) EXPECT_EQ(g(LabTest::alt, v, "U/L", none(), 39, 40), want) << v;
}

TEST(CtcaeLab, LiverTermsNeedABaseline) {
  LabValue x{LabTest::alt, 500, "U/L", none(), 40, none(), "", none()};
  const LabGrade r = grade_ctcae_v5(x);
  EXPECT_FALSE(r.grade.has_value());
  EXPECT_NE(r.reason.find("baseline"), std::string::npos);
  EXPECT_EQ(r.term, "Alanine aminotransferase increased");
}

TEST(CtcaeLab, BilirubinBothBaselines) {
  // Normal baseline (ULN 1.2 mg/dL): > ULN 1, > 1.5 ULN 2, > 3 ULN 3, > 10 ULN 4
  auto n = [](double v) { return g(LabTest::bilirubin, v, "mg/dL", none(), 1.2, 1.0); };
  EXPECT_EQ(n(1.2), 0);
  EXPECT_EQ(n(1.21), 1);
  EXPECT_EQ(n(1.8), 1);
  EXPECT_EQ(n(1.81), 2);
  EXPECT_EQ(n(3.6), 2);
  EXPECT_EQ(n(3.61), 3);
  EXPECT_EQ(n(12.0), 3);
  EXPECT_EQ(n(12.01), 4);
  // Abnormal baseline 2.0 (ULN 1.2): > bl 1, > 1.5 bl 2, > 3 bl 3, > 10 bl 4
  auto a = [](double v) { return g(LabTest::bilirubin, v, "mg/dL", none(), 1.2, 2.0); };
  EXPECT_EQ(a(2.0), 0);
  EXPECT_EQ(a(2.01), 1);
  EXPECT_EQ(a(3.0), 1);
  EXPECT_EQ(a(3.01), 2);
  EXPECT_EQ(a(6.0), 2);
  EXPECT_EQ(a(6.01), 3);
  EXPECT_EQ(a(20.0), 3);
  EXPECT_EQ(a(20.01), 4);
  // SI: ULN 20.52 µmol/L = 1.2 mg/dL; 1.5×ULN = 30.78
  EXPECT_EQ(g(LabTest::bilirubin, 30.78, "µmol/L", none(), 20.52, 10), 1);
  EXPECT_EQ(g(LabTest::bilirubin, 30.79, "µmol/L", none(), 20.52, 10), 2);
}

TEST(CtcaeLab, AlpAndGgt) {
  for (LabTest t : {LabTest::alp, LabTest::ggt}) {
    // Normal baseline (ULN 100): > ULN 1, > 2.5 2, > 5 3, > 20 4
    EXPECT_EQ(g(t, 100, "U/L", none(), 100, 80), 0);
    EXPECT_EQ(g(t, 101, "U/L", none(), 100, 80), 1);
    EXPECT_EQ(g(t, 250, "U/L", none(), 100, 80), 1);
    EXPECT_EQ(g(t, 251, "U/L", none(), 100, 80), 2);
    EXPECT_EQ(g(t, 500, "U/L", none(), 100, 80), 2);
    EXPECT_EQ(g(t, 501, "U/L", none(), 100, 80), 3);
    EXPECT_EQ(g(t, 2000, "U/L", none(), 100, 80), 3);
    EXPECT_EQ(g(t, 2001, "U/L", none(), 100, 80), 4);
    // Abnormal baseline 150: 2.0-2.5×bl 1 (inclusive at 2.0), > 2.5 2, > 5 3, > 20 4
    EXPECT_EQ(g(t, 299, "U/L", none(), 100, 150), 0);
    EXPECT_EQ(g(t, 300, "U/L", none(), 100, 150), 1);
    EXPECT_EQ(g(t, 375, "U/L", none(), 100, 150), 1);
    EXPECT_EQ(g(t, 376, "U/L", none(), 100, 150), 2);
    EXPECT_EQ(g(t, 751, "U/L", none(), 100, 150), 3);
    EXPECT_EQ(g(t, 3001, "U/L", none(), 100, 150), 4);
  }
  // µkat/L: 1 µkat/L = 60 U/L; ULN 1.67 µkat/L, value 4.18 (> 2.5 ULN = 4.175) → 2
  EXPECT_EQ(g(LabTest::alp, 4.18, "µkat/L", none(), 1.67, 1.0), 2);
}

TEST(CtcaeLab, BaselineUlnCanDifferFromCurrentUln) {
  // Baseline 45 with its own ULN 50 is normal → ULN multiples of the current ULN 40
  EXPECT_EQ(g(LabTest::alt, 121, "U/L", none(), 40, 45, 50), 2);
  // Same baseline with ULN 40 at baseline is abnormal → ×baseline: 121 < 3×45 → 1
  EXPECT_EQ(g(LabTest::alt, 121, "U/L", none(), 40, 45, 40), 1);
}

TEST(CtcaeLab, InrAdmiral) {
  // (AVAL, BASE) → grade, §3.2
  struct C { double v; std::optional<double> b; std::optional<int> want; };
  const std::vector<C> cases = {{2.51, 2.6, 3}, {2.5, 1, 2},     {1.51, 1, 2},    {1.5, 1, 1},  {1.2, 1, 1},
                                {1.19, 1.19, 0}, {2.5, 0.99, 3}, {1.5, 0.6, 2},   {1.5, 0.99, 2}, {1.2, 0.8, 1},
                                {1.2, 1.19, 1}, {1.2, 1.2, 0},   {1.2, none(), std::nullopt}};
  for (const C& c : cases) EXPECT_EQ(g(LabTest::inr, c.v, "", none(), none(), c.b), c.want) << c.v;
  EXPECT_EQ(g(LabTest::inr, 1.21, "", none(), none()), 1);  // absolute branch without baseline
}

std::optional<int> inr(double v, std::optional<double> base, std::optional<bool> anticoagulated) {
  LabValue x;
  x.test = LabTest::inr;
  x.value = v;
  x.baseline = base;
  x.anticoagulated = anticoagulated;
  return grade_ctcae_v5(x).grade;
}

TEST(CtcaeLab, InrAnticoagulatedGradesOnBaselineOnly) {
  // CTCAE v5.0: "> 1 - 1.5 / > 1.5 - 2.5 / > 2.5 x baseline if on anticoagulation"
  EXPECT_EQ(inr(2.5, 2.4, true), 1);   // therapeutic INR 2.5 on warfarin is not grade 2
  EXPECT_EQ(inr(2.4, 2.4, true), 0);   // = baseline
  EXPECT_EQ(inr(3.6, 2.4, true), 1);   // exactly 1.5 x baseline: not > 1.5
  EXPECT_EQ(inr(3.61, 2.4, true), 2);
  EXPECT_EQ(inr(6.0, 2.4, true), 2);   // exactly 2.5 x baseline
  EXPECT_EQ(inr(6.01, 2.4, true), 3);
  EXPECT_EQ(inr(3.0, std::nullopt, true), std::nullopt);  // baseline needed
}

TEST(CtcaeLab, InrNotAnticoagulatedIgnoresBaseline) {
  // Not anticoagulated: the absolute INR only (> 1.2 / > 1.5 / > 2.5), whatever the baseline
  EXPECT_EQ(inr(1.5, 0.6, false), 1);   // 2.5 x baseline, but INR 1.5 is grade 1
  EXPECT_EQ(inr(1.2, 0.8, false), 0);
  EXPECT_EQ(inr(1.2, std::nullopt, false), 0);  // no baseline needed to call 1.2 normal
  EXPECT_EQ(inr(1.21, std::nullopt, false), 1);
  EXPECT_EQ(inr(1.51, std::nullopt, false), 2);
  EXPECT_EQ(inr(2.51, 2.6, false), 3);
  // Not recorded: the worse of the two readings (admiral's "assume on anticoagulation")
  EXPECT_EQ(inr(1.5, 0.6, std::nullopt), 2);
  LabValue x;
  x.test = LabTest::inr;
  x.value = 1.5;
  x.baseline = 0.6;
  EXPECT_NE(grade_ctcae_v5(x).basis.find("anticoagulation not recorded"), std::string::npos);
}

TEST(CtcaeLab, ImpossibleValuesAreRefused) {
  // Unit mix-ups that graded silently before: platelets 40000 x10^9/L (40 intended),
  // albumin 28 g/dL (28 g/L), sodium 14 mmol/L, creatinine 90 mg/dL (90 µmol/L)
  EXPECT_BAD_INPUT(g(LabTest::platelets, 40000, "10^9/L", 150, 400), "column value", "platelets", "40000",
                   "impossible");
  EXPECT_BAD_INPUT(g(LabTest::albumin, 28, "g/dL", 3.5, 5), "albumin", "28 g/dL", "impossible");
  EXPECT_BAD_INPUT(g(LabTest::sodium, 14, "mmol/L", 135, 145), "sodium", "14");
  EXPECT_BAD_INPUT(g(LabTest::creatinine, 90, "mg/dL", none(), 1.2), "creatinine", "90");
  EXPECT_BAD_INPUT(g(LabTest::hemoglobin, 120, "g/dL", 12, 16), "hemoglobin", "120");
  EXPECT_BAD_INPUT(g(LabTest::potassium, 45, "mmol/L", 3.5, 5.1), "potassium", "45");
  EXPECT_BAD_INPUT(g(LabTest::glucose, 900, "mmol/L", 3.9, 5.6), "glucose", "900");
  EXPECT_BAD_INPUT(g(LabTest::inr, 25, "", none(), none()), "inr", "25");
  // The edge of each range is still a value (a sick patient's real result is never refused)
  EXPECT_EQ(g(LabTest::platelets, 5000, "10^9/L", 150, 400), 0);
  EXPECT_EQ(g(LabTest::platelets, 0, "/µL", 150000, 400000), 4);
  EXPECT_EQ(g(LabTest::albumin, 0.5, "g/dL", 3.5, 5), 3);
  EXPECT_BAD_INPUT(g(LabTest::albumin, 0.49, "g/dL", 3.5, 5), "albumin");
  EXPECT_EQ(g(LabTest::sodium, 200, "mmol/L", 135, 145), 0);  // hypo term; hyper is grade 4
  // Reference ranges are values of the test too
  EXPECT_BAD_INPUT(g(LabTest::platelets, 40, "10^9/L", 150000, 400000), "column lln", "150000");
}

TEST(CtcaeLab, Potassium) {
  // CTCAE v5.0 Hypokalemia: < LLN-3.0 (1, or 2 if symptomatic: graded 2, worst case), < 3.0-2.5 (3), < 2.5 (4)
  EXPECT_EQ(g(LabTest::potassium, 2.49, "mmol/L", 3.5, 5.1), 4);
  EXPECT_EQ(g(LabTest::potassium, 2.5, "mmol/L", 3.5, 5.1), 3);
  EXPECT_EQ(g(LabTest::potassium, 2.99, "mEq/L", 3.5, 5.1), 3);
  EXPECT_EQ(g(LabTest::potassium, 3.0, "mmol/L", 3.5, 5.1), 2);
  EXPECT_EQ(g(LabTest::potassium, 3.49, "mmol/L", 3.5, 5.1), 2);
  EXPECT_EQ(g(LabTest::potassium, 3.5, "mmol/L", 3.5, 5.1), 0);
  EXPECT_EQ(g(LabTest::potassium, 3.2, "mmol/L", none(), 5.1), std::nullopt);  // LLN needed
  // The same boundaries in mEq/L (monovalent: 1 mEq/L = 1 mmol/L) and with another LLN.
  EXPECT_EQ(g(LabTest::potassium, 2.49, "mEq/L", 3.5, 5.1), 4);
  EXPECT_EQ(g(LabTest::potassium, 2.5, "mEq/L", 3.5, 5.1), 3);
  EXPECT_EQ(g(LabTest::potassium, 3.0, "mEq/L", 3.5, 5.1), 2);
  EXPECT_EQ(g(LabTest::potassium, 3.5, "mEq/L", 3.5, 5.1), 0);
  EXPECT_EQ(g(LabTest::potassium, 3.55, "mmol/L", 3.6, 5.0), 2);
  EXPECT_EQ(g(LabTest::potassium, 3.6, "mmol/L", 3.6, 5.0), 0);
  EXPECT_EQ(g(LabTest::potassium, 2.9, "mmol/L", none(), 5.1), 3);  // absolute grades need no LLN (admiral)
  {
    // Grade 2 for < LLN is the "symptomatic" worst case (admiral ncictcaev5 COMMENT), said in the reason.
    const LabGrade lg = grade_ctcae_v5(LabValue{LabTest::potassium, 3.2, "mmol/L", 3.5, 5.1, std::nullopt, "", std::nullopt});
    EXPECT_EQ(lg.term, "Hypokalemia");
    EXPECT_NE(lg.reason.find("worst case"), std::string::npos) << lg.reason;
  }
  // Hyperkalemia: > ULN-5.5 (1), > 5.5-6.0 (2), > 6.0-7.0 (3), > 7.0 (4)
  auto hyper_k = [](double v) {
    LabValue x{LabTest::potassium, v, "mmol/L", 3.5, 5.1, std::nullopt, "", std::nullopt};
    const auto all = grade_ctcae_v5_terms(x);
    EXPECT_EQ(all.size(), 2u);
    EXPECT_EQ(all[1].term, "Hyperkalemia");
    return all[1].grade;
  };
  EXPECT_EQ(hyper_k(5.1), 0);
  EXPECT_EQ(hyper_k(5.11), 1);
  EXPECT_EQ(hyper_k(5.5), 1);
  EXPECT_EQ(hyper_k(5.51), 2);
  EXPECT_EQ(hyper_k(6.0), 2);
  EXPECT_EQ(hyper_k(6.01), 3);
  EXPECT_EQ(hyper_k(7.0), 3);
  EXPECT_EQ(hyper_k(7.01), 4);
}

TEST(CtcaeLab, Glucose) {
  // CTCAE v5.0 Hypoglycemia: < LLN-3.0 mmol/L (55 mg/dL) 1, < 3.0-2.2 (55-40) 2, < 2.2-1.7 (40-30) 3, < 1.7 (30) 4
  EXPECT_EQ(g(LabTest::glucose, 1.69, "mmol/L", 3.9, 5.6), 4);
  EXPECT_EQ(g(LabTest::glucose, 1.7, "mmol/L", 3.9, 5.6), 3);
  EXPECT_EQ(g(LabTest::glucose, 2.2, "mmol/L", 3.9, 5.6), 2);
  EXPECT_EQ(g(LabTest::glucose, 3.0, "mmol/L", 3.9, 5.6), 1);
  EXPECT_EQ(g(LabTest::glucose, 3.9, "mmol/L", 3.9, 5.6), 0);
  EXPECT_EQ(g(LabTest::glucose, 29, "mg/dL", 70, 100), 4);
  EXPECT_EQ(g(LabTest::glucose, 30, "mg/dL", 70, 100), 3);
  EXPECT_EQ(g(LabTest::glucose, 40, "mg/dL", 70, 100), 2);
  EXPECT_EQ(g(LabTest::glucose, 55, "mg/dL", 70, 100), 1);
  EXPECT_EQ(g(LabTest::glucose, 70, "mg/dL", 70, 100), 0);
  // Hyperglycemia is graded on treatment in v5.0: not gradable from the value
  LabValue x{LabTest::glucose, 25, "mmol/L", 3.9, 5.6, std::nullopt, "", std::nullopt};
  const auto all = grade_ctcae_v5_terms(x);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].term, "Hyperglycemia");
  EXPECT_FALSE(all[1].grade.has_value());
  EXPECT_EQ(parse_lab_test("K"), LabTest::potassium);
  EXPECT_EQ(parse_lab_test("Glucose"), LabTest::glucose);
}

TEST(CtcaeLab, CreatinineAdmiral) {
  // ANRHI 40
  EXPECT_EQ(g(LabTest::creatinine, 241, "µmol/L", none(), 40), 4);
  EXPECT_EQ(g(LabTest::creatinine, 240, "µmol/L", none(), 40, 230), 3);
  EXPECT_EQ(g(LabTest::creatinine, 121, "µmol/L", none(), 40), 3);
  EXPECT_EQ(g(LabTest::creatinine, 120, "µmol/L", none(), 40), 2);
  EXPECT_EQ(g(LabTest::creatinine, 61, "µmol/L", none(), 40), 2);
  EXPECT_EQ(g(LabTest::creatinine, 60, "µmol/L", none(), 40), 1);
  EXPECT_EQ(g(LabTest::creatinine, 41, "µmol/L", none(), 40), 1);
  EXPECT_EQ(g(LabTest::creatinine, 40, "µmol/L", none(), 40), 0);
  EXPECT_EQ(g(LabTest::creatinine, 42, "µmol/L", none(), 40, 6), 3);
  EXPECT_EQ(g(LabTest::creatinine, 42, "µmol/L", none(), 40, 13.9), 3);
  EXPECT_EQ(g(LabTest::creatinine, 42, "µmol/L", none(), 40, 14), 2);
  EXPECT_EQ(g(LabTest::creatinine, 42.1, "µmol/L", none(), 40, 28), 2);
  EXPECT_EQ(g(LabTest::creatinine, 30, "µmol/L", none(), none()), std::nullopt);
  // Baseline in mg/dL, value in µmol/L: 1.0 mg/dL = 88.4 µmol/L; 3×bl = 265.2
  LabValue x{LabTest::creatinine, 265.3, "µmol/L", none(), 300, 1.0, "mg/dL", none()};
  EXPECT_EQ(grade_ctcae_v5(x).grade, 3);
  x.value = 265.1;
  EXPECT_EQ(grade_ctcae_v5(x).grade, 2);
}

TEST(CtcaeLab, PlateletsAdmiral) {
  // LLN 100 ×10^9/L: 24→4, 25→3, 49→3, 50→2, 74→2, 75→1, 99→1, 100→0
  const std::vector<std::pair<double, int>> cases = {{24, 4}, {25, 3}, {49, 3}, {50, 2},
                                                     {74, 2}, {75, 1}, {99, 1}, {100, 0}};
  for (auto [v, want] : cases) EXPECT_EQ(g(LabTest::platelets, v, "10^9/L", 100, none()), want) << v;
  // LLN missing: grades 2-4 still assigned; 75, 99, 100 not gradable
  EXPECT_EQ(g(LabTest::platelets, 24, "10^9/L", none(), none()), 4);
  EXPECT_EQ(g(LabTest::platelets, 74, "10^9/L", none(), none()), 2);
  EXPECT_EQ(g(LabTest::platelets, 75, "10^9/L", none(), none()), std::nullopt);
  EXPECT_EQ(g(LabTest::platelets, 100, "10^9/L", none(), none()), std::nullopt);
  // Unit missing → error, never a grade
  EXPECT_BAD_INPUT(g(LabTest::platelets, 24, "", 100, none()), "platelets", "24");
  // US spellings: ×10^3/µL equals ×10^9/L; /mm3 is per µL
  EXPECT_EQ(g(LabTest::platelets, 49, "x10^3/uL", 150, none()), 3);
  EXPECT_EQ(g(LabTest::platelets, 49000, "/mm3", 150000, none()), 3);
  EXPECT_EQ(g(LabTest::platelets, 50000, "cells/µL", 150000, none()), 2);
  EXPECT_EQ(g(LabTest::platelets, 24.9, "G/L", 150, none()), 4);
}

TEST(CtcaeLab, NeutrophilsAdmiral) {
  // LLN 2: 0.49→4, 0.5→3, 0.99→3, 1→2, 1.49→2, 1.5→1, 1.9→1, 2→0
  const std::vector<std::pair<double, int>> cases = {{0.49, 4}, {0.5, 3}, {0.99, 3}, {1, 2},
                                                     {1.49, 2}, {1.5, 1}, {1.9, 1},  {2, 0}};
  for (auto [v, want] : cases) EXPECT_EQ(g(LabTest::neutrophils, v, "10^9/L", 2, none()), want) << v;
}

TEST(CtcaeLab, LymphocytesAndWbc) {
  const std::vector<std::pair<double, int>> ly = {{0.19, 4}, {0.2, 3}, {0.49, 3}, {0.5, 2},
                                                  {0.79, 2}, {0.8, 1}, {0.99, 1}, {1.0, 0}};
  for (auto [v, want] : ly) EXPECT_EQ(g(LabTest::lymphocytes, v, "10^9/L", 1.0, none()), want) << v;
  const std::vector<std::pair<double, int>> wbc = {{0.99, 4}, {1.0, 3}, {1.99, 3}, {2.0, 2},
                                                   {2.99, 2}, {3.0, 1}, {3.99, 1}, {4.0, 0}};
  for (auto [v, want] : wbc) EXPECT_EQ(g(LabTest::wbc, v, "10^9/L", 4.0, none()), want) << v;
}

TEST(CtcaeLab, HemoglobinAllUnits) {
  // g/L: < 80 3, < 100 2, < LLN 1; no grade 4 from the value
  EXPECT_EQ(g(LabTest::hemoglobin, 79, "g/L", 120, none()), 3);
  EXPECT_EQ(g(LabTest::hemoglobin, 80, "g/L", 120, none()), 2);
  EXPECT_EQ(g(LabTest::hemoglobin, 99, "g/L", 120, none()), 2);
  EXPECT_EQ(g(LabTest::hemoglobin, 100, "g/L", 120, none()), 1);
  EXPECT_EQ(g(LabTest::hemoglobin, 119, "g/L", 120, none()), 1);
  EXPECT_EQ(g(LabTest::hemoglobin, 120, "g/L", 120, none()), 0);
  EXPECT_EQ(g(LabTest::hemoglobin, 40, "g/L", 120, none()), 3);
  // g/dL: < 8, < 10
  EXPECT_EQ(g(LabTest::hemoglobin, 7.99, "g/dL", 12, none()), 3);
  EXPECT_EQ(g(LabTest::hemoglobin, 8.0, "g/dL", 12, none()), 2);
  EXPECT_EQ(g(LabTest::hemoglobin, 10.0, "g/dL", 12, none()), 1);
  // mmol/L (CTCAE text): < 4.9, < 6.2
  EXPECT_EQ(g(LabTest::hemoglobin, 4.8, "mmol/L", 7.4, none()), 3);
  EXPECT_EQ(g(LabTest::hemoglobin, 4.9, "mmol/L", 7.4, none()), 2);
  EXPECT_EQ(g(LabTest::hemoglobin, 6.1, "mmol/L", 7.4, none()), 2);
  EXPECT_EQ(g(LabTest::hemoglobin, 6.2, "mmol/L", 7.4, none()), 1);
}

TEST(CtcaeLab, Albumin) {
  EXPECT_EQ(g(LabTest::albumin, 19.9, "g/L", 35, none()), 3);
  EXPECT_EQ(g(LabTest::albumin, 20, "g/L", 35, none()), 2);
  EXPECT_EQ(g(LabTest::albumin, 29.9, "g/L", 35, none()), 2);
  EXPECT_EQ(g(LabTest::albumin, 30, "g/L", 35, none()), 1);
  EXPECT_EQ(g(LabTest::albumin, 35, "g/L", 35, none()), 0);
  EXPECT_EQ(g(LabTest::albumin, 1.99, "g/dL", 3.5, none()), 3);
  EXPECT_EQ(g(LabTest::albumin, 2.0, "g/dL", 3.5, none()), 2);
  EXPECT_EQ(g(LabTest::albumin, 3.0, "g/dL", 3.5, none()), 1);
  EXPECT_BAD_INPUT(g(LabTest::albumin, 3.0, "mg/dL", 3.5, none()), "albumin", "mg/dL");
}

TEST(CtcaeLab, HyponatremiaAdmiral) {
  // 119→4, 120→3, 129→3, 130→1 (LLN 135); 129.5 → 1 under admiral's "<= 129"
  EXPECT_EQ(g(LabTest::sodium, 119, "mmol/L", 135, 145), 4);
  EXPECT_EQ(g(LabTest::sodium, 120, "mmol/L", 135, 145), 3);
  EXPECT_EQ(g(LabTest::sodium, 129, "mmol/L", 135, 145), 3);
  EXPECT_EQ(g(LabTest::sodium, 129.5, "mmol/L", 135, 145), 1);
  EXPECT_EQ(g(LabTest::sodium, 130, "mEq/L", 135, 145), 1);
  EXPECT_EQ(g(LabTest::sodium, 135, "mmol/L", 135, 145), 0);
  EXPECT_EQ(g(LabTest::sodium, 134, "mmol/L", none(), none()), std::nullopt);
}

TEST(CtcaeLab, MagnesiumSiAndUs) {
  EXPECT_EQ(g(LabTest::magnesium, 0.29, "mmol/L", 0.66, none()), 4);
  EXPECT_EQ(g(LabTest::magnesium, 0.3, "mmol/L", 0.66, none()), 3);
  EXPECT_EQ(g(LabTest::magnesium, 0.4, "mmol/L", 0.66, none()), 2);
  EXPECT_EQ(g(LabTest::magnesium, 0.5, "mmol/L", 0.66, none()), 1);
  EXPECT_EQ(g(LabTest::magnesium, 0.66, "mmol/L", 0.66, none()), 0);
  // US thresholds are CTCAE's own (1.2 mg/dL is not exactly 0.5 mmol/L)
  EXPECT_EQ(g(LabTest::magnesium, 0.69, "mg/dL", 1.6, none()), 4);
  EXPECT_EQ(g(LabTest::magnesium, 0.7, "mg/dL", 1.6, none()), 3);
  EXPECT_EQ(g(LabTest::magnesium, 0.9, "mg/dL", 1.6, none()), 2);
  EXPECT_EQ(g(LabTest::magnesium, 1.19, "mg/dL", 1.6, none()), 2);
  EXPECT_EQ(g(LabTest::magnesium, 1.2, "mg/dL", 1.6, none()), 1);
  // mEq/L = 2 × mmol/L: 0.99 mEq/L = 0.495 mmol/L → 2
  EXPECT_EQ(g(LabTest::magnesium, 0.99, "mEq/L", 1.4, none()), 2);
}

TEST(CtcaeLab, CalciumCorrectedAndIonized) {
  EXPECT_EQ(g(LabTest::calcium, 1.49, "mmol/L", 2.15, none()), 4);
  EXPECT_EQ(g(LabTest::calcium, 1.5, "mmol/L", 2.15, none()), 3);
  EXPECT_EQ(g(LabTest::calcium, 1.74, "mmol/L", 2.15, none()), 3);
  EXPECT_EQ(g(LabTest::calcium, 1.75, "mmol/L", 2.15, none()), 2);
  EXPECT_EQ(g(LabTest::calcium, 2.0, "mmol/L", 2.15, none()), 1);
  EXPECT_EQ(g(LabTest::calcium, 2.15, "mmol/L", 2.15, none()), 0);
  EXPECT_EQ(g(LabTest::calcium, 5.9, "mg/dL", 8.6, none()), 4);
  EXPECT_EQ(g(LabTest::calcium, 6.0, "mg/dL", 8.6, none()), 3);
  EXPECT_EQ(g(LabTest::calcium, 7.0, "mg/dL", 8.6, none()), 2);
  EXPECT_EQ(g(LabTest::calcium, 8.0, "mg/dL", 8.6, none()), 1);
  EXPECT_EQ(g(LabTest::calcium_ionized, 0.79, "mmol/L", 1.15, none()), 4);
  EXPECT_EQ(g(LabTest::calcium_ionized, 0.8, "mmol/L", 1.15, none()), 3);
  EXPECT_EQ(g(LabTest::calcium_ionized, 0.9, "mmol/L", 1.15, none()), 2);
  EXPECT_EQ(g(LabTest::calcium_ionized, 1.0, "mmol/L", 1.15, none()), 1);
  EXPECT_EQ(g(LabTest::calcium_ionized, 3.19, "mg/dL", 4.6, none()), 4);
  EXPECT_EQ(g(LabTest::calcium_ionized, 3.6, "mg/dL", 4.6, none()), 2);
}

TEST(CtcaeLab, PhosphateIsNotGradableFromTheValue) {
  const LabGrade r = grade_ctcae_v5({LabTest::phosphate, 0.3, "mmol/L", 0.8, 1.5, none(), "", none()});
  EXPECT_FALSE(r.grade.has_value());
  EXPECT_NE(r.reason.find("clinical"), std::string::npos);
}

TEST(CtcaeLab, BadInput) {
  EXPECT_BAD_INPUT(g(LabTest::alt, -5, "U/L", none(), 40, 40), "alt", "-5");
  EXPECT_BAD_INPUT(g(LabTest::alt, 50, "mg/dL", none(), 40, 40), "alt", "mg/dL");
  EXPECT_BAD_INPUT(g(LabTest::neutrophils, 1, "10^9/L", 5, 2), "lln");
  EXPECT_BAD_INPUT(parse_lab_test("lipase"), "test", "not shown");
  EXPECT_EQ(parse_lab_test("Haemoglobin"), LabTest::hemoglobin);
  // Baseline in another unit family with non-exact conversion is refused
  LabValue x{LabTest::magnesium, 0.4, "mmol/L", 0.66, none(), 1.8, "mg/dL", none()};
  EXPECT_BAD_INPUT(grade_ctcae_v5(x), "magnesium baseline");
}

}  // namespace sirtkit::clinical

namespace sirtkit::clinical {
namespace {
std::optional<int> hyper(LabTest t, double v, const std::string& unit, std::optional<double> uln) {
  LabValue x;
  x.test = t;
  x.value = v;
  x.unit = unit;
  x.uln = uln;
  const auto all = grade_ctcae_v5_terms(x);
  EXPECT_EQ(all.size(), 2u);
  return all.back().grade;
}
}  // namespace

TEST(CtcaeLab, HypercalcemiaIonizedAdmiral) {
  // admiral test-derive_var_atoxgr (SI, ANRHI 1.3): 1.9→4, 1.8→3, 1.7→3, 1.6→2, 1.51→2, 1.5→1, 1.4→1, 1.3→0
  const std::vector<std::pair<double, int>> cases = {{1.9, 4}, {1.8, 3}, {1.7, 3}, {1.6, 2},
                                                     {1.51, 2}, {1.5, 1}, {1.4, 1}, {1.3, 0}};
  for (auto [v, want] : cases) EXPECT_EQ(hyper(LabTest::calcium_ionized, v, "mmol/L", 1.3), want) << v;
  // ANRHI missing: grades 2-4 only
  EXPECT_EQ(hyper(LabTest::calcium_ionized, 1.51, "mmol/L", std::nullopt), 2);
  EXPECT_EQ(hyper(LabTest::calcium_ionized, 1.5, "mmol/L", std::nullopt), std::nullopt);
  // US: > 6.0, > 6.4, > 7.2 mg/dL
  EXPECT_EQ(hyper(LabTest::calcium_ionized, 7.21, "mg/dL", 5.3), 4);
  EXPECT_EQ(hyper(LabTest::calcium_ionized, 6.4, "mg/dL", 5.3), 2);
  EXPECT_EQ(hyper(LabTest::calcium_ionized, 6.0, "mg/dL", 5.3), 1);
}

TEST(CtcaeLab, HypercalcemiaCorrected) {
  EXPECT_EQ(hyper(LabTest::calcium, 3.41, "mmol/L", 2.6), 4);
  EXPECT_EQ(hyper(LabTest::calcium, 3.4, "mmol/L", 2.6), 3);
  EXPECT_EQ(hyper(LabTest::calcium, 3.1, "mmol/L", 2.6), 2);
  EXPECT_EQ(hyper(LabTest::calcium, 2.9, "mmol/L", 2.6), 1);
  EXPECT_EQ(hyper(LabTest::calcium, 2.6, "mmol/L", 2.6), 0);
  // admiral US vectors: 11.6 (ULN missing) → 2; 11.5 (ULN missing) → NA
  EXPECT_EQ(hyper(LabTest::calcium, 11.6, "mg/dL", std::nullopt), 2);
  EXPECT_EQ(hyper(LabTest::calcium, 11.5, "mg/dL", std::nullopt), std::nullopt);
  EXPECT_EQ(hyper(LabTest::calcium, 13.51, "mg/dL", 10.5), 4);
  EXPECT_EQ(hyper(LabTest::calcium, 12.5, "mg/dL", 10.5), 2);
}

TEST(CtcaeLab, Hypernatremia) {
  const std::vector<std::pair<double, int>> cases = {{161, 4}, {160, 3}, {156, 3}, {155, 2},
                                                     {151, 2}, {150, 1}, {146, 1}, {145, 0}};
  for (auto [v, want] : cases) EXPECT_EQ(hyper(LabTest::sodium, v, "mmol/L", 145), want) << v;
  // The same record still grades hyponatremia 0
  LabValue x{LabTest::sodium, 161, "mmol/L", 135, 145, std::nullopt, "", std::nullopt};
  const auto all = grade_ctcae_v5_terms(x);
  EXPECT_EQ(all[0].term, "Hyponatremia");
  EXPECT_EQ(all[0].grade, 0);
  EXPECT_EQ(all[1].term, "Hypernatremia");
}

TEST(CtcaeLab, HypermagnesemiaHasNoGradeTwo) {
  EXPECT_EQ(hyper(LabTest::magnesium, 3.31, "mmol/L", 1.0), 4);
  EXPECT_EQ(hyper(LabTest::magnesium, 3.3, "mmol/L", 1.0), 3);
  EXPECT_EQ(hyper(LabTest::magnesium, 1.24, "mmol/L", 1.0), 3);
  EXPECT_EQ(hyper(LabTest::magnesium, 1.23, "mmol/L", 1.0), 1);
  EXPECT_EQ(hyper(LabTest::magnesium, 1.01, "mmol/L", 1.0), 1);
  EXPECT_EQ(hyper(LabTest::magnesium, 1.0, "mmol/L", 1.0), 0);
  EXPECT_EQ(hyper(LabTest::magnesium, 8.01, "mg/dL", 2.4), 4);
  EXPECT_EQ(hyper(LabTest::magnesium, 8.0, "mg/dL", 2.4), 3);
  EXPECT_EQ(hyper(LabTest::magnesium, 3.0, "mg/dL", 2.4), 1);
}

TEST(CtcaeLab, SingleTermTestsGiveOneGrade) {
  LabValue x{LabTest::platelets, 40, "10^9/L", 150, 400, std::nullopt, "", std::nullopt};
  EXPECT_EQ(grade_ctcae_v5_terms(x).size(), 1u);
}

TEST(CtcaeLab, MissingBaselineAsNormalIsOptIn) {
  LabValue x{LabTest::alt, 121, "U/L", std::nullopt, 40, std::nullopt, "", std::nullopt};
  EXPECT_EQ(grade_ctcae_v5(x).grade, std::nullopt);
  x.missing_baseline_is_normal = true;
  EXPECT_EQ(grade_ctcae_v5(x).grade, 2);  // > 3 × ULN
  x.value = 120;
  EXPECT_EQ(grade_ctcae_v5(x).grade, 1);
}

}  // namespace sirtkit::clinical

namespace sirtkit::clinical {

TEST(CtcaeLab, AdmiralLiverVectorsTests14To18) {
  // admiral test-derive_var_atoxgr.R Tests 14, 16, 18 (CTCAE v5): baseline normal rows use
  // BASE = ANRHI = 40; baseline abnormal rows BASE = 40, ANRHI = 39.
  auto grade = [](LabTest t, double v, double uln, double base) {
    LabValue x{t, v, t == LabTest::bilirubin ? "umol/L" : "U/L", std::nullopt, uln, base, "", std::nullopt};
    return grade_ctcae_v5(x).grade;
  };
  using P = std::vector<std::pair<double, int>>;
  const P alp_norm = {{801, 4}, {800, 3}, {201, 3}, {200, 2}, {101, 2}, {100, 1}, {41, 1}, {40, 0}};
  const P alp_abn = {{801, 4}, {800, 3}, {201, 3}, {200, 2}, {101, 2}, {100, 1}, {80, 1}, {79, 0}};
  const P ast_abn = {{801, 4}, {800, 3}, {201, 3}, {200, 2}, {121, 2}, {120, 1}, {60, 1}, {59, 0}};
  const P bili = {{401, 4}, {400, 3}, {121, 3}, {120, 2}, {61, 2}, {60, 1}, {41, 1}, {40, 0}};
  for (auto [v, w] : alp_norm) EXPECT_EQ(grade(LabTest::alp, v, 40, 40), w) << "ALP normal " << v;
  for (auto [v, w] : alp_abn) EXPECT_EQ(grade(LabTest::alp, v, 39, 40), w) << "ALP abnormal " << v;
  for (auto [v, w] : ast_abn) EXPECT_EQ(grade(LabTest::ast, v, 39, 40), w) << "AST abnormal " << v;
  for (auto [v, w] : bili) {
    EXPECT_EQ(grade(LabTest::bilirubin, v, 40, 40), w) << "bilirubin normal " << v;
    EXPECT_EQ(grade(LabTest::bilirubin, v, 39, 40), w) << "bilirubin abnormal " << v;
  }
}

}  // namespace sirtkit::clinical
