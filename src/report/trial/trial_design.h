#pragma once
// Text and JSON of the trial-design jobs (`sirtkit samplesize logrank |
// proportions | binomial | simon | gs`): the values pipelines/trial/trial_design
// computes, each rendered with the method and its source.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stats/trial/group_sequential.h"
#include "stats/trial/sample_size_proportions.h"
#include "stats/trial/sample_size_survival.h"
#include "stats/trial/simon_two_stage.h"

namespace sirtkit::report {

// A group-sequential design that inflates a fixed sample size.
struct SequentialSize {
  stats::GroupSequentialDesign design;
  stats::SpendingFunction spending = stats::SpendingFunction::obrien_fleming;
};

struct LogRankSizeResult {
  stats::LogRankEventsInput events;  // the hazard ratio as used (given, or experimental / control)
  double events_fixed = 0;           // not rounded
  std::optional<SequentialSize> sequential;
  std::optional<stats::SurvivalAccrual> accrual;  // given: `patients` counts patients too
  stats::LogRankPatients patients;
};
std::string logrank_size_text(const LogRankSizeResult& r);
nlohmann::json logrank_size_json(const LogRankSizeResult& r);

struct ProportionsSizeResult {
  bool power_prop_test = false;  // R power.prop.test (pooled variance); else rpact getSampleSizeRates
  stats::RatesInput rates;
  // power.prop.test
  bool strict = false;
  std::optional<double> n_given;  // the n per group whose power was asked for
  double power = 0;               // ... that power
  double n_per_group = 0;         // or the n per group for 1 - beta
  // rpact
  stats::RatesSampleSize size;
  // continuity correction (Fleiss-Tytun-Ury): power.prop.test per group; rpact the smaller arm and the total
  std::optional<double> n_continuity_corrected;
  double n_total_continuity_corrected = 0;
  std::optional<SequentialSize> sequential;  // rpact only
};
std::string proportions_size_text(const ProportionsSizeResult& r);
nlohmann::json proportions_size_json(const ProportionsSizeResult& r);

struct BinomialSizeResult {
  double p0 = 0, p1 = 0, alpha = 0, beta = 0;
  stats::ExactBinomialDesign design;
};
std::string binomial_size_text(const BinomialSizeResult& r);
nlohmann::json binomial_size_json(const BinomialSizeResult& r);

struct SimonSizeResult {
  double p0 = 0, p1 = 0, alpha = 0, beta = 0;
  int max_n = 0;
  std::vector<std::pair<stats::SimonCriterion, stats::SimonDesign>> designs;  // in the order asked
};
std::string simon_size_text(const SimonSizeResult& r);
nlohmann::json simon_size_json(const SimonSizeResult& r);

struct GroupSequentialResult {
  stats::GroupSequentialInput input;
  stats::GroupSequentialDesign design;
  std::optional<double> fixed_size;  // a fixed-design size (or events) inflated by the design
};
std::string group_sequential_text(const GroupSequentialResult& r);
nlohmann::json group_sequential_json(const GroupSequentialResult& r);

}  // namespace sirtkit::report
