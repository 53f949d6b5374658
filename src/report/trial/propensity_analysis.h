#pragma once
// Text, JSON and love plot of `sirtkit match` and `sirtkit iptw`: the
// propensity model, the covariate balance before and after (MatchIt's
// summary()), the matched sets or the weights, and the warnings (no
// convergence, unmatched treated rows, where the MatchIt 4.5.1 rule departs
// from true nearest neighbours), from the values
// pipelines/trial/propensity_analysis computes.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stats/matching/covariate_balance.h"
#include "stats/matching/nearest_neighbour_matching.h"

namespace sirtkit::report {

// The logistic regression of the treatment on the covariates (R's glm).
struct PropensityModelFit {
  std::vector<std::string> terms;  // "(Intercept)" first
  std::vector<double> coef, se;
  double deviance = 0, null_deviance = 0;
  int iterations = 0;
  bool converged = true;
};

// Balance of the distance and each term: before (all rows) and after.
struct BalanceTable {
  std::vector<std::string> terms;
  std::vector<stats::BalanceRow> before, after;
};

// How the MatchIt 4.5.1 rule departs from true nearest neighbours on these data.
struct MatchRuleDifference {
  std::size_t different_controls = 0;  // treated units whose controls differ from the exact rule's
  std::size_t repeated_controls = 0;   // treated units given the same control more than once
  std::size_t pairs_outside_caliper = 0, exact_unmatched_treated = 0;
};

struct MatchAnalysis {
  std::string file, treatment;
  std::vector<std::string> covariates, exact;
  bool logit_distance = false;  // the linear predictor, else the propensity score
  int ratio = 1;
  bool replace = false;
  std::optional<double> caliper_sd;  // given: `caliper` = caliper_sd x distance_sd
  double caliper = 0, distance_sd = 0;
  bool matchit_451 = true;           // the installed MatchIt 4.5.1's rule, else true nearest neighbours
  MatchRuleDifference differences;   // with the 4.5.1 rule
  PropensityModelFit model;
  std::size_t treated = 0, control = 0;       // all rows
  double ess_treated = 0, ess_control = 0;    // Kish's effective sample size of the matching weights
  stats::NearestNeighbourMatch match;
  std::vector<std::size_t> lines;             // file line of each row
  std::vector<double> distance;               // per row
  BalanceTable balance;
};
// The warnings a match carries (text, JSON "warnings" and stderr).
std::vector<std::string> match_warnings(const MatchAnalysis& m);
nlohmann::json match_json(const MatchAnalysis& m);
std::string match_text(const MatchAnalysis& m);
std::string match_love_plot_svg(const MatchAnalysis& m);

struct IptwAnalysis {
  std::string file, treatment;
  std::vector<std::string> covariates;
  bool att = false;  // the ATT, else the ATE
  bool stabilised = false;
  PropensityModelFit model;
  std::size_t treated = 0, control = 0;
  double ess_treated = 0, ess_control = 0;
  double weight_min = 0, weight_max = 0;
  std::vector<std::size_t> lines;  // file line of each row
  std::vector<double> propensity, weights;
  BalanceTable balance;
};
nlohmann::json iptw_json(const IptwAnalysis& w);
std::string iptw_text(const IptwAnalysis& w);
std::string iptw_love_plot_svg(const IptwAnalysis& w);

}  // namespace sirtkit::report
