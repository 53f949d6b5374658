// Wilcoxon rank-sum, Student and Welch t, Kruskal-Wallis and one-way ANOVA
// against R 4.2.2 (sprintf("%.17g")); tolerance 1e-10 relative.

#include "stats/comparison/two_sample_tests.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "../expect_bad_input.h"

namespace sirtkit::stats {
namespace {

constexpr double tol = 1e-10;

// Hollander & Wolfe's permeability data, as in R's ?wilcox.test.
const std::vector<double> x1{0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
const std::vector<double> y1{1.15, 0.88, 0.90, 0.74, 1.21};
// With ties within and across groups.
const std::vector<double> x2{1, 2, 2, 3, 4, 5, 5, 5, 7};
const std::vector<double> y2{2, 3, 5, 6, 6, 8, 9, 9};
// set.seed(1); x3 <- round(rnorm(60, 10, 2), 3); y3 <- round(rnorm(55, 11, 2), 3)  (no ties)
const std::vector<double> x3{8.747,  10.367, 8.329,  13.191, 10.659, 8.359,  10.975, 11.477, 11.152, 9.389,  13.024, 10.780,
                             8.758,  5.571,  12.250, 9.910,  9.968,  11.888, 11.642, 11.188, 11.838, 11.564, 10.149, 6.021,
                             11.240, 9.888,  9.688,  7.058,  9.044,  10.836, 12.717, 9.794,  10.775, 9.892,  7.246,  9.170,
                             9.211,  9.881,  12.200, 11.526, 9.671,  9.493,  11.394, 11.113, 8.622,  8.585,  10.729, 11.537,
                             9.775,  11.762, 10.796, 8.776,  10.682, 7.741,  12.866, 13.961, 9.266,  7.912,  11.139, 9.730};
const std::vector<double> y3{15.803, 10.922, 12.379, 11.056, 9.513,  11.378, 7.390,  13.931, 11.307, 15.345, 11.951,
                             9.580,  12.221, 9.132,  8.493,  11.583, 10.113, 11.002, 11.149, 9.821,  9.863,  10.730,
                             13.356, 7.953,  12.188, 11.666, 13.126, 10.392, 11.740, 11.534, 9.915,  13.416, 13.321,
                             12.400, 14.174, 12.117, 8.447,  9.853,  8.551,  10.053, 9.759,  11.084, 9.178,  11.316,
                             9.691,  14.535, 12.433, 12.820, 11.768, 14.364, 9.729,  10.077, 13.865, 9.699,  10.585};

std::span<const double> head(const std::vector<double>& v, std::size_t n) { return {v.data(), n}; }

TEST(TwoSampleTests, WilcoxonExactMatchesR) {
  // R: wilcox.test(x1, y1): W = 35, p-value = 0.2544122544122544 (exact)
  auto r = wilcoxon_rank_sum(x1, y1);
  EXPECT_TRUE(r.exact);
  EXPECT_FALSE(r.ties);
  EXPECT_EQ(r.w, 35);
  EXPECT_TRUE(RelNear(r.p_value, 0.2544122544122544, tol));
  // R: wilcox.test(y1, x1): W = 15, same p
  r = wilcoxon_rank_sum(y1, x1);
  EXPECT_EQ(r.w, 15);
  EXPECT_TRUE(RelNear(r.p_value, 0.2544122544122544, tol));
  // R: wilcox.test(c(1.1, 2.2, 3.3), c(4.4, 5.5, 6.6, 7.7)): W = 0, p = 2/35
  r = wilcoxon_rank_sum(std::vector<double>{1.1, 2.2, 3.3}, std::vector<double>{4.4, 5.5, 6.6, 7.7});
  EXPECT_EQ(r.w, 0);
  EXPECT_TRUE(RelNear(r.p_value, 0.057142857142857141, tol));
  // R: wilcox.test(x3[1:49], y3[1:49]): W = 830, p = 0.0081594927766236794 (exact, largest exact size)
  r = wilcoxon_rank_sum(head(x3, 49), head(y3, 49));
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.w, 830);
  EXPECT_TRUE(RelNear(r.p_value, 0.0081594927766236794, tol));
  // R: wilcox.test(x3[1:49], y3[1:12]): W = 182, p = 0.042020577714682268
  r = wilcoxon_rank_sum(head(x3, 49), head(y3, 12));
  EXPECT_EQ(r.w, 182);
  EXPECT_TRUE(RelNear(r.p_value, 0.042020577714682268, tol));
}

TEST(TwoSampleTests, WilcoxonNormalApproximationWithTiesMatchesR) {
  // R: wilcox.test(x2, y2): W = 17, p = 0.072018433657986131 (ties -> normal, continuity correction)
  auto r = wilcoxon_rank_sum(x2, y2);
  EXPECT_FALSE(r.exact);
  EXPECT_TRUE(r.ties);
  EXPECT_EQ(r.w, 17);
  EXPECT_EQ(r.continuity_correction, 0.5);
  EXPECT_TRUE(RelNear(r.p_value, 0.072018433657986131, tol));
  // R: wilcox.test(x2, y2, correct = FALSE): p = 0.064656867396149564
  WilcoxonOptions o;
  o.continuity_correction = false;
  r = wilcoxon_rank_sum(x2, y2, o);
  EXPECT_TRUE(RelNear(r.p_value, 0.064656867396149564, tol));
  // R: wilcox.test(x3, y3): W = 1169, p = 0.0071391338210324597 (n >= 50 -> normal)
  r = wilcoxon_rank_sum(x3, y3);
  EXPECT_FALSE(r.exact);
  EXPECT_FALSE(r.ties);
  EXPECT_EQ(r.w, 1169);
  EXPECT_TRUE(RelNear(r.p_value, 0.0071391338210324597, tol));
  // R: wilcox.test(x1, y1, exact = FALSE): p = 0.24462360512698336
  o = {};
  o.exact = WilcoxonExact::never;
  r = wilcoxon_rank_sum(x1, y1, o);
  EXPECT_TRUE(RelNear(r.p_value, 0.24462360512698336, tol));
  // exact = TRUE with ties still falls back to the normal approximation, as R.
  o.exact = WilcoxonExact::always;
  EXPECT_FALSE(wilcoxon_rank_sum(x2, y2, o).exact);
}

TEST(TwoSampleTests, AverageRanks) {
  const auto r = average_ranks(std::vector<double>{3, 1, 3, 2, 3});
  EXPECT_EQ(r, (std::vector<double>{4, 1, 4, 2, 4}));
}

struct TCase {
  const std::vector<double>* x;
  const std::vector<double>* y;
  bool equal_var;
  double level, t, df, p, lo, hi, se;
};

TEST(TwoSampleTests, TTestsMatchR) {
  // R: r <- t.test(x, y, var.equal = ..., conf.level = ...); r$statistic; r$parameter; r$p.value; r$conf.int; r$stderr
  const TCase cases[] = {
      {&x1, &y1, false, 0.95, 2.0413830922100695, 12.970538443257542, 0.062101343781078469, -0.019724996335104026,
       0.69372499633510387, 0.16508415362407675},
      {&x1, &y1, true, 0.95, 1.6061366602738689, 13, 0.13225051067782634, -0.1162890975191482, 0.79028909751914811,
       0.2098202527439581},
      {&x2, &y2, false, 0.95, -1.9737406551806762, 12.751231631924865, 0.070481251374300113, -4.6594003497551064,
       0.21495590531066161, 1.1258937269135798},
      {&x2, &y2, true, 0.9, -2.0112610663528492, 15, 0.062624102282048399, -4.1591500145743474, -0.28529442987009668,
       1.1048899913584678},
      {&x3, &y3, false, 0.95, -3.1191507061491945, 109.09070529961969, 0.0023203211803623247, -1.7225656746302536,
       -0.38401614355156577, 0.33768516122495074},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << "n " << c.x->size() << "/" << c.y->size() << " equal_var " << c.equal_var);
    const auto r = t_test(*c.x, *c.y, c.equal_var, c.level);
    EXPECT_TRUE(RelNear(r.statistic, c.t, tol));
    EXPECT_TRUE(RelNear(r.df, c.df, tol));
    EXPECT_TRUE(RelNear(r.p_value, c.p, tol));
    EXPECT_TRUE(RelNear(r.ci_low, c.lo, tol));
    EXPECT_TRUE(RelNear(r.ci_high, c.hi, tol));
    EXPECT_TRUE(RelNear(r.std_error, c.se, tol));
  }
  const auto r = t_test(x1, y1);
  EXPECT_TRUE(RelNear(r.mean_x, 1.313, 1e-14));
  EXPECT_TRUE(RelNear(r.mean_y, 0.976, 1e-14));
}

TEST(TwoSampleTests, KGroupTestsMatchR) {
  const std::vector<double> z{2.1, 0.5, 1.15, 1.3};
  // R: kruskal.test(list(x1, y1, c(2.1, 0.5, 1.15, 1.3)))
  auto k = kruskal_wallis({x1, y1, z});
  EXPECT_TRUE(RelNear(k.statistic, 1.6249780509218668, tol));
  EXPECT_EQ(k.df1, 2);
  EXPECT_TRUE(RelNear(k.p_value, 0.44375218002999262, tol));
  // R: kruskal.test(list(x2, y2, c(5, 5, 6, 1)))  (ties)
  k = kruskal_wallis({x2, y2, {5, 5, 6, 1}});
  EXPECT_TRUE(RelNear(k.statistic, 3.8504016064256956, tol));
  EXPECT_TRUE(RelNear(k.p_value, 0.14584646747637325, tol));
  // R: oneway.test(v ~ g, data.frame(v = c(x1, y1, z), g = factor(rep(1:3, c(10, 5, 4)))), var.equal = TRUE)
  const auto a = one_way_anova({x1, y1, z});
  EXPECT_TRUE(RelNear(a.statistic, 0.97518940465525783, tol));
  EXPECT_EQ(a.df1, 2);
  EXPECT_EQ(a.df2, 16);
  EXPECT_TRUE(RelNear(a.p_value, 0.39844732668905147, tol));
}

TEST(TwoSampleTests, RefusesBadInput) {
  const std::vector<double> one{1.0}, empty{}, bad{1.0, NAN};
  EXPECT_BAD_INPUT(t_test(one, x1), "group x", "1 values");
  EXPECT_BAD_INPUT(t_test(x1, one), "group y", "1 values");
  EXPECT_BAD_INPUT(t_test(x1, bad), "group y value 2", "nan");
  EXPECT_BAD_INPUT(t_test(std::vector<double>{2, 2}, std::vector<double>{2, 2}), "essentially constant");
  EXPECT_BAD_INPUT(wilcoxon_rank_sum(empty, x1), "group x", "0 values");
  EXPECT_BAD_INPUT(kruskal_wallis({x1, {}}), "groups", "1");
  EXPECT_BAD_INPUT(one_way_anova({x1, one}), "group 2", "1 values");
}

}  // namespace
}  // namespace sirtkit::stats
