#pragma once
// `sirtkit compare`: a continuous column compared between the groups of a
// categorical column of a CSV file: Wilcoxon rank-sum, Welch or Student t
// for two groups; Kruskal-Wallis or one-way ANOVA for two or more. Rows
// missing the value or the group are left out and counted.

#include <filesystem>
#include <string>

#include "io/text_formats/text_encoding.h"
#include "report/descriptive/group_comparison.h"

namespace sirtkit::pipelines {

enum class GroupTest { wilcoxon, welch, student, kruskal, anova };
GroupTest parse_group_test(const std::string& name);  // "wilcoxon" | "t" (= "student") | "welch" | "kruskal" | "anova"

struct CompareRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;  // of the CSV file (--encoding)
  std::string value;  // numeric column
  std::string by;     // group column
  GroupTest test = GroupTest::wilcoxon;
  double conf_level = 0.95;  // t-tests' CI of the difference
};

// Every number of the comparison (report/descriptive/group_comparison.h
// renders it).
report::GroupComparison group_comparison(const CompareRequest& request);

}  // namespace sirtkit::pipelines
