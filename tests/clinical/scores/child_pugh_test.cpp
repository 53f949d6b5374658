// Child-Pugh boundaries (clinical-rules.md §2.1): every cut just below, at, just above,
// in US and SI units.
#include "clinical/scores/child_pugh.h"

#include <gtest/gtest.h>

#include "clinical/units.h"
#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {

ChildPughInput best() { return {1.0, 4.0, 1.0, Ascites::none, Encephalopathy::none}; }

int points_of(const RuleResult& r, const std::string& name) {
  for (const auto& i : r.inputs)
    if (i.name == name) return i.points.value();
  ADD_FAILURE() << "no input " << name;
  return -1;
}

int bili_points(double mg_dl) {
  auto in = best();
  in.bilirubin_mg_dl = mg_dl;
  return points_of(child_pugh(in), "bilirubin");
}
int alb_points(double g_dl) {
  auto in = best();
  in.albumin_g_dl = g_dl;
  return points_of(child_pugh(in), "albumin");
}
int inr_points(double inr) {
  auto in = best();
  in.inr = inr;
  return points_of(child_pugh(in), "inr");
}

}  // namespace

TEST(ChildPugh, BestCaseIsA5) {
  const RuleResult r = child_pugh(best());
  EXPECT_EQ(r.value, 5);
  EXPECT_EQ(r.category, "A5");
  EXPECT_EQ(r.inputs.size(), 5u);
  EXPECT_NE(r.source.find("Pugh"), std::string::npos);
}

TEST(ChildPugh, BilirubinBoundariesUs) {
  EXPECT_EQ(bili_points(1.99), 1);
  EXPECT_EQ(bili_points(2.0), 2);
  EXPECT_EQ(bili_points(2.01), 2);
  EXPECT_EQ(bili_points(2.99), 2);
  EXPECT_EQ(bili_points(3.0), 2);
  EXPECT_EQ(bili_points(3.01), 3);
}

TEST(ChildPugh, BilirubinBoundariesSi) {
  auto si = [](const char* t) { return bili_points(bilirubin_mg_dl(parse_quantity(t, "bilirubin"))); };
  EXPECT_EQ(si("34.1 µmol/L"), 1);
  EXPECT_EQ(si("34.2 µmol/L"), 2);  // exactly 2.0 mg/dL after conversion
  EXPECT_EQ(si("34.3 µmol/L"), 2);
  EXPECT_EQ(si("51.2 µmol/L"), 2);
  EXPECT_EQ(si("51.3 µmol/L"), 2);  // exactly 3.0 mg/dL
  EXPECT_EQ(si("51.4 µmol/L"), 3);
}

TEST(ChildPugh, AlbuminBoundaries) {
  EXPECT_EQ(alb_points(3.51), 1);
  EXPECT_EQ(alb_points(3.5), 2);
  EXPECT_EQ(alb_points(3.49), 2);
  EXPECT_EQ(alb_points(2.81), 2);
  EXPECT_EQ(alb_points(2.8), 2);
  EXPECT_EQ(alb_points(2.79), 3);
  auto si = [](const char* t) { return alb_points(albumin_g_dl(parse_quantity(t, "albumin"))); };
  EXPECT_EQ(si("35.1 g/L"), 1);
  EXPECT_EQ(si("35 g/L"), 2);
  EXPECT_EQ(si("28 g/L"), 2);
  EXPECT_EQ(si("27.9 g/L"), 3);
}

TEST(ChildPugh, InrBoundaries) {
  EXPECT_EQ(inr_points(1.69), 1);
  EXPECT_EQ(inr_points(1.7), 2);
  EXPECT_EQ(inr_points(1.71), 2);
  EXPECT_EQ(inr_points(2.29), 2);
  EXPECT_EQ(inr_points(2.3), 2);
  EXPECT_EQ(inr_points(2.31), 3);
}

