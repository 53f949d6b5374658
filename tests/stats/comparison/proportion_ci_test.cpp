// Binomial proportion intervals and the exact binomial test against R 4.2.2.
// Goldens printed with sprintf("%.17g"); tolerance 1e-10 relative throughout.

#include "stats/comparison/proportion_ci.h"

#include <gtest/gtest.h>

#include "../expect_bad_input.h"

namespace sirtkit::stats {
namespace {

constexpr double tol = 1e-10;

struct CpCase {
  int x, n;
  double lower, upper, p;
};

TEST(ProportionCi, ClopperPearsonAndBinomTestMatchR) {
  // R: b <- binom.test(x, n); b$conf.int; b$p.value
  const CpCase cases[] = {
      {7, 20, 0.15390920478454115, 0.59218853453282816, 0.26317596435546875},
      {0, 10, 0, 0.30849710781876083, 0.0019531250000000004},  // x = 0: lower is exactly 0
      {10, 10, 0.69150289218123917, 1, 0.0019531250000000004},  // x = n: upper is exactly 1
      {13, 43, 0.17182499248521346, 0.46125330573403234, 0.013718185058678518},
      {35, 100, 0.25729377853145119, 0.45184936182396962, 0.0035176417229701574},
      {20, 28, 0.51333168455105938, 0.86776348742887488, 0.035698138177394839},
      {1, 1, 0.025000000000000022, 1, 1},
      {0, 1, 0, 0.97499999999999998, 1},
      {3, 1000, 0.00061909993164957196, 0.0087420232384782803, 3.1108943014033286e-293},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << c.x << "/" << c.n);
    const auto ci = clopper_pearson_interval(c.x, c.n);
    EXPECT_DOUBLE_EQ(ci.estimate, static_cast<double>(c.x) / c.n);
    EXPECT_TRUE(RelNear(ci.lower, c.lower, tol));
    EXPECT_TRUE(RelNear(ci.upper, c.upper, tol));
    EXPECT_TRUE(RelNear(binomial_test_p(c.x, c.n), c.p, tol));
  }
  EXPECT_EQ(clopper_pearson_interval(0, 10).lower, 0.0);
  EXPECT_EQ(clopper_pearson_interval(10, 10).upper, 1.0);
}

TEST(ProportionCi, ClopperPearsonOtherLevelAndNullProportion) {
  // R: binom.test(7, 20, conf.level = 0.9)$conf.int
  const auto ci = clopper_pearson_interval(7, 20, 0.9);
  EXPECT_TRUE(RelNear(ci.lower, 0.17731091757444906, tol));
  EXPECT_TRUE(RelNear(ci.upper, 0.55803451131548865, tol));
  // R: binom.test(7, 20, p = 0.3)$p.value; binom.test(2, 20, p = 0.3)$p.value; binom.test(20, 28, p = 0.6)$p.value
  EXPECT_TRUE(RelNear(binomial_test_p(7, 20, 0.3), 0.62949796667667735, tol));
  EXPECT_TRUE(RelNear(binomial_test_p(2, 20, 0.3), 0.052627948729727092, tol));
  EXPECT_TRUE(RelNear(binomial_test_p(20, 28, 0.6), 0.25094080387565021, tol));
}

struct WilsonCase {
  int x, n;
  double lower, upper, chisq, p;           // prop.test(x, n, correct = FALSE)
  double lower_cc, upper_cc, chisq_cc, p_cc;  // prop.test(x, n)
};

TEST(ProportionCi, WilsonWithAndWithoutCorrectionMatchPropTest) {
  // R: a <- prop.test(x, n, correct = FALSE); b <- prop.test(x, n)
  //    c(a$conf.int, a$statistic, a$p.value, b$conf.int, b$statistic, b$p.value)
  const WilsonCase cases[] = {
      {7, 20, 0.18119182410108206, 0.56714572331476365, 1.8, 0.17971249487899982, 0.1630866797163093,
       0.59051043384857327, 1.25, 0.26355247728297282},
      {0, 10, 0, 0.27753279986288915, 10, 0.0015654022580025519, 0, 0.34453721830692247, 8.0999999999999996,
       0.0044265258579198295},
      {10, 10, 0.72246720013711085, 1, 10, 0.0015654022580025519, 0.65546278169307748, 1, 8.0999999999999996,
       0.0044265258579198295},
      {20, 28, 0.5294071156670429, 0.84746003943330905, 5.1428571428571432, 0.023342202012890875,
       0.51127648834319128, 0.86048113756785627, 4.3214285714285712, 0.03763531378731419},
      // x = n/2: R caps the correction at |x − n/2| = 0, so both intervals agree.
      {5, 10, 0.23659309051256402, 0.76340690948743595, 0, 1, 0.23659309051256402, 0.76340690948743595, 0, 1},
      {13, 43, 0.18602000135848176, 0.45105364177729601, 6.7209302325581399, 0.0095287913863218061,
       0.17669681577906213, 0.46298936068866242, 5.9534883720930232, 0.014688191945847756},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message() << c.x << "/" << c.n);
    const auto w = proportion_interval(c.x, c.n, ProportionCiMethod::wilson);
    EXPECT_TRUE(RelNear(w.lower, c.lower, tol));
    EXPECT_TRUE(RelNear(w.upper, c.upper, tol));
    const auto cc = proportion_interval(c.x, c.n, ProportionCiMethod::wilson_corrected);
    EXPECT_TRUE(RelNear(cc.lower, c.lower_cc, tol));
    EXPECT_TRUE(RelNear(cc.upper, c.upper_cc, tol));
    const auto t = proportion_chisq_test(c.x, c.n, 0.5, false);
    EXPECT_TRUE(RelNear(t.statistic, c.chisq, tol));
    EXPECT_TRUE(RelNear(t.p_value, c.p, tol));
    const auto tc = proportion_chisq_test(c.x, c.n, 0.5, true);
    EXPECT_TRUE(RelNear(tc.statistic, c.chisq_cc, tol));
    EXPECT_TRUE(RelNear(tc.p_value, c.p_cc, tol));
  }
}

TEST(ProportionCi, MethodNames) {
  EXPECT_EQ(parse_proportion_ci_method("clopper-pearson"), ProportionCiMethod::clopper_pearson);
  EXPECT_EQ(parse_proportion_ci_method("exact"), ProportionCiMethod::clopper_pearson);
  EXPECT_EQ(parse_proportion_ci_method("wilson"), ProportionCiMethod::wilson);
  EXPECT_EQ(parse_proportion_ci_method("wilson-cc"), ProportionCiMethod::wilson_corrected);
  EXPECT_BAD_INPUT(parse_proportion_ci_method("agresti"), "method", "agresti");
}

TEST(ProportionCi, RefusesBadCounts) {
  EXPECT_BAD_INPUT(clopper_pearson_interval(-1, 10), "x", "-1");
  EXPECT_BAD_INPUT(clopper_pearson_interval(11, 10), "x", "11");
  EXPECT_BAD_INPUT(wilson_interval(0, 0), "n", "0");
  EXPECT_BAD_INPUT(binomial_test_p(3, 10, 1.0), "p0", "1");
  EXPECT_BAD_INPUT(clopper_pearson_interval(3, 10, 95), "conf_level", "95");
}

}  // namespace
}  // namespace sirtkit::stats
