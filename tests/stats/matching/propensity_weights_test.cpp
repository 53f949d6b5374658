// Propensity scores by logistic regression (stats/matching/logistic_regression.h, R's
// glm(family = binomial)) and inverse-probability-of-treatment weights with
// their balance table (stats/matching/propensity_weights.h, stats/matching/covariate_balance.h)
// on lalonde and the simulated cohort, against tests/data/matching/iptw.R
// (MatchIt 4.5.1's balance statistics). Tolerance 1e-9 relative.

#include "stats/matching/propensity_weights.h"

#include <gtest/gtest.h>

#include "stats/matching/covariate_balance.h"
#include "stats/matching/logistic_regression.h"
#include "matching_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

::testing::AssertionResult near(double a, const nlohmann::json& e, double rel) {
  if (!e.is_null() && std::fabs(a - e.get<double>()) < 1e-12) return ::testing::AssertionSuccess();
  return near_rel(a, e, rel);
}

struct Data {
  Frame f;
  std::vector<int> treat;
  Eigen::MatrixXd x;  // the model's design without the intercept
};

Data load(const nlohmann::json& g) {
  Data d{load_csv(g["file"]), {}, {}};
  const std::string treat = cli_value(g["cli"], "--treatment");
  for (std::size_t i = 0; i < d.f.rows(); ++i) d.treat.push_back(static_cast<int>(d.f.num(treat, i)));
  const auto& terms = g["model"]["terms"];
  d.x.resize(static_cast<Eigen::Index>(d.f.rows()), static_cast<Eigen::Index>(terms.size() - 1));
  for (std::size_t k = 1; k < terms.size(); ++k) {
    const auto col = term_column(d.f, terms[k]);
    for (std::size_t i = 0; i < col.size(); ++i) d.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k - 1)) = col[i];
  }
  return d;
}

TEST(LogisticRegression, SameCoefficientsSeDevianceAndIterationsAsGlm) {
  const auto all = load_matching_golden("iptw");
  ASSERT_EQ(all["cases"].size(), 6u);
  for (const auto& g : all["cases"]) {
    SCOPED_TRACE(g["name"].get<std::string>());
    const Data d = load(g);
    const auto fit = logistic_regression(d.treat, d.x);
    ASSERT_TRUE(fit.converged);
    EXPECT_FALSE(fit.separated);
    for (Eigen::Index k = 0; k < fit.coef.size(); ++k) {
      EXPECT_TRUE(near_rel(fit.coef(k), g["model"]["coef"][static_cast<std::size_t>(k)], 1e-10)) << k;
      EXPECT_TRUE(near_rel(fit.se(k), g["model"]["se"][static_cast<std::size_t>(k)], 1e-9)) << k;
    }
    EXPECT_EQ(fit.iterations, g["model"]["iterations"].get<int>());
    EXPECT_TRUE(near_rel(fit.deviance, g["model"]["deviance"], 1e-12));
    EXPECT_TRUE(near_rel(fit.null_deviance, g["model"]["null_deviance"], 1e-12));
    for (std::size_t i = 0; i < d.treat.size(); ++i)
      EXPECT_TRUE(near_rel(fit.fitted(static_cast<Eigen::Index>(i)), g["propensity"][i], 1e-9)) << i;
  }
}

TEST(PropensityWeights, WeightsBalanceAndEffectiveSizeAsR) {
  const auto all = load_matching_golden("iptw");
  ASSERT_EQ(all["cases"].size(), 6u);
  for (const auto& g : all["cases"]) {
    SCOPED_TRACE(g["name"].get<std::string>());
    const Data d = load(g);
    const auto fit = logistic_regression(d.treat, d.x);
    const std::vector<double> e(fit.fitted.data(), fit.fitted.data() + fit.fitted.size());
    const bool att = g["estimand"] == "ATT";
    const auto w = propensity_weights(d.treat, e, att ? Estimand::att : Estimand::ate, g["stabilised"].get<bool>());
    for (std::size_t i = 0; i < w.size(); ++i) EXPECT_TRUE(near_rel(w[i], g["weights"][i], 1e-9)) << i;
    EXPECT_TRUE(near_rel(effective_sample_size(d.treat, w, 1), g["ess_treated"], 1e-9));
    EXPECT_TRUE(near_rel(effective_sample_size(d.treat, w, 0), g["ess_control"], 1e-9));
    const auto& terms = g["balance_all"]["terms"];
    const SdDenominator den = att ? SdDenominator::treated : SdDenominator::pooled;
    for (std::size_t k = 0; k < terms.size(); ++k) {
      const std::string term = terms[k];
      SCOPED_TRACE(term);
      const auto x = term == "distance" ? e : term_column(d.f, term);
      for (const auto& [t, weights] : {std::pair{&g["balance_all"], std::span<const double>{}},
                                       std::pair{&g["balance_weighted"], std::span<const double>{w}}}) {
        const auto r = balance_row(x, d.treat, weights, den);
        EXPECT_TRUE(near(r.mean_treated, (*t)["means_treated"][k], 1e-9));
        EXPECT_TRUE(near(r.mean_control, (*t)["means_control"][k], 1e-9));
        EXPECT_TRUE(near(r.smd, (*t)["smd"][k], 1e-9));
        EXPECT_TRUE(near(r.variance_ratio, (*t)["variance_ratio"][k], 1e-9));
        EXPECT_TRUE(near(r.ecdf_mean, (*t)["ecdf_mean"][k], 1e-9));
        EXPECT_TRUE(near(r.ecdf_max, (*t)["ecdf_max"][k], 1e-9));
      }
    }
  }
}

TEST(LogisticRegression, SeparationAndCollinearityAreFlagged) {
  Eigen::MatrixXd x(6, 1);
  x << 1, 2, 3, 4, 5, 6;
  const auto sep = logistic_regression(std::vector<int>{0, 0, 0, 1, 1, 1}, x);
  EXPECT_TRUE(sep.separated);
  Eigen::MatrixXd c(6, 2);
  c << 1, 2, 2, 4, 3, 6, 4, 8, 5, 10, 6, 12;
  EXPECT_TRUE(logistic_regression(std::vector<int>{0, 1, 0, 1, 1, 0}, c).rank_deficient);
}

}  // namespace
}  // namespace sirtkit::stats