TEST(ChildPugh, ProthrombinTimeProlongationInsteadOfInr) {
  auto pts = [](double s) {
    ChildPughInput in = best();
    in.inr = 0;
    in.pt_prolongation_s = s;
    return points_of(child_pugh(in), "pt_prolongation");
  };
  EXPECT_EQ(pts(3.9), 1);
  EXPECT_EQ(pts(4.0), 2);
  EXPECT_EQ(pts(4.1), 2);
  EXPECT_EQ(pts(5.9), 2);
  EXPECT_EQ(pts(6.0), 2);
  EXPECT_EQ(pts(6.1), 3);
  ChildPughInput both = best();
  both.pt_prolongation_s = 3;
  EXPECT_BAD_INPUT(child_pugh(both), "pt_prolongation", "not both");
  EXPECT_DOUBLE_EQ(seconds_value(parse_quantity("5 s", "pt")), 5);
  EXPECT_BAD_INPUT(seconds_value(parse_quantity("5", "pt"), "pt"), "pt", "seconds");
}

TEST(ChildPugh, ClinicalGrades) {
  auto in = best();
  in.ascites = Ascites::mild;
  in.encephalopathy = Encephalopathy::grade_3_4;
  const RuleResult r = child_pugh(in);
  EXPECT_EQ(points_of(r, "ascites"), 2);
  EXPECT_EQ(points_of(r, "encephalopathy"), 3);
  EXPECT_EQ(r.value, 8);
  EXPECT_EQ(r.category, "B8");
  EXPECT_EQ(r.details[0], std::make_pair(std::string("class"), std::string("B")));
  EXPECT_EQ(parse_ascites("tense"), Ascites::moderate_severe);
  EXPECT_EQ(parse_ascites("slight"), Ascites::mild);
  EXPECT_EQ(parse_encephalopathy("2"), Encephalopathy::grade_1_2);
  EXPECT_EQ(parse_encephalopathy("3"), Encephalopathy::grade_3_4);
  EXPECT_EQ(parse_encephalopathy("Grade 1"), Encephalopathy::grade_1_2);
  EXPECT_EQ(parse_encephalopathy("grade3-4"), Encephalopathy::grade_3_4);
  EXPECT_EQ(parse_encephalopathy("None"), Encephalopathy::none);
  EXPECT_EQ(parse_ascites("Moderate"), Ascites::moderate_severe);
  EXPECT_BAD_INPUT(parse_ascites("some"), "ascites", "not shown");
  EXPECT_BAD_INPUT(parse_encephalopathy("5"), "encephalopathy", "5");
}

TEST(ChildPugh, ClassBoundaries) {
  // A 5-6, B 7-9, C 10-15
  EXPECT_EQ(child_pugh_class(5), 'A');
  EXPECT_EQ(child_pugh_class(6), 'A');
  EXPECT_EQ(child_pugh_class(7), 'B');
  EXPECT_EQ(child_pugh_class(9), 'B');
  EXPECT_EQ(child_pugh_class(10), 'C');
  EXPECT_EQ(child_pugh_class(15), 'C');
  EXPECT_BAD_INPUT(child_pugh_class(4), "points", "4");
  EXPECT_BAD_INPUT(child_pugh_class(16), "points", "16");
  auto in = best();
  in.bilirubin_mg_dl = 2.5;  // 2 points → A6
  EXPECT_EQ(child_pugh(in).category, "A6");
  in.albumin_g_dl = 3.0;  // +1 → B7
  EXPECT_EQ(child_pugh(in).category, "B7");
  in.inr = 2.0;  // +1 → B8
  in.ascites = Ascites::mild;  // +1 → B9
  EXPECT_EQ(child_pugh(in).category, "B9");
  in.encephalopathy = Encephalopathy::grade_1_2;  // +1 → C10
  EXPECT_EQ(child_pugh(in).category, "C10");
  ChildPughInput worst{4.0, 2.0, 3.0, Ascites::moderate_severe, Encephalopathy::grade_3_4};
  EXPECT_EQ(child_pugh(worst).category, "C15");
}

TEST(ChildPugh, ImpossibleValuesAreErrors) {
  auto in = best();
  in.bilirubin_mg_dl = 0;
  EXPECT_BAD_INPUT(child_pugh(in), "bilirubin", "0");
  in = best();
  in.albumin_g_dl = 35;  // g/L passed as g/dL
  EXPECT_BAD_INPUT(child_pugh(in), "albumin", "35");
  in = best();
  in.inr = -1;
  EXPECT_BAD_INPUT(child_pugh(in), "inr", "-1");
}

}  // namespace sirtkit::clinical
