#pragma once
// Text and JSON of `sirtkit km`: the Kaplan-Meier curves of all subjects and
// of each group, their medians, quantiles and landmark rows, and the median
// follow-up, from the numbers pipelines/survival/survival_analysis computes.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stats/survival/kaplan_meier.h"

namespace sirtkit::report {

struct KmCurveView {
  std::string label;  // "all" or "sex=Female"
  stats::KmCurve curve;
  stats::KmQuantile median;
  std::vector<stats::KmQuantile> quantiles;
  std::vector<stats::KmAtTime> at_times;
};

struct KmAnalysis {
  std::string file;
  std::size_t rows_read = 0, rows_used = 0, rows_dropped = 0;
  // The curve of all subjects and the follow-up use every row with a time and
  // an event (rows missing only the group count there).
  bool all_rows_differ = false;
  std::size_t rows_used_all = 0, rows_dropped_all = 0;
  stats::ConfType conf_type = stats::ConfType::log;
  double conf_level = 0.95;
  std::string time_unit;  // "" when unknown
  std::vector<std::string> warnings;
  std::string start_column;    // (start, stop] rows; "" otherwise
  std::string weights_column;  // case weights; "" otherwise
  bool non_integer_weights = false;
  bool extend = false;      // landmarks past the last time carry the last value
  bool full_table = false;  // every row of each curve in the text
  std::vector<KmCurveView> curves;  // "all" first
  std::optional<stats::KmQuantile> follow_up;  // reverse KM median; none for (start, stop] rows
};

std::string km_text(const KmAnalysis& km);
nlohmann::json km_json(const KmAnalysis& km);

}  // namespace sirtkit::report
