// MELD, MELD-Na, MELD 3.0 (clinical-rules.md §2.3): worked examples, every bound and
// the rounding rule.
#include "clinical/scores/meld.h"

#include <gtest/gtest.h>

#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {
MeldInput labs(double cr, double bili, double inr, double na = 137, double alb = 3.5) {
  MeldInput in;
  in.creatinine_mg_dl = cr;
  in.bilirubin_mg_dl = bili;
  in.inr = inr;
  in.sodium_mmol_l = na;
  in.albumin_g_dl = alb;
  return in;
}
}  // namespace

TEST(Meld, RoundingIsHalfAwayFromZero) {
  EXPECT_EQ(round_half_away(20.5), 21);
  EXPECT_EQ(round_half_away(21.5), 22);  // banker's would give 22 too; 20.5 → 20 distinguishes
  EXPECT_EQ(round_half_away(20.49), 20);
  EXPECT_EQ(round_half_away(-2.5), -3);
}

TEST(Meld, MedscapeExample) {
  // Cr 1.9, bili 4.2, INR 1.2 → raw 2.004 → 20
  const RuleResult r = meld(labs(1.9, 4.2, 1.2));
  EXPECT_EQ(r.value, 20);
  EXPECT_EQ(r.category, "MELD 20");
}

TEST(Meld, LowerBoundsOfLabs) {
  // All labs < 1 → set to 1.0 → 6.43 → 6
  EXPECT_EQ(meld(labs(0.5, 0.3, 0.9)).value, 6);
  EXPECT_EQ(meld(labs(0.99, 2, 1.5)).value, meld(labs(1.0, 2, 1.5)).value);
  EXPECT_EQ(meld(labs(1.0, 0.99, 1.5)).value, meld(labs(1.0, 1.0, 1.5)).value);
  EXPECT_EQ(meld(labs(2.0, 2, 0.99)).value, meld(labs(2.0, 2, 1.0)).value);
  // just above 1.0 is not bounded: 1.5 vs 1.0 differ
  EXPECT_GT(meld(labs(1.5, 2, 1.5)).value, meld(labs(1.0, 2, 1.5)).value);
}

TEST(Meld, CreatinineCapAndDialysis) {
  // Cr > 4.0 → 4.0; dialysis → 4.0
  const double at = meld(labs(4.0, 5, 2)).value;
  EXPECT_EQ(meld(labs(4.01, 5, 2)).value, at);
  EXPECT_EQ(meld(labs(8.0, 5, 2)).value, at);
  EXPECT_LT(meld(labs(3.0, 5, 2)).value, at);
  MeldInput d = labs(1.0, 5, 2);
  d.dialysis = true;
  EXPECT_EQ(meld(d).value, at);
  // 10 × (0.957 ln4 + 0.378 ln5 + 1.12 ln2 + 0.643) = 33.544 → 34
  EXPECT_EQ(at, 34);
}

TEST(Meld, UpperBound40) {
  EXPECT_EQ(meld(labs(4, 30, 5)).value, 40);  // raw 47.9 → 40
  EXPECT_EQ(meld_na(labs(4, 30, 5, 120)).value, 40);
}

TEST(MeldNa, WorkedExamples) {
  // §2.3: Cr 1.0, bili 2.0, INR 1.5, Na 130 → MELD(i) 14 → 20
  EXPECT_EQ(meld_na(labs(1.0, 2.0, 1.5, 130)).value, 20);
  // Cr 1.2, bili 3.0, INR 1.6, Na 128 → MELD(i) 18 → 25 (24 if MELD(i) were not rounded first)
  EXPECT_EQ(meld_na(labs(1.2, 3.0, 1.6, 128)).value, 25);
  EXPECT_EQ(meld(labs(1.2, 3.0, 1.6)).value, 18);
}

TEST(MeldNa, SodiumTermOnlyAboveEleven) {
  // bili 3.4 → MELD(i) 11.06 → 11: no sodium term; bili 4.4 → 12.03 → 12: applied
  EXPECT_EQ(meld(labs(1, 3.4, 1)).value, 11);
  EXPECT_EQ(meld_na(labs(1, 3.4, 1, 130)).value, 11);
  EXPECT_EQ(meld(labs(1, 4.4, 1)).value, 12);
  // 12 + 1.32·7 − 0.033·12·7 = 18.468 → 18
  EXPECT_EQ(meld_na(labs(1, 4.4, 1, 130)).value, 18);
}

