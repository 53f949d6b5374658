// Two proportions against R's power.prop.test and rpact's getSampleSizeRates,
// the single-arm exact binomial design against a base-R search
// (tests/data/trial_design/proportions.R).
#include "stats/trial/sample_size_proportions.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../expect_bad_input.h"
#include "../golden_table.h"

namespace sirtkit::stats {
namespace {

TEST(SampleSizeProportions, MatchesRGoldens) {
  const auto rows = test::read_golden("trial_design/proportions.csv");
  int ppt = 0, power = 0, rpact = 0, binomial = 0;
  for (const auto& g : rows) {
    const std::string kind = g.text("kind");
    SCOPED_TRACE(kind + " p1 " + g.text("p1") + " p2 " + g.text("p2"));
    if (kind == "power.prop.test") {
      PowerPropInput in{g.num("p1"), g.num("p2"), g.num("alpha"), g.num("sided") == 1, g.num("strict") == 1};
      const double n = power_prop_test_n(in, 1 - g.num("beta"));
      // uniroot stepped as R steps it: R's digits, not just R's tolerance (1.2e-4).
      EXPECT_TRUE(RelNear(n, g.num("result1"), 1e-10));
      EXPECT_TRUE(RelNear(continuity_corrected_n(n, in.p1 - in.p2), g.num("result2"), 1e-10));
      ++ppt;
    } else if (kind == "power.prop.test.power") {
      PowerPropInput in{g.num("p1"), g.num("p2"), g.num("alpha"), g.num("sided") == 1, g.num("strict") == 1};
      EXPECT_TRUE(RelNear(power_prop_test_power(in, g.num("n_given")), g.num("result1"), 1e-12));
      ++power;
    } else if (kind == "rpact") {
      RatesInput in;
      in.pi1 = g.num("p1");
      in.pi2 = g.num("p2");
      in.alpha = g.num("alpha");
      in.beta = g.num("beta");
      in.sided = static_cast<int>(g.num("sided"));
      in.allocation_ratio = g.num("allocation_ratio");
      in.risk_ratio = g.num("risk_ratio") == 1;
      in.theta0 = g.num("theta0");
      const auto s = rates_sample_size(in);
      EXPECT_TRUE(RelNear(s.n, g.num("result1"), 1e-12));
      EXPECT_TRUE(RelNear(s.n1, g.num("result2"), 1e-12));
      EXPECT_TRUE(RelNear(s.n2, g.num("result3"), 1e-12));
      ++rpact;
    } else if (kind == "binomial") {
      const auto d = exact_binomial_design(g.num("p1"), g.num("p2"), g.num("alpha"), g.num("beta"));
      EXPECT_EQ(d.n, static_cast<int>(g.num("result1")));
      EXPECT_EQ(d.critical, static_cast<int>(g.num("result2")));
      EXPECT_TRUE(RelNear(d.power, g.num("result3"), 1e-10));
      EXPECT_LE(d.alpha, g.num("alpha"));
      ++binomial;
    }
  }
  EXPECT_EQ(ppt, 6);
  EXPECT_EQ(power, 3);
  EXPECT_EQ(rpact, 8);
  EXPECT_EQ(binomial, 5);
}

TEST(SampleSizeProportions, ExactBinomialIsTheSmallestN) {
  // No n below the design's reaches the power at exact size <= alpha.
  const auto d = exact_binomial_design(0.1, 0.3, 0.05, 0.2);
  for (int n = 1; n < d.n; ++n)
    for (int r = 0; r <= n; ++r)
      if (binomial_upper_tail(r, n, 0.1) <= 0.05) EXPECT_LT(binomial_upper_tail(r, n, 0.3), 0.8) << n << " " << r;
  EXPECT_NEAR(binomial_upper_tail(0, 5, 0.3), 1.0, 0);
  EXPECT_NEAR(binomial_upper_tail(5, 5, 0.3), std::pow(0.3, 5), 1e-15);
}

TEST(SampleSizeProportions, BadInputAndInfeasible) {
  EXPECT_BAD_INPUT(power_prop_test_n({0.3, 0.3, 0.05}, 0.8), "p2");
  EXPECT_BAD_INPUT(power_prop_test_n({1.2, 0.3, 0.05}, 0.8), "p1");
  RatesInput in;
  in.pi1 = 0.5;
  in.pi2 = 0.3;
  in.allocation_ratio = 0;
  EXPECT_BAD_INPUT(rates_sample_size(in), "allocation_ratio");
  EXPECT_BAD_INPUT(exact_binomial_design(0.3, 0.2, 0.05, 0.2), "p1");
  try {
    exact_binomial_design(0.5, 0.5001, 0.05, 0.2, 50);
    ADD_FAILURE() << "expected infeasible";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::infeasible);
  }
}

}  // namespace
}  // namespace sirtkit::stats
