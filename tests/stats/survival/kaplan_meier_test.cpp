// Kaplan-Meier against R 4.2.2 / survival 3.5-3 goldens (tests/data/survival):
// tables under three CI types and by group (1e-8 relative), medians and their
// CI exactly, landmark rates (1e-8), reverse-KM median follow-up exactly; plus
// the quantile.survfit hand values of survival's tests/quantile.R.

#include "stats/survival/kaplan_meier.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

struct SurvCols {
  std::vector<double> time;
  std::vector<int> status;
  std::vector<int> group;
  std::vector<std::string> group_labels;
};

SurvCols load(const std::string& name) {
  const auto g = load_golden(name);
  const Frame f = load_frame(name);
  const std::string tcol = g["time"], ecol = g["event"], gcol = g["group"];
  const auto lv = levels(f, gcol);
  SurvCols s;
  for (const auto& l : lv) s.group_labels.push_back(gcol + "=" + l);
  for (std::size_t r = 0; r < f.rows(); ++r) {
    s.time.push_back(f.num(tcol, r));
    s.status.push_back(static_cast<int>(f.num(ecol, r)));
    s.group.push_back(level_code(lv, f.at(gcol, r)));
  }
  return s;
}

void expect_table(const KmCurve& c, const std::vector<nlohmann::json>& rows, const std::string& what) {
  ASSERT_EQ(c.size(), rows.size()) << what;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    SCOPED_TRACE(what + " row " + std::to_string(i));
    EXPECT_EQ(c.time[i], r["time"].get<double>());
    EXPECT_EQ(c.n_risk[i], r["n_risk"].get<std::int64_t>());
    EXPECT_EQ(c.n_event[i], r["n_event"].get<std::int64_t>());
    EXPECT_EQ(c.n_censor[i], r["n_censor"].get<std::int64_t>());
    EXPECT_TRUE(near_rel(c.surv[i], r["surv"], 1e-8));
    EXPECT_TRUE(near_rel(c.std_err(i), r["std_err"], 1e-8));
    EXPECT_TRUE(near_rel(c.lower[i], r["lower"], 1e-8));
    EXPECT_TRUE(near_rel(c.upper[i], r["upper"], 1e-8));
  }
}

void expect_exact(double actual, const nlohmann::json& expected, const std::string& what) {
  if (expected.is_null()) EXPECT_TRUE(std::isnan(actual)) << what << " expected NA, got " << actual;
  else EXPECT_EQ(actual, expected.get<double>()) << what;
}

class KaplanMeierGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(KaplanMeierGolden, OverallTablesAndMediansAllConfTypes) {
  const std::string name = GetParam();
  const auto g = load_golden(name);
  const auto s = load(name);
  for (const auto type : {ConfType::log, ConfType::log_log, ConfType::plain}) {
    const auto& gk = g["km"][conf_type_name(type)];
    const KmCurve c = kaplan_meier(s.time, s.status, {type, 0.95});
    std::vector<nlohmann::json> rows(gk["table"].begin(), gk["table"].end());
    expect_table(c, rows, name + " " + conf_type_name(type));
    const KmQuantile m = km_median(c);
    const auto& gm = gk["median"][0];
    expect_exact(m.estimate, gm["median"], name + " median");
    expect_exact(m.lower, gm["lower"], name + " median lower");
    expect_exact(m.upper, gm["upper"], name + " median upper");
  }
}