TEST(MeldNa, SodiumBounds) {
  // MELD(i) 14 (Cr 1, bili 2, INR 1.5): Na 125 → 14 + 15.84 − 5.544 = 24.296 → 24
  EXPECT_EQ(meld_na(labs(1, 2, 1.5, 125)).value, 24);
  EXPECT_EQ(meld_na(labs(1, 2, 1.5, 124)).value, 24);  // clamped to 125
  EXPECT_EQ(meld_na(labs(1, 2, 1.5, 110)).value, 24);
  EXPECT_EQ(meld_na(labs(1, 2, 1.5, 126)).value, 23);  // 23.438
  EXPECT_EQ(meld_na(labs(1, 2, 1.5, 137)).value, 14);
  EXPECT_EQ(meld_na(labs(1, 2, 1.5, 138)).value, 14);  // clamped to 137
  EXPECT_EQ(meld_na(labs(1, 2, 1.5, 136)).value, 15);  // 14 + 1.32 − 0.462 = 14.858
}

TEST(MeldNa, BadInput) {
  EXPECT_BAD_INPUT(meld_na(labs(1, 2, 1.5, 0)), "sodium", "0");
  EXPECT_BAD_INPUT(meld(labs(0, 2, 1.5)), "creatinine", "0");
  EXPECT_BAD_INPUT(meld(labs(1, -2, 1.5)), "bilirubin", "-2");
  EXPECT_BAD_INPUT(meld(labs(1, 2, 0)), "inr", "0");
}

TEST(Meld3, WorkedExample) {
  // §2.3: male, bili 2.5, Na 135, INR 1.5, Cr 1.2, Alb 3.0 → 17.85 → 18; female → 19
  MeldInput in = labs(1.2, 2.5, 1.5, 135, 3.0);
  EXPECT_EQ(meld3(in).value, 18);
  in.female = true;
  EXPECT_EQ(meld3(in).value, 19);
}

TEST(Meld3, MinimumIsSix) {
  EXPECT_EQ(meld3(labs(0.5, 0.5, 0.9, 140, 4.5)).value, 6);
}

TEST(Meld3, CreatinineCapThreeAndDialysis) {
  const double at = meld3(labs(3.0, 2, 1.5, 135, 3.0)).value;
  EXPECT_EQ(meld3(labs(3.01, 2, 1.5, 135, 3.0)).value, at);
  EXPECT_EQ(meld3(labs(4.0, 2, 1.5, 135, 3.0)).value, at);  // 4.0 would count under MELD-Na
  EXPECT_LT(meld3(labs(2.5, 2, 1.5, 135, 3.0)).value, at);
  MeldInput d = labs(1.0, 2, 1.5, 135, 3.0);
  d.dialysis = true;
  EXPECT_EQ(meld3(d).value, at);
}

TEST(Meld3, AlbuminAndSodiumBounds) {
  auto v = [](double na, double alb) { return meld3(labs(1.5, 2, 1.5, na, alb)).value; };
  EXPECT_EQ(v(135, 1.4), v(135, 1.5));
  EXPECT_EQ(v(135, 1.0), v(135, 1.5));
  EXPECT_GT(v(135, 1.5), v(135, 3.0));
  EXPECT_EQ(v(135, 3.6), v(135, 3.5));
  EXPECT_EQ(v(124, 3.0), v(125, 3.0));
  EXPECT_EQ(v(138, 3.0), v(137, 3.0));
  EXPECT_GT(v(126, 3.0), v(137, 3.0));
}

TEST(Meld3, CapAt40IsAFlag) {
  const MeldInput in = labs(3, 30, 5, 120, 1.5);
  EXPECT_EQ(meld3(in, true).value, 40);
  EXPECT_GT(meld3(in, false).value, 40);
}

}  // namespace sirtkit::clinical
