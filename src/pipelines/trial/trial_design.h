#pragma once
// Trial design jobs (issue 15 item 2): sample size and power for a log-rank
// comparison, two proportions, a single-arm exact binomial test, Simon's
// two-stage designs, and group-sequential boundaries by alpha spending. Each
// returns every number, with what report/ needs to name the method and
// its source (report/trial/trial_design renders them); the CLI prints one or
// the other and writes files.

#include <optional>
#include <string>
#include <vector>

#include "report/trial/trial_design.h"
#include "stats/trial/group_sequential.h"
#include "stats/trial/sample_size_proportions.h"
#include "stats/trial/sample_size_survival.h"
#include "stats/trial/simon_two_stage.h"

namespace sirtkit::pipelines {

// A group-sequential plan to inflate a fixed sample size (rpact: the design
// passed to getSampleSizeSurvival/getSampleSizeRates); absent = fixed design.
struct SequentialPlan {
  std::vector<double> information_rates;  // last = 1
  stats::SpendingFunction spending = stats::SpendingFunction::obrien_fleming;
};

struct LogRankSizeRequest {
  stats::LogRankEventsInput events;
  // Control hazard from exactly one of these; experimental = hazard ratio * control
  // unless given itself (then the hazard ratio is their ratio).
  std::optional<double> median_control, hazard_control, event_probability_control;
  std::optional<double> median_experimental, hazard_experimental, event_probability_experimental;
  double event_time = 12;                       // time of the event probabilities (rpact eventTime)
  std::optional<stats::SurvivalAccrual> accrual;  // absent: events only
  std::optional<SequentialPlan> sequential;
};
report::LogRankSizeResult run_logrank_size(const LogRankSizeRequest& request);

enum class ProportionsMethod { rpact, power_prop_test };
ProportionsMethod parse_proportions_method(const std::string& name);

struct ProportionsSizeRequest {
  ProportionsMethod method = ProportionsMethod::rpact;
  stats::RatesInput rates;              // alpha is the total level; sided divides it
  bool continuity_correction = false;   // Fleiss-Tytun-Ury
  bool strict = false;                  // power.prop.test strict = TRUE
  std::optional<double> n_per_group;    // power.prop.test: the power for this n instead of n
  std::optional<SequentialPlan> sequential;  // rpact only
};
report::ProportionsSizeResult run_proportions_size(const ProportionsSizeRequest& request);

struct BinomialSizeRequest {
  double p0 = 0, p1 = 0, alpha = 0.05, beta = 0.2;
  int max_n = 5000;
};
report::BinomialSizeResult run_binomial_size(const BinomialSizeRequest& request);

struct SimonSizeRequest {
  double p0 = 0, p1 = 0, alpha = 0.05, beta = 0.2;
  int max_n = 100;
  std::vector<stats::SimonCriterion> criteria{stats::SimonCriterion::optimal, stats::SimonCriterion::minimax};
};
report::SimonSizeResult run_simon_size(const SimonSizeRequest& request);

struct GroupSequentialRequest {
  stats::GroupSequentialInput design;
  std::optional<double> fixed_size;  // a fixed-design sample size (or events) to inflate
};
report::GroupSequentialResult run_group_sequential(const GroupSequentialRequest& request);

// 3 -> {1/3, 2/3, 1}; bad input names the option for fewer than 1 or more than 20 looks.
std::vector<double> equally_spaced_information(int looks);

}  // namespace sirtkit::pipelines
