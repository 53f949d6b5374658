#pragma once
// Matched controls and propensity weighting over a CSV file (sirtkit match,
// sirtkit iptw): the propensity score by logistic regression (R's glm), then
// either nearest-neighbour matching (MatchIt's matchit(method = "nearest"))
// or inverse-probability-of-treatment weights, with the covariate balance
// before and after (MatchIt's summary()), the love plot and the cohort to
// analyse: the matched rows with their distance, weights and matched set
// (match.data()), or every row with its propensity and weight. The
// matched-cohort survival analysis is then `sirtkit cox` / `sirtkit km` on
// that file with --weights weights (and --cluster subclass).
//
// Bad input (a treatment that is not 0/1, a covariate that is missing,
// constant or collinear, a model that separates the arms perfectly) is an
// Error naming the file, column, line and value.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/text_formats/text_encoding.h"
#include "report/trial/propensity_analysis.h"
#include "stats/matching/propensity_weights.h"

namespace sirtkit::pipelines {

struct PropensityModelSpec {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;
  std::string treatment;                // 0 = control, 1 = treated
  std::vector<std::string> covariates;  // numeric, or categorical (text columns and --factor)
  std::vector<std::string> factors;     // numeric columns to treat as categorical
};

enum class MatchDistance { propensity, logit };  // MatchIt link = "logit" (default) or "linear.logit"

// Which comparison of distances picks the controls (stats/matching/nearest_neighbour_matching.h):
// matchit_451 (the default) reproduces the installed MatchIt 4.5.1 bug for bug
// (differences truncated to integers, MatchIt issue #163), so results equal
// that version's; exact compares true distances (true nearest neighbours).
// With matchit_451 the job also matches by the exact rule and warns whenever
// the two differ (controls, or pairs a true caliper would exclude).
enum class MatchRule { matchit_451, exact };

struct MatchRequest {
  PropensityModelSpec model;
  std::vector<std::string> exact;  // match only within equal values of these columns
  int ratio = 1;
  bool replace = false;
  std::optional<double> caliper_sd;  // caliper in SDs of the distance (MatchIt std.caliper = TRUE)
  MatchDistance distance = MatchDistance::propensity;
  MatchRule rule = MatchRule::matchit_451;
};

struct IptwRequest {
  PropensityModelSpec model;
  stats::Estimand estimand = stats::Estimand::ate;
  bool stabilised = false;
};

// Every number (report/trial/propensity_analysis renders them, with the love
// plot) and the cohort to analyse, as --out writes it.
struct MatchOutput {
  report::MatchAnalysis analysis;
  std::string cohort_csv;  // matched.csv: the matched rows with distance, weights, subclass
};
struct IptwOutput {
  report::IptwAnalysis analysis;
  std::string cohort_csv;  // weighted.csv: every row with its propensity and weight
};

MatchOutput run_match(const MatchRequest& request);
IptwOutput run_iptw(const IptwRequest& request);

}  // namespace sirtkit::pipelines
