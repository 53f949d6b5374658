#pragma once
// Bayesian monitoring of a single-arm trial for futility and toxicity: the
// rules of Thall & Simon (1994, Biometrics 50:337-349) and Thall, Simon & Estey
// (1995, Stat Med 14:357-379), as the MD Anderson phase II (seed 002) used them.
//
// Each rule compares the experimental rate theta_E (Beta prior, updated by the
// patients seen) with a standard or target rate theta_S, either fixed or
// uncertain with its own Beta prior (not updated: it is the historical rate):
//   futility: stop if Pr(theta_E,resp > theta_S,resp + delta | data) < p_futility (e.g. 0.05);
//   toxicity: stop if Pr(theta_E,tox > theta_S,tox + delta | data) > p_toxicity (e.g. 0.90).
// Pr(theta_E > theta_S + delta) = integral f_S(s) [1 - F_E(s + delta)] ds, or the Beta
// tail 1 - F_E(theta_S + delta) when theta_S is fixed (cran/ph2bye MultPostP).
// The two outcomes are monitored with their Beta marginals (Thall-Simon-Estey's
// Dirichlet over the response x toxicity cells has Beta marginals); for the
// operating characteristics they are taken as independent.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sirtkit::stats {

struct BetaPrior {
  double a = 1, b = 1;
};
// Beta with the given mean and effective sample size a + b (Thall-Simon's "ESS").
BetaPrior beta_from_mean(double mean, double ess);

struct MonitoringRule {
  BetaPrior experimental;                // prior of theta_E
  std::optional<BetaPrior> standard;     // theta_S ~ Beta; absent: theta_S = target
  double target = 0;                     // fixed theta_S (when no standard prior)
  double delta = 0;                      // clinically meaningful improvement / excess
  double threshold = 0;                  // p_futility (stop below) or p_toxicity (stop above)
};

// Pr(theta_E > theta_S + delta | x events among n), theta_E ~ Beta(a + x, b + n - x).
double posterior_exceed_probability(const MonitoringRule& rule, int x, int n);

struct MonitoringDesign {
  std::optional<MonitoringRule> futility;  // on responses
  std::optional<MonitoringRule> toxicity;  // on toxicities
  std::vector<int> schedule;               // patients evaluated at each look, increasing; last = maximum
};
// Bad input: no rule, a schedule not strictly increasing from >= 1, more than 1000
// patients, priors with a or b <= 0, rates or thresholds outside (0, 1).
void check_design(const MonitoringDesign& design);

// The boundaries at each look: stop for futility if responses <= futility_max
// (-1 when no count stops), for toxicity if toxicities >= toxicity_min (n + 1 when none does).
struct BoundaryRow {
  int n = 0;
  int futility_max = -1;
  int toxicity_min = 0;
  // The posterior probabilities at those counts (NaN when no count stops).
  double futility_probability = 0, toxicity_probability = 0;
};
std::vector<BoundaryRow> monitoring_boundaries(const MonitoringDesign& design);

enum class MonitoringDecision { continue_trial, stop_futility, stop_toxicity, stop_both };
const char* monitoring_decision_name(MonitoringDecision d);

struct LiveDecision {
  MonitoringDecision decision = MonitoringDecision::continue_trial;
  std::optional<double> futility_probability, toxicity_probability;
  std::optional<BoundaryRow> boundary;  // the boundary at n when n is a look of the schedule
  bool at_look = false;
};
// The decision for the data so far. The rules are applied at any n (as Thall-Simon
// allow continuous monitoring); at_look says whether n is on the schedule.
LiveDecision monitoring_decision(const MonitoringDesign& design, int n, std::optional<int> responses, std::optional<int> toxicities);

struct OperatingCharacteristics {
  double true_response = 0, true_toxicity = 0;
  // Exact (recursion over the counts at each look):
  double p_stop = 0, p_stop_futility = 0, p_stop_toxicity = 0, expected_n = 0;
  // Simulated:
  long simulations = 0;
  std::uint64_t seed = 0;
  double sim_p_stop = 0, sim_p_stop_futility = 0, sim_p_stop_toxicity = 0, sim_expected_n = 0;
  double se_p_stop = 0, se_p_stop_futility = 0, se_p_stop_toxicity = 0, se_expected_n = 0;  // Monte-Carlo SE
  std::vector<double> sim_p_stop_at_look;  // share of trials stopped at each look
};
// An early stop is a stop at any look, the last included (the trial "stops" there
// rather than completing). When both rules fire at once, it counts for both.
OperatingCharacteristics monitoring_operating_characteristics(const MonitoringDesign& design, double true_response,
                                                              double true_toxicity, long simulations, std::uint64_t seed);

}  // namespace sirtkit::stats
