#include "pipelines/descriptive/group_comparison.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "io/text_formats/csv_table.h"
#include "pipelines/descriptive/csv_columns.h"
#include "stats/comparison/two_sample_tests.h"

namespace sirtkit::pipelines {
namespace {

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

GroupTest parse_group_test(const std::string& name) {
  if (name == "wilcoxon" || name == "mann-whitney") return GroupTest::wilcoxon;
  if (name == "welch") return GroupTest::welch;
  if (name == "t" || name == "student") return GroupTest::student;
  if (name == "kruskal" || name == "kruskal-wallis") return GroupTest::kruskal;
  if (name == "anova") return GroupTest::anova;
  fail_input("options", "test", name, "wilcoxon, t (Student, equal variances), welch, kruskal or anova");
}

report::GroupComparison group_comparison(const CompareRequest& rq) {
  const io::CsvTable t = io::CsvTable::read(rq.csv, rq.encoding);
  const auto values = numeric_column(t, rq.value);
  const CategoricalColumn group = categorical_column(t, rq.by);
  std::vector<std::vector<double>> by_group(group.levels.size());
  std::size_t left_out = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (!values[r] || group.code[r] < 0) {
      ++left_out;
      continue;
    }
    by_group[static_cast<std::size_t>(group.code[r])].push_back(*values[r]);
  }
  const bool two_only = rq.test == GroupTest::wilcoxon || rq.test == GroupTest::welch || rq.test == GroupTest::student;
  if (two_only && group.levels.size() != 2)
    fail_input(t.source(), rq.by, std::to_string(group.levels.size()) + " groups",
               "exactly 2 groups for this test (use --test kruskal or anova for more)");
  if (group.levels.size() < 2)
    fail_input(t.source(), rq.by, std::to_string(group.levels.size()) + " groups", "at least 2 groups");
  for (std::size_t g = 0; g < by_group.size(); ++g)
    if (by_group[g].empty())
      fail_input(t.source(), rq.by + " = " + group.levels[g], "no values of " + rq.value, "at least 1 value per group");

  report::GroupComparison c;
  c.source = t.source();
  c.value = rq.value;
  c.by = rq.by;
  c.rows_used = t.rows() - left_out;
  c.rows_left_out = left_out;
  for (std::size_t g = 0; g < by_group.size(); ++g) {
    const auto& v = by_group[g];
    double mean = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    const double sd = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : NAN;
    c.groups.push_back({group.levels[g], v.size(), mean, sd, median_of(v)});
  }
  switch (rq.test) {
    case GroupTest::wilcoxon: c.wilcoxon = stats::wilcoxon_rank_sum(by_group[0], by_group[1]); break;
    case GroupTest::welch:
    case GroupTest::student:
      c.equal_variance = rq.test == GroupTest::student;
      c.t_test = stats::t_test(by_group[0], by_group[1], c.equal_variance, rq.conf_level);
      break;
    case GroupTest::kruskal: c.kruskal = stats::kruskal_wallis(by_group); break;
    case GroupTest::anova: c.anova = stats::one_way_anova(by_group); break;
  }
  c.warnings = categorical_warnings(group, rq.by);
  return c;
}

}  // namespace sirtkit::pipelines
