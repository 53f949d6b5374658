// Kaplan-Meier for (start, stop] counting-process rows against R 4.2.2 /
// survival 3.5-3 on survival's heart data (tests/data/survival/heart.csv):
//   h <- read.csv("tests/data/survival/heart.csv")
//   f <- survfit(Surv(start, stop, event) ~ 1, h)
// Table rows, quantiles with CI and survival at chosen times (1e-8 relative,
// as the right-censored KM tests); (0, t] rows give the right-censored curve.

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "stats/survival/kaplan_meier.h"
#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

struct Rows {
  std::vector<double> start, stop;
  std::vector<int> event, surgery;
};

Rows load_heart() {
  const Frame f = load_frame("heart");
  Rows r;
  for (std::size_t i = 0; i < f.rows(); ++i) {
    r.start.push_back(f.num("start", i));
    r.stop.push_back(f.num("stop", i));
    r.event.push_back(static_cast<int>(f.num("event", i)));
    r.surgery.push_back(static_cast<int>(f.num("surgery", i)));
  }
  return r;
}

void expect_rel(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-8 * std::fabs(expected)) << what;
}

TEST(KaplanMeierCounting, HeartTableMatchesR) {
  const Rows h = load_heart();
  const KmCurve c = kaplan_meier_counting(h.start, h.stop, h.event);
  ASSERT_EQ(c.size(), 111u);  // length(f$time): the distinct stop times
  EXPECT_EQ(c.n, 172);
  EXPECT_EQ(c.events, 75);
  // f$time[idx], f$n.risk, f$n.event, f$n.censor, f$surv, f$std.err, f$lower, f$upper
  const std::vector<std::size_t> idx{1, 5, 14, 40, 80, 111};
  const std::vector<double> time{1, 4.5, 16, 51, 310, 1800};
  const std::vector<std::int64_t> risk{103, 96, 88, 67, 32, 1}, event{1, 0, 3, 1, 0, 0}, cens{2, 1, 1, 2, 1, 1};
  const std::vector<double> surv{0.990291262136, 0.932038834951, 0.834515108542, 0.6653988806, 0.354876054594, 0.151912117361};
  const std::vector<double> se{0.00975621363797, 0.0266069314764, 0.0439445568098, 0.0704655207747, 0.136978645712, 0.324377630799};
  const std::vector<double> lower{0.971534982269, 0.884679873568, 0.765646901356, 0.57956440668, 0.271319033613, 0.0804417809391};
  const std::vector<double> upper{1, 0.981933031159, 0.90957785521, 0.763945586031, 0.464165792009, 0.286881905545};
  for (std::size_t k = 0; k < idx.size(); ++k) {
    const std::size_t i = idx[k] - 1;
    SCOPED_TRACE("row " + std::to_string(idx[k]));
    EXPECT_EQ(c.time[i], time[k]);
    EXPECT_EQ(c.n_risk[i], risk[k]);
    EXPECT_EQ(c.n_event[i], event[k]);
    EXPECT_EQ(c.n_censor[i], cens[k]);
    // R prints 12 significant digits here: compare to 1e-11.
    EXPECT_NEAR(c.surv[i], surv[k], 1e-11);
    EXPECT_NEAR(c.se_log_surv[i], se[k], 1e-11);
    EXPECT_NEAR(c.lower[i], lower[k], 1e-11);
    EXPECT_NEAR(c.upper[i], upper[k], 1e-11);
  }
}

