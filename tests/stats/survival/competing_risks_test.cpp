// Aalen-Johansen cumulative incidence and Gray's test (stats/survival/competing_risks.h)
// against R on survival's mgus2 (progression vs death first; months, many
// ties): survfit(Surv(time, factor(status)) ~ 1) pstate and std.err, and
// cmprsk::cuminc estimates, variances (timepoints) and $Tests, from
// tests/data/competing/mgus2.R. Tolerance 1e-9 relative.

#include "stats/survival/competing_risks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

struct Mgus {
  std::vector<double> time, age;
  std::vector<int> status, male;
};

nlohmann::json golden() {
  std::ifstream in(std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/competing/mgus2.expected.json");
  return nlohmann::json::parse(in);
}

Mgus load() {
  std::ifstream in(std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/competing/mgus2.csv");
  std::string line;
  std::getline(in, line);
  Mgus m;
  while (std::getline(in, line)) {
    const auto v = split_csv_line(line);
    m.time.push_back(std::stod(v[0]));
    m.status.push_back(std::stoi(v[1]));
    m.male.push_back(v[2] == "M" ? 1 : 0);
    m.age.push_back(std::stod(v[4]));
  }
  return m;
}

TEST(CompetingRisks, AalenJohansenMatchesSurvfitMultiState) {
  const auto m = load();
  const auto g = golden();
  const auto curves = cumulative_incidence(m.time, m.status);
  ASSERT_EQ(curves.size(), 2u);
  EXPECT_EQ(curves[0].cause, 1);
  EXPECT_EQ(curves[1].cause, 2);
  ASSERT_EQ(curves[0].size(), g["aj_time"].size());
  for (std::size_t i = 0; i < curves[0].size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    EXPECT_EQ(curves[0].time[i], g["aj_time"][i].get<double>());
    EXPECT_EQ(curves[0].n_risk[i], g["aj_n_risk"][i].get<std::int64_t>());
    EXPECT_TRUE(near_rel(curves[0].estimate[i], g["aj_cif1"][i], 1e-10));
    EXPECT_TRUE(near_rel(curves[1].estimate[i], g["aj_cif2"][i], 1e-10));
    if (g["aj_se1"][i].get<double>() > 0) EXPECT_TRUE(near_rel(curves[0].std_err[i], g["aj_se1"][i], 1e-9));
    if (g["aj_se2"][i].get<double>() > 0) EXPECT_TRUE(near_rel(curves[1].std_err[i], g["aj_se2"][i], 1e-9));
  }
  std::vector<double> t;
  std::vector<int> s;
  for (std::size_t i = 0; i < m.time.size(); ++i)
    if (!m.male[i]) {
      t.push_back(m.time[i]);
      s.push_back(m.status[i]);
    }
  const auto female = cumulative_incidence(t, s);
  ASSERT_EQ(female[0].size(), g["aj_female_cif1"].size());
  for (std::size_t i = 0; i < female[0].size(); ++i) {
    EXPECT_TRUE(near_rel(female[0].estimate[i], g["aj_female_cif1"][i], 1e-10)) << i;
    if (g["aj_female_se1"][i].get<double>() > 0) EXPECT_TRUE(near_rel(female[0].std_err[i], g["aj_female_se1"][i], 1e-9)) << i;
  }
}

TEST(CompetingRisks, CumincEstimatesAndVariancesByGroup) {
  const auto m = load();
  const auto g = golden();
  const std::vector<double> times = g["cuminc_times"].get<std::vector<double>>();
  for (int male = 0; male < 2; ++male) {
    std::vector<double> t;
    std::vector<int> s;
    for (std::size_t i = 0; i < m.time.size(); ++i)
      if (m.male[i] == male) {
        t.push_back(m.time[i]);
        s.push_back(m.status[i]);
      }
    const auto curves = cumulative_incidence(t, s);
    for (int cause = 1; cause <= 2; ++cause) {
      const std::string key = std::string(male ? "M" : "F") + std::to_string(cause);
      const auto at = cif_at_times(curves[static_cast<std::size_t>(cause - 1)], times);
      for (std::size_t k = 0; k < times.size(); ++k) {
        EXPECT_TRUE(near_rel(at[k].estimate, g["cuminc_est_" + key][k], 1e-10)) << key << " t=" << times[k];
        EXPECT_TRUE(near_rel(at[k].variance, g["cuminc_var_" + key][k], 1e-9)) << key << " t=" << times[k];
      }
    }
  }
}

TEST(CompetingRisks, GrayTestTwoGroupsAndStratifiedThreeGroupsWithRho) {
  const auto m = load();
  const auto g = golden();
  for (int cause = 1; cause <= 2; ++cause) {
    const auto r = gray_test(m.time, m.status, m.male, 2, cause);
    EXPECT_EQ(r.df, 1);
    EXPECT_TRUE(near_rel(r.statistic, g["gray_stat"][cause - 1], 1e-9)) << cause;
    EXPECT_TRUE(near_rel(r.p_value, g["gray_p"][cause - 1], 1e-8)) << cause;
  }
  std::vector<int> agegrp;  // cut(age, c(0, 60, 75, 200)): right-closed
  for (double a : m.age) agegrp.push_back(a <= 60 ? 0 : a <= 75 ? 1 : 2);
  for (int cause = 1; cause <= 2; ++cause) {
    const auto r = gray_test(m.time, m.status, agegrp, 3, cause, 1.0, m.male);
    EXPECT_EQ(r.df, 2);
    EXPECT_TRUE(near_rel(r.statistic, g["gray3_stat"][cause - 1], 1e-9)) << cause;
  }
}

TEST(CompetingRisks, OneCauseWithoutCensoringIsOneMinusKaplanMeier) {
  // With a single cause the cumulative incidence is 1 - S(t); hand values:
  // times 1,2,2,3,4 all events -> F = 0.2, 0.6, 0.6, 0.8, 1.0.
  const std::vector<double> t{1, 2, 2, 3, 4};
  const std::vector<int> s{1, 1, 1, 1, 1};
  const auto c = cumulative_incidence(t, s);
  ASSERT_EQ(c.size(), 1u);
  const std::vector<double> f{0.2, 0.6, 0.8, 1.0};
  ASSERT_EQ(c[0].size(), f.size());
  for (std::size_t i = 0; i < f.size(); ++i) EXPECT_NEAR(c[0].estimate[i], f[i], 1e-15);
  // Greenwood at t = 1: var S = S^2 d / (n (n - d)) = 0.64 / 20 = 0.032; the IJ
  // variance there is S^2 sum (influence)^2 = (1/5)^2 * 4 * (1/5)^2 ... = 0.032 * (n-d)/n.
  EXPECT_NEAR(c[0].std_err[0] * c[0].std_err[0], 0.2 * 0.8 / 5, 1e-15);
}

TEST(CompetingRisks, RefusesNegativeCodesAndSingleGroup) {
  const std::vector<double> t{1, 2, 3};
  EXPECT_THROW(cumulative_incidence(t, std::vector<int>{0, -1, 1}), Error);
  EXPECT_THROW(gray_test(t, std::vector<int>{1, 2, 0}, std::vector<int>{0, 0, 0}, 1, 1), Error);
}

}  // namespace
}  // namespace sirtkit::stats
