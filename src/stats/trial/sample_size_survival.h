#pragma once
// Sample size for comparing two survival curves with the log-rank test:
// the number of events (Schoenfeld 1981, Freedman 1982, Hsieh-Freedman), then
// the number of patients who must be accrued to see them, as rpact's
// getSampleSizeSurvival() computes them for a fixed design (rpact 3.3,
// .getEventsFixed and .getSampleSizeFixedSurvival).
//
// Patients = events / P(event by the analysis), with P for uniform accrual over
// [0, accrual_time], analysis at accrual_time + follow_up_time, exponential
// survival (hazard lambda_i) and exponential drop-out (hazard phi_i, from a
// drop-out rate by a time): the event probability of Lachin & Foulkes (1986,
// Biometrics 42:507-519, eq. 7 with uniform entry):
//   P_i = lambda_i/(lambda_i+phi_i) * [1 - (e^{-(l+f)Tf} - e^{-(l+f)(Ta+Tf)}) / ((l+f) Ta)].
// Group 1 is the experimental arm, group 2 the control; the allocation ratio is
// n1/n2, and the hazard ratio lambda1/lambda2 (< 1 means group 1 does better).

#include <optional>
#include <string>

namespace sirtkit::stats {

enum class LogRankEventsMethod { schoenfeld, freedman, hsieh_freedman };

// "schoenfeld", "freedman", "hsieh-freedman"; anything else is bad input naming the value.
LogRankEventsMethod parse_log_rank_events_method(const std::string& name);
const char* log_rank_events_method_name(LogRankEventsMethod method);
const char* log_rank_events_method_source(LogRankEventsMethod method);

struct TestErrorRates {
  double alpha = 0.025;  // significance level, per side when sided = 1 (rpact's default 0.025)
  double beta = 0.2;     // type II error: power = 1 - beta
  int sided = 1;         // 1 or 2; a two-sided test spends alpha/2 on each side
};

// Checks 0 < alpha < 1 (alpha < 0.5 when one-sided), 0 < beta < 1 - alpha/sided, sided in {1, 2};
// bad input names the field.
void check_error_rates(const TestErrorRates& rates);

struct LogRankEventsInput {
  TestErrorRates rates;
  double hazard_ratio = 0;          // lambda1 / lambda2 under the alternative
  double hazard_ratio_null = 1;     // thetaH0 (Schoenfeld and Hsieh-Freedman need it 1 unless Schoenfeld)
  double allocation_ratio = 1;      // n1 / n2
  LogRankEventsMethod method = LogRankEventsMethod::schoenfeld;
};

// Required number of events (not rounded). Bad input for a hazard ratio <= 0 or equal to the null.
double log_rank_events(const LogRankEventsInput& input);

// P(an event is observed by time `analysis_time`) for a patient entering
// uniformly over [0, accrual_time], with exponential event hazard `lambda` and
// drop-out hazard `dropout_hazard`. Before the end of accrual the probability is
// relative to all planned patients (those not yet entered count as no event),
// as rpact's .getEventProbabilities.
double uniform_accrual_event_probability(double lambda, double dropout_hazard, double accrual_time,
                                         double analysis_time);

// Exponential hazard from a median (log 2 / median) or from P(event by t) (-log(1 - p) / t).
double hazard_from_median(double median);
double hazard_from_event_probability(double probability, double time);
// Drop-out hazard from the proportion lost by `time` (rpact: -log(1 - rate) / time).
double dropout_hazard(double rate, double time);

struct SurvivalAccrual {
  double accrual_time = 0;                 // Ta: uniform accrual over [0, Ta]
  std::optional<double> follow_up_time;    // Tf after the last patient; or
  std::optional<double> accrual_rate;      // patients per time unit: N = rate * Ta, follow-up solved
  double dropout_rate1 = 0, dropout_rate2 = 0, dropout_time = 12;
};

struct LogRankPatients {
  double events = 0;
  double event_probability = 0;          // overall, weighted by allocation
  double event_probability1 = 0, event_probability2 = 0;
  double patients = 0, patients1 = 0, patients2 = 0;
  double follow_up_time = 0;             // given, or solved from the accrual rate
  double analysis_time = 0;              // accrual_time + follow_up_time
  double lambda1 = 0, lambda2 = 0;
};

// events -> patients. lambda2 is the control hazard, lambda1 = hazard_ratio * lambda2.
// With an accrual rate the analysis time is found by R's uniroot with
// tolerance 1e-6 on [0, 2^k] as rpact does (an analysis time earlier than the
// end of accrual is allowed, as rpact allows it); bad input when the patients
// accrued at that rate can never yield the events.
LogRankPatients log_rank_patients(double events, double lambda1, double lambda2, double allocation_ratio,
                                  const SurvivalAccrual& accrual);

}  // namespace sirtkit::stats
