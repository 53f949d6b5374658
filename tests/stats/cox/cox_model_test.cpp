// Cox PH against R 4.2.2 / survival 3.5-3 coxph goldens (tests/data/survival):
// Efron and Breslow coefficients, SE, z, p, HR and CI, log-likelihoods, LR /
// Wald / score tests and p-values (1e-6 relative; Wald statistic as printed,
// rounded to 2 decimals by summary.coxph), concordance, iterations, AIC; robust
// SE; stratified fits; univariable group HR with R's dummy coding. Plus
// Therneau & Grambsch closed-form test data 1.

#include "stats/cox/cox_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

struct Design {
  std::vector<double> time;
  std::vector<int> status, strata;
  Eigen::MatrixXd x;
};

// Complete cases on time, event, covariates (and strata); factor covariates
// become R treatment dummies (first level reference).
Design load(const std::string& name, const std::vector<std::string>& covariates, const std::string& strata_col,
            bool factor_covariates = false) {
  const auto g = load_golden(name);
  const Frame f = load_frame(name);
  const std::string tcol = g["time"], ecol = g["event"];
  std::vector<std::size_t> rows;
  auto missing = [&](const std::string& c, std::size_t r) {
    const auto& s = f.at(c, r);
    return s.empty() || s == "NA";
  };
  for (std::size_t r = 0; r < f.rows(); ++r) {
    bool ok = !missing(tcol, r) && !missing(ecol, r) && (strata_col.empty() || !missing(strata_col, r));
    for (const auto& c : covariates) ok = ok && !missing(c, r);
    if (ok) rows.push_back(r);
  }
  Design d;
  std::vector<std::vector<double>> cols;
  for (const auto& c : covariates) {
    if (factor_covariates) {
      const auto lv = levels(f, c);
      for (std::size_t l = 1; l < lv.size(); ++l) {
        std::vector<double> v;
        for (auto r : rows) v.push_back(f.at(c, r) == lv[l] ? 1.0 : 0.0);
        cols.push_back(v);
      }
    } else {
      std::vector<double> v;
      for (auto r : rows) v.push_back(f.num(c, r));
      cols.push_back(v);
    }
  }
  d.x.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(cols.size()));
  for (std::size_t j = 0; j < cols.size(); ++j)
    for (std::size_t i = 0; i < rows.size(); ++i) d.x(i, j) = cols[j][i];
  std::vector<std::string> slv;
  if (!strata_col.empty()) slv = levels(f, strata_col);
  for (auto r : rows) {
    d.time.push_back(f.num(tcol, r));
    d.status.push_back(static_cast<int>(f.num(ecol, r)));
    if (!strata_col.empty()) d.strata.push_back(level_code(slv, f.at(strata_col, r)));
  }
  return d;
}

std::vector<std::string> covariates_of(const nlohmann::json& g) {
  std::vector<std::string> out;
  for (const auto& c : as_list(g["covariates"])) out.push_back(c.get<std::string>());
  return out;
}

void expect_vec(const Eigen::VectorXd& v, const nlohmann::json& expected, double rel, const std::string& what) {
  const auto e = as_list(expected);
  ASSERT_EQ(static_cast<std::size_t>(v.size()), e.size()) << what;
  for (std::size_t i = 0; i < e.size(); ++i) EXPECT_TRUE(near_rel(v(i), e[i], rel)) << what << "[" << i << "]";
}

class CoxGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(CoxGolden, EfronAndBreslow) {
  const std::string name = GetParam();
  const auto g = load_golden(name);
  const Design d = load(name, covariates_of(g), "");
  for (const auto ties : {Ties::efron, Ties::breslow}) {
    const auto& gc = g["cox"][ties_name(ties)];
    CoxOptions opt;
    opt.ties = ties;
    const CoxFit f = cox_fit(d.time, d.status, d.x, opt);
    SCOPED_TRACE(name + " " + ties_name(ties));
    EXPECT_EQ(f.n, gc["n"].get<std::int64_t>());
    EXPECT_EQ(f.nevent, gc["nevent"].get<std::int64_t>());
    EXPECT_EQ(f.iterations, gc["iterations"].get<int>());
    expect_vec(f.coef, gc["coef"], 1e-6, "coef");
    expect_vec(f.se, gc["se"], 1e-6, "se");
    expect_vec(f.z, gc["z"], 1e-6, "z");
    expect_vec(f.p_value, gc["p"], 1e-6, "p");
    expect_vec(f.hr, gc["hr"], 1e-6, "hr");
    expect_vec(f.hr_lower, gc["hr_lower"], 1e-6, "hr_lower");
    expect_vec(f.hr_upper, gc["hr_upper"], 1e-6, "hr_upper");
    EXPECT_TRUE(near_rel(f.loglik_init, gc["loglik"][0], 1e-6));
    EXPECT_TRUE(near_rel(f.loglik, gc["loglik"][1], 1e-6));
    EXPECT_TRUE(near_rel(f.lr_test, gc["lr_test"][0], 1e-6));
    EXPECT_EQ(f.df, gc["lr_test"][1].get<int>());
    EXPECT_TRUE(near_rel(f.lr_p, gc["lr_test"][2], 1e-6));
    EXPECT_EQ(std::round(f.wald_test * 100) / 100, gc["wald_test"][0].get<double>());  // printed rounded
    EXPECT_TRUE(near_rel(f.wald_p, gc["wald_test"][2], 1e-6));
    EXPECT_TRUE(near_rel(f.score_test, gc["score_test"][0], 1e-6));
    EXPECT_TRUE(near_rel(f.score_p, gc["score_test"][2], 1e-6));
    EXPECT_TRUE(near_rel(f.concordance, gc["concordance"], 1e-6));
    EXPECT_TRUE(near_rel(f.aic(), gc["aic"], 1e-6));
    EXPECT_TRUE(f.converged);
  }
}

TEST_P(CoxGolden, RobustSandwichSe) {
  const std::string name = GetParam();
  const auto g = load_golden(name);
  const Design d = load(name, covariates_of(g), "");
  CoxOptions opt;
  opt.robust = true;
  const CoxFit f = cox_fit(d.time, d.status, d.x, opt);
  expect_vec(f.coef, g["cox_robust"]["coef"], 1e-6, name + " coef");
  expect_vec(f.robust_se, g["cox_robust"]["robust_se"], 1e-6, name + " robust se");
}

// With robust variance, z, p, the HR CI and the Wald test come from the
// sandwich, as summary.coxph reports them; se stays the model-based se(coef).
// R: s <- summary(coxph(Surv(time, status) ~ age + sex, data = lung, robust = TRUE))
//    s$coefficients; s$conf.int; fit$wald.test
TEST(CoxModel, RobustFitReportsRobustZCiAndWald) {
  const Design d = load("lung", {"age", "sex"}, "");
  CoxOptions opt;
  opt.robust = true;
  const CoxFit f = cox_fit(d.time, d.status, d.x, opt);
  EXPECT_NEAR(f.se(0), 0.00922327347697, 1e-6 * 0.00922327347697);
  const double z[] = {1.79336989201982, -3.20412788184247}, p[] = {0.07291379849221, 0.00135472288694},
               lo[] = {0.998417836380, 0.437291998903}, hi[] = {1.036318034933, 0.819318061614};
  for (int j = 0; j < 2; ++j) {
    EXPECT_NEAR(f.z(j), z[j], 1e-6 * std::fabs(z[j]));
    EXPECT_NEAR(f.p_value(j), p[j], 1e-6 * p[j]);
    EXPECT_NEAR(f.hr_lower(j), lo[j], 1e-6 * lo[j]);
    EXPECT_NEAR(f.hr_upper(j), hi[j], 1e-6 * hi[j]);
  }
  EXPECT_NEAR(f.wald_test, 13.5888691607134, 1e-6 * 13.5888691607134);
  EXPECT_NEAR(f.score_test, 13.7223214895153, 1e-6 * 13.7223214895153);  // the naive score test, as R's "Score (logrank)"
  EXPECT_NEAR(f.robust_score_test, 13.2424375882431, 1e-6 * 13.2424375882431);  // fit$rscore
  EXPECT_NEAR(f.robust_score_p, 0.001331807, 1e-6);
}

