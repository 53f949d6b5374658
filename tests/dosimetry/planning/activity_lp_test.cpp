// The lexicographic LP on hand-solved programmes.
#include "dosimetry/planning/activity_lp.h"

#include <gtest/gtest.h>

#include <limits>

namespace sirtkit::dosimetry {
namespace {

// GLPK's simplex holds rows to about 1e-7 relative; the solutions below are exact to that.
constexpr double kTol = 1e-7;

constexpr double kInf = std::numeric_limits<double>::infinity();

// Two activities; hard: x1 + x2 <= 3 (a shared lung limit), 100 x2 >= 40.
// Level 1: 100 x1 up to 250; room x1 <= 3 − 0.4 = 2.6, so 250 is reached at x1 = 2.5.
// Level 2: 100 x2 up to 80 -> x2 <= 3 − 2.5 = 0.5 -> 50 (short of 80); the shared limit binds
// with dual d(level 2)/d(limit) = 100.
TEST(ActivityLp, LevelsInOrderThenLeastTotal) {
  LexicographicLp lp;
  lp.variables = 2;
  lp.upper_bound = {kInf, kInf};
  lp.hard = {{{1, 1}, -kInf, 3}, {{0, 100}, 40, kInf}};
  lp.levels = {{{100, 0}, -kInf, 250}, {{0, 100}, -kInf, 80}};
  const LpOutcome o = solve_lexicographic(lp);
  ASSERT_TRUE(o.feasible);
  EXPECT_NEAR(o.x[0], 2.5, kTol);
  EXPECT_NEAR(o.x[1], 0.5, kTol);
  EXPECT_NEAR(o.attained[0], 250, 1e-5);
  EXPECT_NEAR(o.attained[1], 50, 1e-5);
  EXPECT_EQ(o.first_short_level, 1);
  EXPECT_NEAR(o.hard_duals[0], 100, 1e-5);
  EXPECT_NEAR(o.hard_duals[1], 0, kTol);
}

// The order decides who gives way: level 1 now the second tumour.
TEST(ActivityLp, OrderIsLexicographic) {
  LexicographicLp lp;
  lp.variables = 2;
  lp.upper_bound = {kInf, kInf};
  lp.hard = {{{1, 1}, -kInf, 3}};
  lp.levels = {{{0, 100}, -kInf, 80}, {{100, 0}, -kInf, 250}};
  const LpOutcome o = solve_lexicographic(lp);
  EXPECT_NEAR(o.x[1], 0.8, kTol);
  EXPECT_NEAR(o.x[0], 2.2, kTol);
  EXPECT_EQ(o.first_short_level, 1);
}

// Levels already met leave the least total activity: x1 = 2.5 from level 1 and
// x2 = 0 (no level asks for it), although the hard row would allow more.
TEST(ActivityLp, LeastTotalActivityWhenAimsAreMet) {
  LexicographicLp lp;
  lp.variables = 2;
  lp.upper_bound = {kInf, 1.0};
  lp.hard = {{{1, 1}, -kInf, 30}};
  lp.levels = {{{100, 10}, -kInf, 250}};
  const LpOutcome o = solve_lexicographic(lp);
  // 100 x1 + 10 x2 = 250 at least total: x2 = 0 (x1 costs 1/100 per Gy, x2 1/10).
  EXPECT_NEAR(o.x[0], 2.5, kTol);
  EXPECT_NEAR(o.x[1], 0.0, kTol);
  EXPECT_EQ(o.first_short_level, -1);
}

TEST(ActivityLp, InfeasibleHardRows) {
  LexicographicLp lp;
  lp.variables = 1;
  lp.upper_bound = {kInf};
  lp.hard = {{{10}, -kInf, 30}, {{100}, 400, kInf}};  // x <= 3 and x >= 4
  EXPECT_FALSE(solve_lexicographic(lp).feasible);
}

}  // namespace
}  // namespace sirtkit::dosimetry
