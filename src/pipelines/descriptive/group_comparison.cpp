#include "pipelines/descriptive/number_output.h"
#include "pipelines/descriptive/group_comparison.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "io/csv_table.h"
#include "pipelines/descriptive/count_tests.h"
#include "pipelines/descriptive/csv_columns.h"
#include "stats/two_sample_tests.h"

namespace sirtkit::pipelines {
namespace {

using nlohmann::json;

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

DescriptiveOutput run_compare(const CompareRequest& rq) {
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

  DescriptiveOutput out;
  json groups = json::array();
  std::string text = fmt::format("{} by {} ({}; {} rows, {} left out for a missing value)\n", rq.value, rq.by, t.source(),
                                 t.rows() - left_out, left_out);
  for (std::size_t g = 0; g < by_group.size(); ++g) {
    const auto& v = by_group[g];
    double mean = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    const double sd = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : NAN;
    const double med = median_of(v);
    groups.push_back({{"group", group.levels[g]}, {"n", v.size()}, {"mean", json_number(mean)}, {"sd", json_number(sd)}, {"median", med}});
    text += fmt::format("  {:<16} n = {:<5} mean {:.4g}  SD {}  median {:.4g}\n", group.levels[g], v.size(), mean,
                        std::isnan(sd) ? std::string("NA") : fmt::format("{:.4g}", sd), med);
  }
  out.json = {{"source", t.source()}, {"value", rq.value}, {"by", rq.by}, {"rows_left_out", left_out}, {"groups", groups}};
  json test;
  switch (rq.test) {
    case GroupTest::wilcoxon: {
      const auto r = stats::wilcoxon_rank_sum(by_group[0], by_group[1]);
      test = {{"name", "wilcoxon"}, {"W", r.w}, {"p_value", r.p_value}, {"exact", r.exact}, {"ties", r.ties},
              {"z", json_number(r.z)}, {"continuity_correction", r.continuity_correction}};
      text += fmt::format("Wilcoxon rank-sum test ({}, as R wilcox.test): W = {:g}, p = {}\n",
                          r.exact ? "exact" : "normal approximation with continuity correction", r.w, table_p_value(r.p_value));
      break;
    }
    case GroupTest::welch:
    case GroupTest::student: {
      const bool equal = rq.test == GroupTest::student;
      const auto r = stats::t_test(by_group[0], by_group[1], equal, rq.conf_level);
      test = {{"name", equal ? "student" : "welch"}, {"t", r.statistic}, {"df", r.df}, {"p_value", r.p_value},
              {"difference", r.difference}, {"std_error", r.std_error}, {"conf_level", r.conf_level},
              {"conf_int", {{"lower", r.ci_low}, {"upper", r.ci_high}}}};
      text += fmt::format("{} t-test (as R t.test{}): t = {:.4f}, df = {:.4g}, p = {}\n", equal ? "Student" : "Welch",
                          equal ? ", var.equal = TRUE" : "", r.statistic, r.df, table_p_value(r.p_value));
      text += fmt::format("difference in means ({} − {}) {:.4g}, {:g} % CI {:.4g} to {:.4g}\n", group.levels[0], group.levels[1],
                          r.difference, 100 * r.conf_level, r.ci_low, r.ci_high);
      break;
    }
    case GroupTest::kruskal: {
      const auto r = stats::kruskal_wallis(by_group);
      test = {{"name", "kruskal"}, {"statistic", r.statistic}, {"df", r.df1}, {"p_value", r.p_value}};
      text += fmt::format("Kruskal-Wallis test (as R kruskal.test): chi-squared = {:.4f}, df = {:g}, p = {}\n", r.statistic, r.df1,
                          table_p_value(r.p_value));
      break;
    }
    case GroupTest::anova: {
      const auto r = stats::one_way_anova(by_group);
      test = {{"name", "anova"}, {"F", r.statistic}, {"df", {r.df1, r.df2}}, {"p_value", r.p_value}};
      text += fmt::format("One-way ANOVA (as R oneway.test, var.equal = TRUE): F = {:.4f} on {:g} and {:g} df, p = {}\n",
                          r.statistic, r.df1, r.df2, table_p_value(r.p_value));
      break;
    }
  }
  out.json["test"] = test;
  out.json["warnings"] = categorical_warnings(group, rq.by);
  for (const auto& w : out.json["warnings"]) text += "warning: " + w.get<std::string>() + "\n";
  out.text = text;
  return out;
}

}  // namespace sirtkit::pipelines