TEST_P(KaplanMeierGolden, ByGroupTablesMediansAndLandmarks) {
  const std::string name = GetParam();
  const auto g = load_golden(name);
  const auto s = load(name);
  const int k = static_cast<int>(s.group_labels.size());
  std::vector<KmCurve> curves;
  for (int grp = 0; grp < k; ++grp) {
    std::vector<double> t;
    std::vector<int> st;
    for (std::size_t i = 0; i < s.time.size(); ++i)
      if (s.group[i] == grp) { t.push_back(s.time[i]); st.push_back(s.status[i]); }
    curves.push_back(kaplan_meier(t, st));
    std::vector<nlohmann::json> rows;
    for (const auto& r : g["km_by_group"]["table"]) if (r["strata"] == s.group_labels[grp]) rows.push_back(r);
    expect_table(curves.back(), rows, name + " " + s.group_labels[grp]);
    const auto& gm = g["km_by_group"]["median"][grp];
    ASSERT_EQ(gm["strata"], s.group_labels[grp]);
    const KmQuantile m = km_median(curves.back());
    expect_exact(m.estimate, gm["median"], s.group_labels[grp] + " median");
    expect_exact(m.lower, gm["lower"], s.group_labels[grp] + " median lower");
    expect_exact(m.upper, gm["upper"], s.group_labels[grp] + " median upper");
  }
  for (const auto& lm : g["landmarks"]) {
    const double t = lm["time"];
    for (int grp = 0; grp < k; ++grp) {
      ASSERT_EQ(lm["strata"][grp], s.group_labels[grp]);
      const auto at = km_at_times(curves[grp], std::vector<double>{t})[0];
      SCOPED_TRACE(name + " landmark " + std::to_string(t) + " " + s.group_labels[grp]);
      EXPECT_TRUE(near_rel(at.surv, lm["surv"][grp], 1e-8));
      EXPECT_TRUE(near_rel(at.lower, lm["lower"][grp], 1e-8));
      EXPECT_TRUE(near_rel(at.upper, lm["upper"][grp], 1e-8));
    }
  }
}

TEST_P(KaplanMeierGolden, ReverseKmMedianFollowUp) {
  const std::string name = GetParam();
  const auto g = load_golden(name);
  const auto s = load(name);
  const KmQuantile m = reverse_km_median_follow_up(s.time, s.status);
  const auto& gr = g["reverse_km_median_followup"];
  expect_exact(m.estimate, gr["median"], name + " reverse KM median");
  expect_exact(m.lower, gr["lower"], name + " reverse KM lower");
  expect_exact(m.upper, gr["upper"], name + " reverse KM upper");
}

INSTANTIATE_TEST_SUITE_P(R, KaplanMeierGolden, ::testing::ValuesIn(kDatasets));

// survival tests/quantile.R (hand values): times 9,3,1,1,6,6,8,10 with status
// 1,NA,1,0,1,1,0,0 (the NA row dropped); quantile(fit, 1 - qq) for qq =
// (13/14, 6/7, 2/3, .5, 9/35, .1) = (1, 3.5, 6, 9, 9.5, NA); log-CI lower
// (1, 1, 1, 6, 6, 9), upper all NA.
TEST(KaplanMeierQuantile, SurvivalPackageHandValues) {
  const std::vector<double> t{9, 1, 1, 6, 6, 8, 10};
  const std::vector<int> s{1, 1, 0, 1, 1, 0, 0};
  const KmCurve c = kaplan_meier(t, s);
  const std::vector<double> qq{13.0 / 14, 6.0 / 7, 2.0 / 3, 0.5, 9.0 / 35, 0.1};
  std::vector<double> probs;
  for (double q : qq) probs.push_back(1 - q);
  const auto q = km_quantiles(c, probs);
  const double est[] = {1, 3.5, 6, 9, 9.5, NAN};
  const double low[] = {1, 1, 1, 6, 6, 9};
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (std::isnan(est[i])) EXPECT_TRUE(std::isnan(q[i].estimate)) << i;
    else EXPECT_EQ(q[i].estimate, est[i]) << i;
    EXPECT_EQ(q[i].lower, low[i]) << i;
    EXPECT_TRUE(std::isnan(q[i].upper)) << i;
  }
}

TEST(KaplanMeier, NumberAtRiskCountsTimesAtOrAfter) {
  const std::vector<double> t{1, 2, 2, 3, 5};
  const std::vector<int> s{1, 0, 1, 1, 0};
  const KmCurve c = kaplan_meier(t, s);
  const auto r = km_number_at_risk(c, std::vector<double>{0, 1, 1.5, 2, 4, 5, 6});
  EXPECT_EQ(r, (std::vector<std::int64_t>{5, 5, 4, 4, 1, 1, 0}));
}

}  // namespace
}  // namespace sirtkit::stats
