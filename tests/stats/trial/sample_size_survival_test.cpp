// Log-rank sample size against rpact 3.3.4 (tests/data/trial_design/logrank_rpact.R),
// Schoenfeld's formula by hand, and the event probability against its integral.
#include "stats/trial/sample_size_survival.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../expect_bad_input.h"
#include "../golden_table.h"

namespace sirtkit::stats {
namespace {

LogRankEventsMethod method_of(const std::string& rpact_name) {
  if (rpact_name == "Schoenfeld") return LogRankEventsMethod::schoenfeld;
  if (rpact_name == "Freedman") return LogRankEventsMethod::freedman;
  return LogRankEventsMethod::hsieh_freedman;
}

TEST(SampleSizeSurvival, MatchesRpactGetSampleSizeSurvival) {
  const auto rows = test::read_golden("trial_design/logrank_rpact.csv");
  ASSERT_EQ(rows.size(), 9u);
  for (const auto& g : rows) {
    SCOPED_TRACE(g.text("method") + " hr " + g.text("hazard_ratio"));
    LogRankEventsInput in;
    in.rates = {g.num("alpha"), g.num("beta"), static_cast<int>(g.num("sided"))};
    in.hazard_ratio = g.num("hazard_ratio");
    in.allocation_ratio = g.num("allocation_ratio");
    in.method = method_of(g.text("method"));
    const double events = log_rank_events(in);
    EXPECT_TRUE(RelNear(events, g.num("events"), 1e-12));
    SurvivalAccrual a;
    a.accrual_time = g.num("accrual_time");
    if (!g.na("follow_up_time")) a.follow_up_time = g.num("follow_up_time");
    else a.accrual_rate = g.num("accrual_rate");
    a.dropout_rate1 = g.num("dropout1");
    a.dropout_rate2 = g.num("dropout2");
    a.dropout_time = g.num("dropout_time");
    const double lambda2 = hazard_from_median(g.num("median2"));
    const auto p = log_rank_patients(events, in.hazard_ratio * lambda2, lambda2, in.allocation_ratio, a);
    // rpact integrates with integrate() (21-point Gauss-Kronrod): smooth integrands, ~1e-13 agreement.
    EXPECT_TRUE(RelNear(p.event_probability, g.num("event_probability"), 1e-10));
    EXPECT_TRUE(RelNear(p.patients, g.num("patients"), 1e-10));
    // With an accrual rate the follow-up is uniroot's root (tol 1e-6), stepped as R steps it.
    EXPECT_TRUE(RelNear(p.follow_up_time, g.num("follow_up_result"), 1e-9));
    EXPECT_NEAR(p.patients1 + p.patients2, p.patients, 1e-9 * p.patients);
    EXPECT_NEAR(p.patients1 / p.patients2, in.allocation_ratio, 1e-12);
  }
}

TEST(SampleSizeSurvival, SchoenfeldByHand) {
  // HR 0.7, one-sided 0.025, power 0.8, 1:1: 4 (z_0.025 + z_0.2)^2 / log(0.7)^2.
  const double z = 1.959963984540054 + 0.8416212335729143;
  LogRankEventsInput in;
  in.hazard_ratio = 0.7;
  EXPECT_TRUE(RelNear(log_rank_events(in), 4 * z * z / std::pow(std::log(0.7), 2), 1e-12));
  // Freedman with 1:1: (z)^2 (1 + HR)^2 / (1 - HR)^2, the same as Hsieh-Freedman at r = 1.
  in.method = LogRankEventsMethod::freedman;
  const double f = z * z * 1.7 * 1.7 / (0.3 * 0.3);
  EXPECT_TRUE(RelNear(log_rank_events(in), f, 1e-12));
  in.method = LogRankEventsMethod::hsieh_freedman;
  EXPECT_TRUE(RelNear(log_rank_events(in), f, 1e-12));
}

TEST(SampleSizeSurvival, EventProbabilityIsTheAveragedExponentialCdf) {
  // Midpoint rule over entry times u in [0, Ta]: P = mean over u of F(T - u).
  const double lambda = 0.05, phi = 0.01, ta = 20, t = 30;
  double s = 0;
  const int m = 200000;
  for (int i = 0; i < m; ++i) {
    const double u = (i + 0.5) * ta / m;
    s += lambda / (lambda + phi) * (1 - std::exp(-(lambda + phi) * (t - u)));
  }
  EXPECT_TRUE(RelNear(uniform_accrual_event_probability(lambda, phi, ta, t), s / m, 1e-9));
  // Before the end of accrual only the patients already entered can have events.
  double s2 = 0;
  for (int i = 0; i < m; ++i) {
    const double u = (i + 0.5) * 10.0 / m;
    s2 += lambda / (lambda + phi) * (1 - std::exp(-(lambda + phi) * (10 - u)));
  }
  EXPECT_TRUE(RelNear(uniform_accrual_event_probability(lambda, phi, ta, 10), s2 / m * 10 / ta, 1e-9));
}

TEST(SampleSizeSurvival, BadInputIsRefusedNamingTheField) {
  LogRankEventsInput in;
  in.hazard_ratio = 1;
  EXPECT_BAD_INPUT(log_rank_events(in), "hazard_ratio");
  in.hazard_ratio = -0.5;
  EXPECT_BAD_INPUT(log_rank_events(in), "hazard_ratio");
  in.hazard_ratio = 0.7;
  in.rates.alpha = 0.6;
  EXPECT_BAD_INPUT(log_rank_events(in), "alpha");
  in.rates.alpha = 0.025;
  in.rates.sided = 3;
  EXPECT_BAD_INPUT(log_rank_events(in), "sided");
  in.rates.sided = 1;
  in.method = LogRankEventsMethod::freedman;
  in.hazard_ratio_null = 0.9;
  EXPECT_BAD_INPUT(log_rank_events(in), "hazard_ratio_null");
  SurvivalAccrual a;
  a.accrual_time = 24;
  EXPECT_BAD_INPUT(log_rank_patients(100, 0.04, 0.05, 1, a), "follow_up_time/accrual_rate");
  a.accrual_rate = 2;  // 48 patients can never give 100 events
  EXPECT_BAD_INPUT(log_rank_patients(100, 0.04, 0.05, 1, a), "accrual_rate");
  EXPECT_BAD_INPUT(dropout_hazard(1.0, 12), "dropout_rate");
  EXPECT_BAD_INPUT(hazard_from_median(0), "median");
}

}  // namespace
}  // namespace sirtkit::stats
