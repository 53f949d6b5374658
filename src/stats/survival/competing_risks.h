#pragma once
// Competing risks: the Aalen-Johansen cumulative incidence of each cause with
// two standard errors, and Gray's (1988) test comparing a cause's cumulative
// incidence across groups.
//
//  - estimate: F_k(t) = sum over s <= t of S(s-) d_k(s) / n(s), S the
//    Kaplan-Meier of all causes together (Aalen & Johansen 1978; R survival's
//    survfit(Surv(time, factor(status)) ~ 1) pstate, cmprsk::cuminc est).
//  - variance: cmprsk::cuminc's (Gray's delta-method / Aalen-type estimator,
//    cmprsk src/cincsub.f), reported as cmprsk::timepoints does: the value at
//    the last event of that cause at or before t.
//  - std_err: survfit's infinitesimal-jackknife standard error (its default
//    for multi-state curves), sqrt(sum_i (dF_k(t)/dw_i)^2).
//  - Gray's test: the score and variance of cmprsk's crstm (Gray 1988, Ann.
//    Stat. 16:1141), weight (1 - F(t-))^rho, summed over strata; chi-square
//    on groups - 1 df (cmprsk::cuminc $Tests).

#include <cstdint>
#include <span>
#include <vector>

namespace sirtkit::stats {

// One row per distinct observed time (events of any cause and censorings).
struct CumulativeIncidence {
  int cause = 1;  // the status code of the cause
  std::vector<double> time;
  std::vector<std::int64_t> n_risk;
  std::vector<std::int64_t> n_event;  // events of this cause at the time
  std::vector<double> estimate;
  std::vector<double> variance;  // cmprsk::cuminc variance (step at this cause's events)
  std::vector<double> std_err;   // survfit infinitesimal-jackknife se
  std::int64_t n = 0, events = 0;
  std::size_t size() const { return time.size(); }
};

// status: 0 = censored, k > 0 = failed from cause k. One curve per cause
// code present, in increasing code order. Times must be finite and >= 0.
std::vector<CumulativeIncidence> cumulative_incidence(std::span<const double> time, std::span<const int> status);

// The curve at chosen times (the step function's value at t, 0 before the
// first time; NaN past the last observed time).
struct CifAtTime {
  double time = 0, estimate = 0, variance = 0, std_err = 0;
  bool beyond_follow_up = false;
};
std::vector<CifAtTime> cif_at_times(const CumulativeIncidence& c, std::span<const double> times);

struct GrayTestResult {
  int cause = 1;
  double statistic = 0;  // NaN when the score variance is singular (cuminc reports -1)
  int df = 0;
  double p_value = 1;
  std::vector<double> score;  // per group but the last
};

// group: codes 0..groups-1 (groups >= 2); strata: empty or codes per row.
GrayTestResult gray_test(std::span<const double> time, std::span<const int> status, std::span<const int> group, int groups,
                         int cause, double rho = 0, std::span<const int> strata = {});

}  // namespace sirtkit::stats
