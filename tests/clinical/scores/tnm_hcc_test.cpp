// AJCC 8th edition TNM for HCC (clinical-rules.md §2.7): every T boundary and stage group.
#include "clinical/scores/tnm_hcc.h"

#include <gtest/gtest.h>

#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {
std::string t(int n, double cm, bool vi = false, bool major = false, bool adj = false) {
  return tnm_hcc_t({n, cm, vi, major, adj, false, false});
}
}  // namespace

TEST(TnmHcc, SolitaryTumours) {
  EXPECT_EQ(t(1, 1.9), "T1a");
  EXPECT_EQ(t(1, 2.0), "T1a");
  EXPECT_EQ(t(1, 2.0, true), "T1a");  // ≤ 2 cm with or without vascular invasion
  EXPECT_EQ(t(1, 2.1), "T1b");
  EXPECT_EQ(t(1, 2.1, true), "T2");
  EXPECT_EQ(t(1, 12.0), "T1b");
}

TEST(TnmHcc, MultipleTumours) {
  EXPECT_EQ(t(2, 4.9), "T2");
  EXPECT_EQ(t(2, 5.0), "T2");  // none > 5 cm
  EXPECT_EQ(t(2, 5.1), "T3");
  EXPECT_EQ(t(3, 1.0, true), "T2");
}

TEST(TnmHcc, T4) {
  EXPECT_EQ(t(1, 1.0, false, true), "T4");
  EXPECT_EQ(t(3, 8.0, false, false, true), "T4");
}

TEST(TnmHcc, StageGroups) {
  auto stage = [](TnmHccInput in) { return tnm_hcc(in).category; };
  EXPECT_EQ(stage({1, 2.0, false, false, false, false, false}), "stage IA");
  EXPECT_EQ(stage({1, 3.0, false, false, false, false, false}), "stage IB");
  EXPECT_EQ(stage({1, 3.0, true, false, false, false, false}), "stage II");
  EXPECT_EQ(stage({2, 6.0, false, false, false, false, false}), "stage IIIA");
  EXPECT_EQ(stage({1, 3.0, false, true, false, false, false}), "stage IIIB");
  EXPECT_EQ(stage({1, 1.0, false, false, false, true, false}), "stage IVA");
  EXPECT_EQ(stage({1, 1.0, false, false, false, true, true}), "stage IVB");
  EXPECT_EQ(stage({1, 1.0, false, false, false, false, true}), "stage IVB");
  const RuleResult r = tnm_hcc({2, 6.0, false, false, false, true, false});
  EXPECT_EQ(r.notes[0], "T3 N1 M0");
  EXPECT_EQ(r.details[0].second, "T3");
  EXPECT_EQ(r.details[3].second, "IVA");
  EXPECT_EQ(r.value, 6);
}

TEST(TnmHcc, BadInput) {
  EXPECT_BAD_INPUT(t(0, 1.0), "tumours", "0");
  EXPECT_BAD_INPUT(t(1, 0.0), "largest", "0");
  EXPECT_BAD_INPUT(t(1, -1.0), "largest", "-1");
}

}  // namespace sirtkit::clinical