TEST(KaplanMeierCounting, HeartQuantilesAndLandmarksMatchR) {
  const Rows h = load_heart();
  const KmCurve c = kaplan_meier_counting(h.start, h.stop, h.event);
  // quantile(f, c(.25, .5, .75)): 36 (18, 58), 100 (72, 263), 980 (343, NA)
  const std::vector<double> probs{0.25, 0.5, 0.75};
  const auto q = km_quantiles(c, probs);
  EXPECT_EQ(q[0].estimate, 36);
  EXPECT_EQ(q[0].lower, 18);
  EXPECT_EQ(q[0].upper, 58);
  EXPECT_EQ(q[1].estimate, 100);
  EXPECT_EQ(q[1].lower, 72);
  EXPECT_EQ(q[1].upper, 263);
  EXPECT_EQ(q[2].estimate, 980);
  EXPECT_EQ(q[2].lower, 343);
  EXPECT_TRUE(std::isnan(q[2].upper));
  // summary(f, times = c(30, 100, 365)): surv, n.risk, lower
  const std::vector<double> times{30, 100, 365};
  const auto at = km_at_times(c, times);
  const std::vector<double> surv{0.775608159703, 0.49400825984, 0.321224014934};
  const std::vector<double> lower{0.698880979752, 0.405204490839, 0.240066063302};
  const std::vector<std::int64_t> risk{80, 50, 28};
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_NEAR(at[k].surv, surv[k], 1e-11);
    EXPECT_NEAR(at[k].lower, lower[k], 1e-11);
    EXPECT_EQ(at[k].n_risk, risk[k]);
  }
  // survfit(Surv(start, stop, event) ~ 1, h[h$surgery == 1, ], conf.type = "log-log"):
  // median 980 (165, NA); last surv 0.311538461538, lower 0.0842442184068
  Rows s;
  for (std::size_t i = 0; i < h.stop.size(); ++i)
    if (h.surgery[i] == 1) {
      s.start.push_back(h.start[i]);
      s.stop.push_back(h.stop[i]);
      s.event.push_back(h.event[i]);
    }
  KmOptions opt;
  opt.conf_type = ConfType::log_log;
  const KmCurve g = kaplan_meier_counting(s.start, s.stop, s.event, opt);
  const auto m = km_median(g);
  EXPECT_EQ(m.estimate, 980);
  EXPECT_EQ(m.lower, 165);
  EXPECT_TRUE(std::isnan(m.upper));
  EXPECT_NEAR(g.surv.back(), 0.311538461538, 1e-11);
  EXPECT_NEAR(g.lower.back(), 0.0842442184068, 1e-11);
}

TEST(KaplanMeierCounting, ZeroStartIsTheRightCensoredCurve) {
  const Frame f = load_frame("lung");
  std::vector<double> t, zero;
  std::vector<int> s;
  for (std::size_t i = 0; i < f.rows(); ++i) {
    t.push_back(f.num("time", i));
    zero.push_back(0);
    s.push_back(static_cast<int>(f.num("status", i)));
  }
  const KmCurve r = kaplan_meier(t, s);
  const KmCurve c = kaplan_meier_counting(zero, t, s);
  ASSERT_EQ(c.size(), r.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(c.time[i], r.time[i]);
    EXPECT_EQ(c.n_risk[i], r.n_risk[i]);
    EXPECT_EQ(c.surv[i], r.surv[i]);
    EXPECT_EQ(c.lower[i], r.lower[i]);
  }
}

TEST(KaplanMeierCounting, LateEntryJoinsAfterItsStart) {
  // Rows (0,4] event, (0,8], (5,9] event, (6,10] event, (2,7], (0,3] event.
  // R: survfit(Surv(a, b, e) ~ 1): time 3 4 7 8 9 10, n.risk 4 3 4 3 2 1.
  const std::vector<double> a{0, 0, 5, 6, 2, 0}, b{4, 8, 9, 10, 7, 3};
  const std::vector<int> e{1, 0, 1, 1, 0, 1};
  const KmCurve c = kaplan_meier_counting(a, b, e);
  EXPECT_EQ(c.time, (std::vector<double>{3, 4, 7, 8, 9, 10}));
  EXPECT_EQ(c.n_risk, (std::vector<std::int64_t>{4, 3, 4, 3, 2, 1}));
  EXPECT_THROW(kaplan_meier_counting(std::vector<double>{0, 5}, std::vector<double>{3, 5}, std::vector<int>{1, 1}), Error);
}

}  // namespace
}  // namespace sirtkit::stats
