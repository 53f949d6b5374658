// Restricted mean survival time (stats/survival/restricted_mean.h) against R's
// print(survfit, rmean = tau) / summary(...)$table (survival 3.5-3), goldens
// from tests/data/survival/rmst.R: lung by sex at three horizons, the
// one-curve case, and aml with tau at an event time and past an arm's last
// follow-up (its last value carried on, as R). Tolerance 1e-10 relative.

#include "stats/survival/restricted_mean.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"
#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

struct Arms {
  std::vector<KmCurve> curves;  // in R's level order
  KmCurve all;
};

Arms curves(const std::string& data, const std::string& group) {
  const Frame f = load_frame(data);
  const auto lv = levels(f, group);
  std::vector<std::vector<double>> t(lv.size());
  std::vector<std::vector<int>> s(lv.size());
  std::vector<double> ta;
  std::vector<int> sa;
  for (std::size_t i = 0; i < f.rows(); ++i) {
    const auto g = static_cast<std::size_t>(level_code(lv, f.at(group, i)));
    const int st = static_cast<int>(f.num("status", i));  // 1 = event in both CSV copies
    t[g].push_back(f.num("time", i));
    s[g].push_back(st);
    ta.push_back(f.num("time", i));
    sa.push_back(st);
  }
  Arms a;
  for (std::size_t g = 0; g < lv.size(); ++g) a.curves.push_back(kaplan_meier(t[g], s[g]));
  a.all = kaplan_meier(ta, sa);
  return a;
}

TEST(RestrictedMean, LungBySexMatchesPrintSurvfitRmean) {
  const auto g = load_golden("rmst");
  const auto a = curves("lung", "sex");
  for (int tau : {365, 730, 1000}) {
    const std::string key = "lung_sex_" + std::to_string(tau);
    const auto m = restricted_mean(a.curves[0], tau), f = restricted_mean(a.curves[1], tau);
    EXPECT_TRUE(near_rel(m.rmean, g[key + "_rmean"][0], 1e-10)) << key;
    EXPECT_TRUE(near_rel(f.rmean, g[key + "_rmean"][1], 1e-10)) << key;
    EXPECT_TRUE(near_rel(m.std_err, g[key + "_se"][0], 1e-10)) << key;
    EXPECT_TRUE(near_rel(f.std_err, g[key + "_se"][1], 1e-10)) << key;
    const auto d = restricted_mean_difference(f, m);
    const auto& e = g[key + "_diff"];
    EXPECT_TRUE(near_rel(d.estimate, e[0], 1e-10));
    EXPECT_TRUE(near_rel(d.std_err, e[1], 1e-10));
    EXPECT_TRUE(near_rel(d.lower, e[2], 1e-10));
    EXPECT_TRUE(near_rel(d.upper, e[3], 1e-10));
    EXPECT_TRUE(near_rel(d.p_value, e[4], 1e-8));
  }
  const auto all = restricted_mean(a.all, 500);
  EXPECT_TRUE(near_rel(all.rmean, g["lung_all_500"][0], 1e-10));
  EXPECT_TRUE(near_rel(all.std_err, g["lung_all_500"][1], 1e-10));
}

TEST(RestrictedMean, AmlTauAtAnEventAndPastLastFollowUp) {
  const auto g = load_golden("rmst");
  const auto a = curves("aml", "maintained");
  for (int tau : {48, 100}) {
    const std::string key = "aml_" + std::to_string(tau);
    for (std::size_t k = 0; k < 2; ++k) {
      const auto r = restricted_mean(a.curves[k], tau);
      EXPECT_TRUE(near_rel(r.rmean, g[key + "_rmean"][k], 1e-10)) << key << " arm " << k;
      EXPECT_TRUE(near_rel(r.std_err, g[key + "_se"][k], 1e-10)) << key << " arm " << k;
    }
  }
  EXPECT_TRUE(restricted_mean(a.curves[0], 100).beyond_follow_up);  // non-maintained arm ends at 45
  EXPECT_FALSE(restricted_mean(a.curves[1], 100).beyond_follow_up);
}

TEST(RestrictedMean, HandComputedSmallCurve) {
  // times 2 (event), 4 (censored), 6 (event) of 3: S = 2/3 on [2, 6), 0 after.
  // RMST(5) = 2 + 3 * 2/3 = 4; var = A_1^2 d/(n(n-d)) with A_1 = 2 (area from 2 to 5):
  // 4 * 1/(3*2) = 2/3.
  const std::vector<double> t{2, 4, 6};
  const std::vector<int> s{1, 0, 1};
  const auto r = restricted_mean(kaplan_meier(t, s), 5);
  EXPECT_DOUBLE_EQ(r.rmean, 4.0);
  EXPECT_NEAR(r.std_err * r.std_err, 2.0 / 3.0, 1e-15);
  EXPECT_DOUBLE_EQ(restricted_mean(kaplan_meier(t, s), 1).rmean, 1.0);  // before the first time
  EXPECT_THROW(restricted_mean(kaplan_meier(t, s), 0), Error);
}

}  // namespace
}  // namespace sirtkit::stats
