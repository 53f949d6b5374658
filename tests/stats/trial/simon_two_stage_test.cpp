// Simon's two-stage designs: the published optimal designs of Simon (1989,
// Controlled Clinical Trials 10:1-10, Table 1: alpha 0.05, beta 0.20,
// p1 = p0 + 0.20; the rows as transcribed with their page in
// kkmann/BinaryTwoStageDesigns test/test_BinaryTwoStageDesign.jl), and an
// independent exhaustive search in base R (tests/data/trial_design/simon_search.R).
#include "stats/trial/simon_two_stage.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "../expect_bad_input.h"
#include "../golden_table.h"

namespace sirtkit::stats {
namespace {

TEST(SimonTwoStage, PublishedOptimalDesigns) {
  struct Row {
    double p0;
    int r1, n1, r, n;
  };
  // Simon (1989) Table 1, alpha = 0.05, beta = 0.20, p1 - p0 = 0.20, optimal design column.
  const Row rows[] = {{0.1, 1, 10, 5, 29}, {0.2, 3, 13, 12, 43}, {0.3, 5, 15, 18, 46}, {0.4, 7, 16, 23, 46},
                      {0.5, 8, 15, 26, 43}, {0.6, 7, 11, 30, 43}, {0.7, 4, 6, 22, 27}};
  for (const auto& row : rows) {
    SCOPED_TRACE(row.p0);
    const auto d = simon_design(row.p0, row.p0 + 0.2, 0.05, 0.2, SimonCriterion::optimal);
    EXPECT_EQ(d.r1, row.r1);
    EXPECT_EQ(d.n1, row.n1);
    EXPECT_EQ(d.r, row.r);
    EXPECT_EQ(d.n, row.n);
    EXPECT_LE(d.alpha, 0.05);
    EXPECT_GE(d.power, 0.8);
  }
  // The same table's EN(p0) and PET(p0) for p0 = 0.10 and 0.20: 15.0/0.74 and 20.6/0.75.
  const auto d1 = simon_design(0.1, 0.3, 0.05, 0.2, SimonCriterion::optimal);
  EXPECT_NEAR(d1.en0, 15.0, 0.05);
  EXPECT_NEAR(d1.pet0, 0.74, 0.005);
  const auto d2 = simon_design(0.2, 0.4, 0.05, 0.2, SimonCriterion::optimal);
  EXPECT_NEAR(d2.en0, 20.6, 0.05);
  EXPECT_NEAR(d2.pet0, 0.75, 0.005);
}

TEST(SimonTwoStage, MatchesAnIndependentSearchInR) {
  const auto rows = test::read_golden("trial_design/simon_search.csv");
  ASSERT_EQ(rows.size(), 14u);
  for (const auto& g : rows) {
    SCOPED_TRACE(g.text("p0") + "/" + g.text("p1") + " " + g.text("criterion"));
    const auto c = g.text("criterion") == "optimal" ? SimonCriterion::optimal : SimonCriterion::minimax;
    const auto d = simon_design(g.num("p0"), g.num("p1"), g.num("alpha"), g.num("beta"), c, static_cast<int>(g.num("max_n")));
    EXPECT_EQ(d.r1, static_cast<int>(g.num("r1")));
    EXPECT_EQ(d.n1, static_cast<int>(g.num("n1")));
    EXPECT_EQ(d.r, static_cast<int>(g.num("r")));
    EXPECT_EQ(d.n, static_cast<int>(g.num("n")));
    EXPECT_TRUE(RelNear(d.en0, g.num("en0"), 1e-10));
    EXPECT_TRUE(RelNear(d.pet0, g.num("pet0"), 1e-10));
    EXPECT_TRUE(RelNear(d.alpha, g.num("alpha_exact"), 1e-9));
    EXPECT_TRUE(RelNear(d.power, g.num("power_exact"), 1e-10));
  }
}

TEST(SimonTwoStage, CharacteristicsOfAGivenDesign) {
  // 1/10, 5/29 at p0 = 0.1: PET = P(X1 <= 1 | 10, 0.1) = 0.9^10 + 10 * 0.1 * 0.9^9.
  const auto d = simon_characteristics(1, 10, 5, 29, 0.1, 0.3);
  const double pet = std::pow(0.9, 10) + std::pow(0.9, 9);
  EXPECT_NEAR(d.pet0, pet, 1e-14);
  EXPECT_NEAR(d.en0, 10 + (1 - pet) * 19, 1e-12);
}

TEST(SimonTwoStage, SearchAnswersWellUnderASecond) {
  const auto t0 = std::chrono::steady_clock::now();
  simon_design(0.2, 0.4, 0.05, 0.2, SimonCriterion::optimal, 100);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, 1.0);
}

TEST(SimonTwoStage, BadInputAndInfeasible) {
  EXPECT_BAD_INPUT(simon_design(0.4, 0.3, 0.05, 0.2, SimonCriterion::optimal), "p1");
  EXPECT_BAD_INPUT(simon_design(0.1, 0.3, 0.05, 0.2, SimonCriterion::optimal, 5000), "max_n");
  EXPECT_BAD_INPUT(simon_characteristics(3, 10, 2, 29, 0.1, 0.3), "r");
  try {
    simon_design(0.1, 0.15, 0.05, 0.2, SimonCriterion::minimax, 40);
    ADD_FAILURE() << "expected infeasible";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::infeasible);
  }
}

}  // namespace
}  // namespace sirtkit::stats