TEST_P(CoxGolden, Stratified) {
  const std::string name = GetParam();
  const auto g = load_golden(name);
  if (!g.contains("cox_stratified")) GTEST_SKIP() << name << " has no stratified golden";
  const Design d = load(name, covariates_of(g), g["strata"]);
  const CoxFit f = cox_fit(d.time, d.status, d.x, {}, d.strata);
  expect_vec(f.coef, g["cox_stratified"]["coef"], 1e-6, name + " coef");
  expect_vec(f.se, g["cox_stratified"]["se"], 1e-6, name + " se");
  EXPECT_TRUE(near_rel(f.loglik_init, g["cox_stratified"]["loglik"][0], 1e-6));
  EXPECT_TRUE(near_rel(f.loglik, g["cox_stratified"]["loglik"][1], 1e-6));
}

TEST_P(CoxGolden, UnivariableGroupWithDummyCoding) {
  const std::string name = GetParam();
  const auto g = load_golden(name);
  const Design d = load(name, {g["group"].get<std::string>()}, "", true);
  const CoxFit f = cox_fit(d.time, d.status, d.x);
  const auto& gu = g["cox_univariable_group"];
  expect_vec(f.coef, gu["coef"], 1e-6, name + " coef");
  expect_vec(f.hr, gu["hr"], 1e-6, name + " hr");
  expect_vec(f.hr_lower, gu["lower"], 1e-6, name + " lower");
  expect_vec(f.hr_upper, gu["upper"], 1e-6, name + " upper");
  expect_vec(f.p_value, gu["wald_p"], 1e-6, name + " p");
}

INSTANTIATE_TEST_SUITE_P(R, CoxGolden, ::testing::ValuesIn(kDatasets));

// Therneau & Grambsch (2000) appendix test data 1 (survival tests/book1.R,
// book2.R; statistics-methods.md §1.8): Breslow beta = log(1.5 + sqrt(33)/2),
// loglik -4.56434819 -> -3.82474951, se 1.25573439; Efron beta 1.67685749,
// se 1.27761558, loglik -4.27666612 -> -3.35897484.
TEST(CoxModel, TherneauGrambschTestData1) {
  const std::vector<double> t{1, 1, 6, 6, 8, 9};
  const std::vector<int> s{1, 0, 1, 1, 0, 1};
  Eigen::MatrixXd x(6, 1);
  x << 1, 1, 1, 0, 0, 0;
  CoxOptions opt;
  opt.eps = 1e-10;
  opt.iter_max = 50;
  opt.ties = Ties::breslow;
  const CoxFit b = cox_fit(t, s, x, opt);
  EXPECT_NEAR(b.coef(0), std::log(1.5 + std::sqrt(33.0) / 2), 1e-8);
  EXPECT_NEAR(b.se(0), 1.25573439, 1e-7);
  EXPECT_NEAR(b.loglik_init, -4.56434819, 1e-8);
  EXPECT_NEAR(b.loglik, -3.82474951, 1e-8);
  opt.ties = Ties::efron;
  const CoxFit e = cox_fit(t, s, x, opt);
  EXPECT_NEAR(e.coef(0), 1.67685749, 1e-7);
  EXPECT_NEAR(e.se(0), 1.27761558, 1e-7);
  EXPECT_NEAR(e.loglik_init, -4.27666612, 1e-8);
  EXPECT_NEAR(e.loglik, -3.35897484, 1e-8);
}

TEST(CoxModel, CollinearColumnIsAliasedAsInR) {
  const std::vector<double> t{1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<int> s{1, 1, 0, 1, 1, 0, 1, 1};
  Eigen::MatrixXd x(8, 2);
  x << 1, 2, 0, 0, 1, 2, 0, 0, 1, 2, 1, 2, 0, 0, 0, 0;
  const CoxFit f = cox_fit(t, s, x);
  EXPECT_FALSE(f.aliased[0]);
  EXPECT_TRUE(f.aliased[1]);
  EXPECT_TRUE(std::isnan(f.coef(1)));
  EXPECT_EQ(f.df, 1);
}

}  // namespace
}  // namespace sirtkit::stats
