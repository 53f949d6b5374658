#pragma once
// Text and JSON of `sirtkit logrank`: observed and expected events per group,
// the (stratified, G-rho) test and the optional test for trend.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stats/survival/log_rank.h"

namespace sirtkit::report {

struct LogRankTrendView {
  std::vector<double> scores;
  bool numeric_scores = false;  // the levels' own numbers, else 1..k
  stats::TrendTest test;
};

struct LogRankAnalysis {
  std::string file;
  std::size_t rows_read = 0, rows_used = 0, rows_dropped = 0;
  double rho = 0;      // G-rho weight (0: log-rank)
  std::string strata;  // "" when not stratified
  std::vector<std::string> groups;  // "sex=Female", in level order
  std::vector<std::string> warnings;  // of the rows read (a group without events adds its own)
  stats::LogRankResult result;
  std::optional<LogRankTrendView> trend;
};

std::string log_rank_text(const LogRankAnalysis& lr);
nlohmann::json log_rank_json(const LogRankAnalysis& lr);

}  // namespace sirtkit::report
