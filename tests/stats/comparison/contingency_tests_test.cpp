// Fisher's exact test and Pearson's chi-square against R 4.2.2 (printed with
// sprintf("%.17g")). Tables are written row by row: R's matrix(c(a, b, c, d),
// 2, byrow = TRUE) is {{a, b}, {c, d}} here. Tolerance 1e-10 relative for
// p-values, odds ratios and CIs: the odds ratio and its CI are roots that R
// finds with uniroot's tolerance (1.22e-4), and sirtkit takes R's steps, so
// it reproduces R's digits (the exact root of the tea-tasting MLE is
// 6.4083196582, R reports 6.4083088670).

#include "stats/comparison/contingency_tests.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "../expect_bad_input.h"

namespace sirtkit::stats {
namespace {

constexpr double tol = 1e-10;
constexpr double inf = std::numeric_limits<double>::infinity();

struct Fisher2x2Case {
  CountTable table;
  double p, odds_ratio, lower, upper;
};

TEST(ContingencyTests, Fisher2x2MatchesR) {
  // R: r <- fisher.test(matrix(c(...), 2, byrow = TRUE)); r$p.value; r$estimate; r$conf.int
  const Fisher2x2Case cases[] = {
      // Fisher's tea-tasting lady: c(3, 1, 1, 3)
      {{{3, 1}, {1, 3}}, 0.48571428571428582, 6.4083088670057879, 0.21173291530550292, 621.9337505454173},
      // c(12, 5, 8, 15) (reference statistics-methods.md §1: p 0.05355099, OR 4.319064)
      {{{12, 5}, {8, 15}}, 0.053550992594374146, 4.3190635148588452, 0.98170803815630703, 21.946819990513561},
      // a zero cell: c(10, 3, 0, 7) -> OR Inf, CI (2.5754650799172674, Inf)
      {{{10, 3}, {0, 7}}, 0.0030959752321981526, inf, 2.5754650799172674, inf},
      // c(0, 7, 10, 3) -> OR 0, CI (0, 0.38827938604087908)
      {{{0, 7}, {10, 3}}, 0.0030959752321981526, 0, 0, 0.38827938604087908},
      // c(20, 8, 6, 22)
      {{{20, 8}, {6, 22}}, 0.00038978967486847938, 8.7374585885501368, 2.3593275205769637, 37.50883772277195},
      // equal rows: c(22, 22, 6, 6) -> p 1, OR exactly 1
      {{{22, 22}, {6, 6}}, 1, 1, 0.22762954697169488, 4.3931027992791618},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << c.table[0][0] << "," << c.table[0][1] << "/" << c.table[1][0] << "," << c.table[1][1]);
    const FisherResult r = fisher_exact_test(c.table);
    EXPECT_TRUE(r.two_by_two);
    EXPECT_TRUE(RelNear(r.p_value, c.p, tol));
    EXPECT_TRUE(RelNear(r.odds_ratio, c.odds_ratio, tol));
    EXPECT_TRUE(RelNear(r.or_lower, c.lower, tol));
    EXPECT_TRUE(RelNear(r.or_upper, c.upper, tol));
  }
}

TEST(ContingencyTests, FisherConfLevel) {
  // R: fisher.test(matrix(c(12, 5, 8, 15), 2, byrow = TRUE), conf.level = 0.9)$conf.int
  FisherOptions o;
  o.conf_level = 0.9;
  const auto r = fisher_exact_test({{12, 5}, {8, 15}}, o);
  EXPECT_TRUE(RelNear(r.or_lower, 1.1956691551082976, tol));
  EXPECT_TRUE(RelNear(r.or_upper, 17.282733326109394, tol));
}

TEST(ContingencyTests, FisherRxCMatchesR) {
  // R: fisher.test(matrix(c(9, 3, 1, 7, 4, 3), 2, byrow = TRUE))$p.value
  const auto r23 = fisher_exact_test({{9, 3, 1}, {7, 4, 3}});
  EXPECT_FALSE(r23.two_by_two);
  EXPECT_TRUE(std::isnan(r23.odds_ratio));
  EXPECT_TRUE(RelNear(r23.p_value, 0.6556587547299535, tol));
  // R: fisher.test(matrix(c(2, 6, 7, 5, 0, 1, 3, 4, 2), 3, byrow = TRUE))$p.value
  EXPECT_TRUE(RelNear(fisher_exact_test({{2, 6, 7}, {5, 0, 1}, {3, 4, 2}}).p_value, 0.040135369756936996, tol));
  // R: fisher.test(matrix(c(9, 7, 1, 3, 4, 4, 9, 9, 0, 3, 3, 4), 2, byrow = TRUE))$p.value
  EXPECT_TRUE(RelNear(fisher_exact_test({{9, 7, 1, 3, 4, 4}, {9, 9, 0, 3, 3, 4}}).p_value, 0.98476697746552944, tol));
  // R: fisher.test(matrix(1:12, 3))$p.value   (3 x 4, filled by column)
  EXPECT_TRUE(RelNear(fisher_exact_test({{1, 4, 7, 10}, {2, 5, 8, 11}, {3, 6, 9, 12}}).p_value, 0.99906768268371504, tol));
  // Larger margins: 572 382 and 2 256 612 tables.
  // R: fisher.test(matrix(c(20, 15, 30, 25, 40, 10, 5, 12, 9), 3, byrow = TRUE))$p.value
  EXPECT_TRUE(RelNear(fisher_exact_test({{20, 15, 30}, {25, 40, 10}, {5, 12, 9}}).p_value, 8.5503414452947288e-05, tol));
  // R: fisher.test(matrix(c(8, 7, 6, 5, 4, 6, 7, 8, 5, 5, 5, 5), 3, byrow = TRUE))$p.value
  const auto r34 = fisher_exact_test({{8, 7, 6, 5}, {4, 6, 7, 8}, {5, 5, 5, 5}});
  EXPECT_TRUE(RelNear(r34.p_value, 0.91267333212728807, tol));
  EXPECT_EQ(r34.tables_enumerated, 2256612u);
  // The same table transposed gives the same test.
  EXPECT_TRUE(RelNear(fisher_exact_test({{9, 7}, {3, 4}, {1, 3}}).p_value, 0.6556587547299535, tol));
}

TEST(ContingencyTests, FisherRefusesTablesBeyondTheEnumerationLimit) {
  FisherOptions o;
  o.max_tables = 1000;
  EXPECT_BAD_INPUT(fisher_exact_test({{20, 15, 30}, {25, 40, 10}, {5, 12, 9}}, o), "3 x 3", "1000",
                         "chi-square");
}

struct ChisqCase {
  CountTable table;
  bool correct;
  double statistic;
  int df;
  double p;
};

TEST(ContingencyTests, ChisqMatchesR) {
  // R: r <- chisq.test(matrix(c(...), nrow, byrow = TRUE), correct = ...); r$statistic; r$parameter; r$p.value
  const ChisqCase cases[] = {
      {{{12, 5}, {8, 15}}, true, 3.6828644501278776, 1, 0.054974328721694277},
      {{{12, 5}, {8, 15}}, false, 5.0127877237851663, 1, 0.025160759200408729},
      {{{3, 1}, {1, 3}}, true, 0.5, 1, 0.47950012218695348},
      {{{10, 3}, {0, 7}}, true, 7.9120879120879124, 1, 0.0049105561621726485},
      // Yates' correction applies only to 2 x 2: the same with correct = TRUE or FALSE.
      {{{9, 3, 1}, {7, 4, 3}}, true, 1.3576824960753533, 2, 0.50720437604991442},
      {{{9, 3, 1}, {7, 4, 3}}, false, 1.3576824960753533, 2, 0.50720437604991442},
      {{{20, 25, 5}, {15, 40, 12}, {30, 10, 9}}, true, 22.422517709724534, 4, 0.00016510969748288317},
      // correction = min(0.5, |O − E|) = 0.2439...: X² becomes exactly 0.
      {{{10, 10}, {11, 10}}, true, 0, 1, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << "table " << c.table[0][0] << "... correct " << c.correct);
    const ChisqResult r = chisq_test(c.table, c.correct);
    EXPECT_TRUE(RelNear(r.statistic, c.statistic, tol));
    EXPECT_NEAR(r.statistic, c.statistic, 1e-13);
    EXPECT_EQ(r.df, c.df);
    EXPECT_TRUE(RelNear(r.p_value, c.p, tol));
  }
}

TEST(ContingencyTests, ChisqExpectedCountsAndWarningFlag) {
  // R: chisq.test(matrix(c(9, 3, 1, 7, 4, 3), 2, byrow = TRUE))$expected, with the warning
  // "Chi-squared approximation may be incorrect" (expected counts < 5).
  const auto r = chisq_test({{9, 3, 1}, {7, 4, 3}});
  EXPECT_TRUE(RelNear(r.expected[0][0], 7.7037037037037033, tol));
  EXPECT_TRUE(RelNear(r.expected[1][2], 2.074074074074074, tol));
  EXPECT_TRUE(r.expected_below_5);
  EXPECT_EQ(r.yates_correction, 0);
  // c(12, 5, 8, 15): E = 8.5, 8.5, 11.5, 11.5, no warning; Yates 0.5.
  const auto s = chisq_test({{12, 5}, {8, 15}});
  EXPECT_DOUBLE_EQ(s.expected[0][0], 8.5);
  EXPECT_DOUBLE_EQ(s.expected[1][1], 11.5);
  EXPECT_FALSE(s.expected_below_5);
  EXPECT_EQ(s.yates_correction, 0.5);
  EXPECT_DOUBLE_EQ(s.pearson_residuals[0][0], 3.5 / std::sqrt(8.5));
}

TEST(ContingencyTests, RefusesBadTables) {
  EXPECT_BAD_INPUT(fisher_exact_test({{3, -1}, {1, 3}}), "count [1,2]", "-1");
  EXPECT_BAD_INPUT(fisher_exact_test({{0, 0}, {1, 3}}), "row 1 total", "0");
  EXPECT_BAD_INPUT(chisq_test({{0, 4}, {0, 3}}), "column 1 total", "0");
  EXPECT_BAD_INPUT(chisq_test({{1, 2, 3}}), "rows", "1");
  EXPECT_BAD_INPUT(chisq_test({{1, 2}, {3}}), "row 2");
}

}  // namespace
}  // namespace sirtkit::stats
