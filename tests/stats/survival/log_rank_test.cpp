// Log-rank / G-rho against R 4.2.2 / survival 3.5-3 survdiff goldens
// (tests/data/survival): rho = 0 and 1, stratified; chi-square, p, observed and
// expected per group to 1e-6 relative. Plus textbook values.

#include "stats/survival/log_rank.h"

#include "stats/cox/cox_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

struct Data {
  std::vector<double> time;
  std::vector<int> status, group, strata;
  int k = 0;
};

Data load(const std::string& name, bool with_strata) {
  const auto g = load_golden(name);
  const Frame f = load_frame(name);
  const std::string tcol = g["time"], ecol = g["event"], gcol = g["group"];
  const auto lv = levels(f, gcol);
  std::vector<std::string> slv;
  std::string scol;
  if (with_strata) {
    scol = g["strata"];
    slv = levels(f, scol);
  }
  Data d;
  d.k = static_cast<int>(lv.size());
  for (std::size_t r = 0; r < f.rows(); ++r) {
    if (with_strata && (f.at(scol, r).empty() || f.at(scol, r) == "NA")) continue;
    d.time.push_back(f.num(tcol, r));
    d.status.push_back(static_cast<int>(f.num(ecol, r)));
    d.group.push_back(level_code(lv, f.at(gcol, r)));
    if (with_strata) d.strata.push_back(level_code(slv, f.at(scol, r)));
  }
  return d;
}

class LogRankGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(LogRankGolden, Rho0AndRho1) {
  const std::string name = GetParam();
  const auto g = load_golden(name);
  const Data d = load(name, false);
  for (const double rho : {0.0, 1.0}) {
    const auto& gl = g["logrank"][rho == 0 ? "rho0" : "rho1"];
    const LogRankResult r = log_rank(d.time, d.status, d.group, d.k, rho);
    SCOPED_TRACE(name + " rho " + std::to_string(rho));
    EXPECT_TRUE(near_rel(r.chisq, gl["chisq"], 1e-6));
    EXPECT_TRUE(near_rel(r.p_value, gl["p"], 1e-6));
    EXPECT_EQ(r.df, gl["df"].get<int>());
    for (int k = 0; k < d.k; ++k) {
      EXPECT_EQ(r.n[k], gl["n"][k].get<std::int64_t>());
      EXPECT_TRUE(near_rel(r.observed[k], gl["observed"][k], 1e-6));
      EXPECT_TRUE(near_rel(r.expected[k], gl["expected"][k], 1e-6));
    }
  }
}

TEST_P(LogRankGolden, Stratified) {
  const std::string name = GetParam();
  const auto g = load_golden(name);
  if (!g.contains("logrank_stratified")) GTEST_SKIP() << name << " has no stratified golden";
  const Data d = load(name, true);
  const LogRankResult r = log_rank(d.time, d.status, d.group, d.k, 0.0, d.strata);
  EXPECT_TRUE(near_rel(r.chisq, g["logrank_stratified"]["chisq"], 1e-6));
  EXPECT_TRUE(near_rel(r.p_value, g["logrank_stratified"]["p"], 1e-6));
}

INSTANTIATE_TEST_SUITE_P(R, LogRankGolden, ::testing::ValuesIn(kDatasets));

// Without tied event times the trend statistic is the Cox score test of the
// score as a numeric covariate (both are U^2 / I at beta = 0 with the
// hypergeometric variance reducing to the Cox information when d = 1).
TEST(LogRankTrend, EqualsCoxScoreTestWithoutTies) {
  const Frame f = load_frame("ovarian");  // no tied death times
  std::vector<double> time;
  std::vector<int> status, group;
  for (std::size_t r = 0; r < f.rows(); ++r) {
    time.push_back(f.num("futime", r));
    status.push_back(static_cast<int>(f.num("fustat", r)));
    group.push_back(static_cast<int>(f.num("ecog.ps", r)) - 1 + (f.num("resid.ds", r) == 2 ? 2 : 0));  // 4 ordered groups
  }
  const auto lr = log_rank(time, status, group, 4);
  const std::vector<double> scores{1, 2, 3, 4};
  const auto t = log_rank_trend(lr, scores);
  Eigen::MatrixXd x(static_cast<Eigen::Index>(time.size()), 1);
  for (std::size_t i = 0; i < time.size(); ++i) x(static_cast<Eigen::Index>(i), 0) = scores[group[i]];
  const auto cox = cox_fit(time, status, x);
  EXPECT_NEAR(t.chisq, cox.score_test, 1e-10 * cox.score_test);
  EXPECT_GT(t.chisq, 0.1);
}

// Freireich 6-MP leukemia (Gehan 1965), statistics-methods.md §1.8 [C]:
// survdiff chi-square 16.792941, p 4.16881e-05.
TEST(LogRank, FreireichLeukemia) {
  const std::vector<double> ct{1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23};
  const std::vector<double> tt{6, 6, 6, 7, 10, 13, 16, 22, 23, 6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 25};
  std::vector<double> time(ct);
  time.insert(time.end(), tt.begin(), tt.end());
  std::vector<int> status(42, 1), group(42, 0);
  for (int i = 21; i < 42; ++i) {
    group[i] = 1;
    status[i] = i - 21 < 9 ? 1 : 0;
  }
  const auto r = log_rank(time, status, group, 2);
  EXPECT_NEAR(r.chisq, 16.792941, 5e-7);
  EXPECT_NEAR(r.p_value / 4.16881e-05, 1.0, 1e-5);
  EXPECT_EQ(r.df, 1);
}

// R: survdiff(Surv(rep(5, 4), rep(1, 4)) ~ c("A","B","A","B")) stops with
// "system is exactly singular"; survdiff on times 1:3 censored in A and
// 10:12 events in B prints Chisq = 0 on 0 df. Neither is a test.
TEST(LogRank, SingularOrOneGroupExpectedIsUntestable) {
  const std::vector<double> t5{5, 5, 5, 5};
  const std::vector<int> all_events{1, 1, 1, 1}, ab{0, 1, 0, 1};
  const auto r = log_rank(t5, all_events, ab, 2);
  EXPECT_EQ(r.untestable, LogRankResult::Untestable::singular_variance);
  EXPECT_TRUE(std::isnan(r.chisq));
  const std::vector<double> t{1, 2, 3, 10, 11, 12};
  const std::vector<int> st{0, 0, 0, 1, 1, 1}, g{0, 0, 0, 1, 1, 1};
  const auto r2 = log_rank(t, st, g, 2);
  EXPECT_EQ(r2.untestable, LogRankResult::Untestable::one_group_expected);
  EXPECT_EQ(r2.df, 0);
  // One more subject at risk after the tie makes the variance regular again.
  const std::vector<double> t6{5, 5, 5, 5, 6};
  const std::vector<int> s6{1, 1, 1, 1, 0}, g6{0, 1, 0, 1, 1};
  EXPECT_EQ(log_rank(t6, s6, g6, 2).untestable, LogRankResult::Untestable::no);
}

}  // namespace
}  // namespace sirtkit::stats
