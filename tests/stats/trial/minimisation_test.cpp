// Pocock-Simon imbalance scores and assignment probabilities against hand computations.

#include "stats/trial/minimisation.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../expect_bad_input.h"

namespace sirtkit::stats {
namespace {

// statistics-methods.md §3.4 worked golden (g8.R): arms A/B, sex counts A (M10, F6)
// B (M8, F8), BCLC A (A5, B7, C4) B (A6, B5, C5); new patient male, BCLC B. The counts of
// the new patient's levels: sex M (10, 8), BCLC B (7, 5).
const std::vector<std::vector<long long>> worked = {{10, 8}, {7, 5}};

TEST(Minimisation, PocockSimonWorkedExampleRange) {
  // A: sex (11, 8) range 3 + BCLC (8, 5) range 3 = 6; B: (10, 9) 1 + (7, 6) 1 = 2.
  const auto g = minimisation_scores(worked, {1, 1}, {1, 1}, ImbalanceMeasure::range);
  EXPECT_DOUBLE_EQ(g[0], 6);
  EXPECT_DOUBLE_EQ(g[1], 2);
  const auto p = minimisation_probabilities(g, {1, 1}, 0.8);
  EXPECT_DOUBLE_EQ(p[0], 0.2);
  EXPECT_DOUBLE_EQ(p[1], 0.8);
}

TEST(Minimisation, PocockSimonWorkedExampleVarianceAndSd) {
  // var(11, 8) = 4.5 and var(8, 5) = 4.5 → 9; var(10, 9) = var(7, 6) = 0.5 → 1 (R var, n − 1).
  const auto v = minimisation_scores(worked, {1, 1}, {1, 1}, ImbalanceMeasure::variance);
  EXPECT_DOUBLE_EQ(v[0], 9);
  EXPECT_DOUBLE_EQ(v[1], 1);
  // sd: 2 sqrt(4.5) and 2 sqrt(0.5).
  const auto s = minimisation_scores(worked, {1, 1}, {1, 1}, ImbalanceMeasure::sd);
  EXPECT_DOUBLE_EQ(s[0], 2 * std::sqrt(4.5));
  EXPECT_DOUBLE_EQ(s[1], 2 * std::sqrt(0.5));
}

TEST(Minimisation, FactorWeightsMultiplyTheirImbalance) {
  // Weights 2 (sex) and 0.5 (BCLC), range: A 2·3 + 0.5·3 = 7.5, B 2·1 + 0.5·1 = 2.5.
  const auto g = minimisation_scores(worked, {1, 1}, {2, 0.5}, ImbalanceMeasure::range);
  EXPECT_DOUBLE_EQ(g[0], 7.5);
  EXPECT_DOUBLE_EQ(g[1], 2.5);
}

TEST(Minimisation, UnequalRatioDividesCountsAsMinirand) {
  // Three arms, ratio 2:2:1 (Minirand's example), counts (4, 2, 1) of the new patient's level.
  // Hypothetical counts / ratio: on A (2.5, 1, 1), on B (2, 1.5, 1), on C (2, 1, 2).
  const std::vector<std::vector<long long>> c = {{4, 2, 1}};
  const auto range = minimisation_scores(c, {2, 2, 1}, {1}, ImbalanceMeasure::range);
  EXPECT_DOUBLE_EQ(range[0], 1.5);
  EXPECT_DOUBLE_EQ(range[1], 1.0);
  EXPECT_DOUBLE_EQ(range[2], 1.0);
  // B and C tie: p/2 each, A gets 1 − p.
  const auto pr = minimisation_probabilities(range, {2, 2, 1}, 0.8);
  EXPECT_DOUBLE_EQ(pr[0], 0.2);
  EXPECT_DOUBLE_EQ(pr[1], 0.4);
  EXPECT_DOUBLE_EQ(pr[2], 0.4);
  // Variance separates them: A 0.75, B 0.25, C 1/3 → B alone preferred, A and C share 0.2.
  const auto var = minimisation_scores(c, {2, 2, 1}, {1}, ImbalanceMeasure::variance);
  EXPECT_DOUBLE_EQ(var[0], 0.75);
  EXPECT_DOUBLE_EQ(var[1], 0.25);
  EXPECT_NEAR(var[2], 1.0 / 3, 1e-15);
  const auto pv = minimisation_probabilities(var, {2, 2, 1}, 0.8);
  EXPECT_DOUBLE_EQ(pv[1], 0.8);
  EXPECT_NEAR(pv[0], 0.1, 1e-15);
  EXPECT_NEAR(pv[2], 0.1, 1e-15);
}

TEST(Minimisation, AllEqualScoresFollowTheRatio) {
  const auto p = minimisation_probabilities({2, 2, 2}, {2, 1, 1}, 0.9);
  EXPECT_DOUBLE_EQ(p[0], 0.5);
  EXPECT_DOUBLE_EQ(p[1], 0.25);
  EXPECT_DOUBLE_EQ(p[2], 0.25);
  // Scores equal up to rounding of quotients (1/3 + 1/3 + 1/3 vs 1) count as a tie.
  const auto q = minimisation_probabilities({1.0 / 3 + 1.0 / 3 + 1.0 / 3, 1.0}, {1, 1}, 0.8);
  EXPECT_DOUBLE_EQ(q[0], 0.5);
}

TEST(Minimisation, ParsesMeasures) {
  EXPECT_EQ(parse_imbalance_measure("range", "s.toml"), ImbalanceMeasure::range);
  EXPECT_EQ(parse_imbalance_measure("var", "s.toml"), ImbalanceMeasure::variance);
  EXPECT_EQ(parse_imbalance_measure("sd", "s.toml"), ImbalanceMeasure::sd);
  EXPECT_BAD_INPUT(parse_imbalance_measure("max", "s.toml"), "s.toml", "imbalance", "max", "range, variance or sd");
}

}  // namespace
}  // namespace sirtkit::stats
