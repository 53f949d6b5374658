#pragma once
// Text and JSON of `sirtkit compare`: a numeric column's summary per group
// and the test between the groups (Wilcoxon, Student or Welch t, Kruskal-
// Wallis, one-way ANOVA).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stats/comparison/two_sample_tests.h"

namespace sirtkit::report {

struct GroupSummary {
  std::string group;
  std::size_t n = 0;
  double mean = 0, sd = 0, median = 0;  // sd NaN with one value
};

struct GroupComparison {
  std::string source, value, by;
  std::size_t rows_used = 0, rows_left_out = 0;
  std::vector<GroupSummary> groups;
  // The test: exactly one of these.
  std::optional<stats::WilcoxonResult> wilcoxon;
  std::optional<stats::TTestResult> t_test;
  bool equal_variance = false;  // Student (true) or Welch t
  std::optional<stats::KGroupTestResult> kruskal, anova;
  std::vector<std::string> warnings;
};

std::string group_comparison_text(const GroupComparison& c);
nlohmann::json group_comparison_json(const GroupComparison& c);

}  // namespace sirtkit::report
