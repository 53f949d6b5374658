// aeqSurv near-tie rule (R/aeqSurv.R): values within sqrt(eps) (absolute, or
// relative to mean |t|) of the previous distinct time are that time; and the
// engines give the same answers as with exact ties, as R does by default.

#include "stats/survival/time_fix.h"

#include <gtest/gtest.h>

#include "stats/cox/cox_model.h"
#include "stats/survival/kaplan_meier.h"
#include "stats/survival/log_rank.h"

namespace sirtkit::stats {
namespace {

TEST(TimeFix, MergesChainsOfNearTiesToTheFirstValue) {
  const double a = 10.0 / 3.0;
  const std::vector<double> t{a, a * (1 + 4e-9), a * (1 + 8e-9), 5.0, 7.0, 5.0 + 1e-3};
  const auto f = aeq_times(t);
  ASSERT_EQ(f.size(), t.size());
  EXPECT_EQ(f[0], a);
  EXPECT_EQ(f[1], a);
  EXPECT_EQ(f[2], a);
  EXPECT_EQ(f[3], 5.0);
  EXPECT_EQ(f[5], 5.0 + 1e-3);  // a real difference stays
  EXPECT_TRUE(aeq_times(std::vector<double>{1, 2, 3}).empty());
}

TEST(TimeFix, EnginesTreatNearTiesAsTies) {
  // The same time computed two ways differs in the last bit: 0.3 vs 0.1 + 0.2.
  const double m1 = 0.3, m2 = 0.1 + 0.2;
  ASSERT_NE(m1, m2);
  const std::vector<double> near{m1, m2, 3, 4, 5, 6, 2.5, 7};
  const std::vector<double> exact{m1, m1, 3, 4, 5, 6, 2.5, 7};
  const std::vector<int> status{1, 1, 0, 1, 1, 0, 1, 1};
  const std::vector<int> group{0, 1, 0, 1, 0, 1, 0, 1};
  const KmCurve k1 = kaplan_meier(near, status), k2 = kaplan_meier(exact, status);
  EXPECT_EQ(k1.time, k2.time);
  EXPECT_EQ(k1.surv, k2.surv);
  EXPECT_EQ(k1.n_event[0], 2);
  EXPECT_DOUBLE_EQ(log_rank(near, status, group, 2).chisq, log_rank(exact, status, group, 2).chisq);
  Eigen::MatrixXd x(8, 1);
  x << 0.5, 1.2, -0.3, 0.8, 0.1, -1.0, 0.4, 2.0;
  EXPECT_DOUBLE_EQ(cox_fit(near, status, x).loglik, cox_fit(exact, status, x).loglik);
  CoxOptions off;
  off.timefix = false;
  EXPECT_NE(cox_fit(near, status, x, off).loglik, cox_fit(exact, status, x).loglik);
}

}  // namespace
}  // namespace sirtkit::stats
