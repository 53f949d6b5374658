#pragma once
// Text and JSON of `sirtkit rmst`: the restricted mean survival time up to
// tau of all subjects and of each group, and each group's difference from the
// first (reference) level.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stats/survival/restricted_mean.h"

namespace sirtkit::report {

struct RmstGroup {
  std::string label;  // "all" or "arm=B"
  std::int64_t n = 0, events = 0;
  double last_time = 0;  // of its curve (tau past it carries the last value)
  stats::RestrictedMean rmean;
};

struct RmstDifference {
  std::string contrast;  // "arm=B - A"
  stats::RestrictedMeanDifference difference;
};

struct RmstAnalysis {
  std::string file;
  std::size_t rows_read = 0, rows_used = 0, rows_dropped = 0;
  double tau = 0;
  std::string time_unit;  // "" when unknown
  double conf_level = 0.95;
  std::string weights_column;  // "" when unweighted
  std::vector<std::string> warnings;  // of the rows read (JSON only; tau past a curve adds its own)
  std::vector<RmstGroup> groups;  // "all" first
  std::string group_column, reference_level;
  std::vector<RmstDifference> differences;  // with two groups or more
};

std::string rmst_text(const RmstAnalysis& rmst);
nlohmann::json rmst_json(const RmstAnalysis& rmst);

}  // namespace sirtkit::report
