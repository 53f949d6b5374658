// BCLC 2022, CLIP, Okuda, ECOG (clinical-rules.md §2.4-2.6, §2.8).
#include <gtest/gtest.h>

#include "clinical/scores/bclc.h"
#include "clinical/scores/clip.h"
#include "clinical/scores/ecog.h"
#include "clinical/scores/okuda.h"
#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {
std::string stage(int ecog, int nodules, double cm, bool mvi = false, bool ehs = false,
                  LiverFunction lf = LiverFunction::preserved) {
  return bclc({ecog, nodules, cm, mvi, ehs, lf}).category;
}
}  // namespace

TEST(Bclc, VeryEarlyBoundaryTwoCm) {
  EXPECT_EQ(stage(0, 1, 1.9), "BCLC 0");
  EXPECT_EQ(stage(0, 1, 2.0), "BCLC 0");  // single ≤ 2 cm
  EXPECT_EQ(stage(0, 1, 2.1), "BCLC A");
  EXPECT_EQ(stage(0, 1, 12.0), "BCLC A");  // single, any size
}

TEST(Bclc, EarlyBoundaryThreeNodulesThreeCm) {
  EXPECT_EQ(stage(0, 2, 1.0), "BCLC A");  // 2 small nodules are A, not 0
  EXPECT_EQ(stage(0, 3, 2.9), "BCLC A");
  EXPECT_EQ(stage(0, 3, 3.0), "BCLC A");
  EXPECT_EQ(stage(0, 3, 3.1), "BCLC B");
  EXPECT_EQ(stage(0, 2, 3.1), "BCLC B");
  EXPECT_EQ(stage(0, 4, 1.0), "BCLC B");
}

TEST(Bclc, AdvancedAndTerminal) {
  EXPECT_EQ(stage(0, 1, 1.5, true), "BCLC C");
  EXPECT_EQ(stage(0, 1, 1.5, false, true), "BCLC C");
  EXPECT_EQ(stage(1, 1, 1.5), "BCLC C");
  EXPECT_EQ(stage(2, 4, 5.0), "BCLC C");
  EXPECT_EQ(stage(3, 1, 1.5), "BCLC D");
  EXPECT_EQ(stage(4, 1, 1.5), "BCLC D");
  EXPECT_EQ(stage(0, 1, 1.5, false, false, LiverFunction::end_stage), "BCLC D");
  EXPECT_EQ(stage(3, 1, 1.5, true, true), "BCLC D");  // D takes precedence
  EXPECT_EQ(bclc({0, 1, 1.5, false, false, LiverFunction::preserved}).value, 0);
  EXPECT_EQ(bclc({0, 4, 1.5, false, false, LiverFunction::preserved}).value, 2);
  EXPECT_EQ(bclc({0, 1, 1.5, false, false, LiverFunction::preserved}).inputs.size(), 6u);
}

TEST(Bclc, BadInput) {
  EXPECT_BAD_INPUT(stage(5, 1, 1.5), "ecog", "5");
  EXPECT_BAD_INPUT(stage(-1, 1, 1.5), "ecog", "-1");
  EXPECT_BAD_INPUT(stage(0, 0, 1.5), "nodules", "0");
  EXPECT_BAD_INPUT(stage(0, 1, 0), "largest_nodule", "0");
  EXPECT_BAD_INPUT(parse_liver_function("ok"), "liver-function", "not shown");
  EXPECT_EQ(parse_liver_function("end-stage"), LiverFunction::end_stage);
}

TEST(Clip, EachComponent) {
  const ClipInput base{'A', TumourMorphology::uninodular, false, 10, false};
  EXPECT_EQ(clip(base).value, 0);
  ClipInput in = base;
  in.child_pugh_class = 'B';
  EXPECT_EQ(clip(in).value, 1);
  in.child_pugh_class = 'C';
  EXPECT_EQ(clip(in).value, 2);
  in = base;
  in.morphology = TumourMorphology::multinodular;
  EXPECT_EQ(clip(in).value, 1);
  in.extension_over_50_percent = true;
  EXPECT_EQ(clip(in).value, 2);
  in = base;
  in.morphology = TumourMorphology::massive;
  EXPECT_EQ(clip(in).value, 2);
  in = base;
  in.extension_over_50_percent = true;  // uninodular but > 50 %
  EXPECT_EQ(clip(in).value, 2);
  in = base;
  in.portal_vein_thrombosis = true;
  EXPECT_EQ(clip(in).value, 1);
}

TEST(Clip, AfpBoundary400) {
  ClipInput in{'A', TumourMorphology::uninodular, false, 399.9, false};
  EXPECT_EQ(clip(in).value, 0);
  in.afp_ng_ml = 400;
  EXPECT_EQ(clip(in).value, 1);
  in.afp_ng_ml = 400.1;
  EXPECT_EQ(clip(in).value, 1);
}

TEST(Clip, MaximumAndBadInput) {
  const ClipInput worst{'C', TumourMorphology::massive, true, 1000, true};
  EXPECT_EQ(clip(worst).value, 6);
  EXPECT_EQ(clip(worst).category, "CLIP 6");
  ClipInput in = worst;
  in.child_pugh_class = 'D';
  EXPECT_BAD_INPUT(clip(in), "child_pugh_class", "D");
  in = worst;
  in.afp_ng_ml = -1;
  EXPECT_BAD_INPUT(clip(in), "afp");
  EXPECT_BAD_INPUT(parse_morphology("blob"), "morphology", "not shown");
}

TEST(Okuda, BoundariesAndStages) {
  auto n = [](bool t, bool a, double alb, double bili) { return okuda({t, a, alb, bili}); };
  EXPECT_EQ(n(false, false, 3.01, 2.99).value, 0);
  EXPECT_EQ(n(false, false, 3.0, 2.99).value, 0);   // albumin < 3 is positive; 3.0 is not
  EXPECT_EQ(n(false, false, 2.99, 2.99).value, 1);
  EXPECT_EQ(n(false, false, 3.5, 3.0).value, 1);    // bilirubin ≥ 3 is positive
  EXPECT_EQ(n(false, false, 3.5, 3.01).value, 1);
  EXPECT_EQ(n(false, false, 3.5, 1.0).category, "Okuda I");
  EXPECT_EQ(n(true, false, 3.5, 1.0).category, "Okuda II");
  EXPECT_EQ(n(true, true, 3.5, 1.0).category, "Okuda II");
  EXPECT_EQ(n(true, true, 2.5, 1.0).category, "Okuda III");
  EXPECT_EQ(n(true, true, 2.5, 4.0).category, "Okuda III");
  EXPECT_EQ(n(true, true, 2.5, 4.0).value, 4);
  EXPECT_BAD_INPUT(n(false, false, 0, 1), "albumin", "0");
}

TEST(Ecog, Grades) {
  EXPECT_EQ(ecog(0).category, "ECOG 0");
  EXPECT_EQ(ecog(5).value, 5);
  EXPECT_NE(ecog(4).notes[0].find("totally confined"), std::string::npos);
  EXPECT_BAD_INPUT(ecog(6), "ecog", "6");
  EXPECT_BAD_INPUT(ecog(-1), "ecog", "-1");
}

}  // namespace sirtkit::clinical
