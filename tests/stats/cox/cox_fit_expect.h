#pragma once
// A Cox fit against the numbers R's summary(coxph) prints, shared by the
// (start, stop] and exact-ties tests. Tolerance 1e-6 relative.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "stats/cox/cox_model.h"

namespace sirtkit::stats {

inline void expect_rel(double actual, double expected, double tol, const std::string& what) {
  EXPECT_NEAR(actual, expected, tol * std::fabs(expected)) << what;
}

struct Golden {
  std::vector<double> coef, se, loglik;
  double score, wald, lr;
  int iter;
  std::vector<double> concordance;  // concordant, discordant, tied.x, concordance
};

inline void expect_golden(const CoxFit& f, const Golden& g) {
  ASSERT_EQ(static_cast<std::size_t>(f.coef.size()), g.coef.size());
  for (std::size_t j = 0; j < g.coef.size(); ++j) {
    expect_rel(f.coef(j), g.coef[j], 1e-6, "coef " + std::to_string(j));
    expect_rel(f.se(j), g.se[j], 1e-6, "se " + std::to_string(j));
  }
  expect_rel(f.loglik_init, g.loglik[0], 1e-6, "loglik(0)");
  expect_rel(f.loglik, g.loglik[1], 1e-6, "loglik");
  expect_rel(f.score_test, g.score, 1e-6, "score test");
  expect_rel(f.wald_test, g.wald, 1e-6, "wald test");
  expect_rel(f.lr_test, g.lr, 1e-6, "LR test");
  EXPECT_EQ(f.iterations, g.iter);
  EXPECT_TRUE(f.converged);
  EXPECT_EQ(f.concordant, static_cast<std::int64_t>(g.concordance[0]));
  EXPECT_EQ(f.discordant, static_cast<std::int64_t>(g.concordance[1]));
  EXPECT_EQ(f.tied_x, static_cast<std::int64_t>(g.concordance[2]));
  expect_rel(f.concordance, g.concordance[3], 1e-9, "concordance");
}

}  // namespace sirtkit::stats
