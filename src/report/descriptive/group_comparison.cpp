#include "report/descriptive/group_comparison.h"

#include <fmt/format.h>

#include <cmath>

#include "report/number_output.h"

namespace sirtkit::report {

using nlohmann::json;

nlohmann::json group_comparison_json(const GroupComparison& c) {
  json groups = json::array();
  for (const auto& g : c.groups)
    groups.push_back({{"group", g.group}, {"n", g.n}, {"mean", json_number(g.mean)}, {"sd", json_number(g.sd)}, {"median", g.median}});
  json j = {{"source", c.source}, {"value", c.value}, {"by", c.by}, {"rows_left_out", c.rows_left_out}, {"groups", groups}};
  json test;
  if (c.wilcoxon) {
    const auto& r = *c.wilcoxon;
    test = {{"name", "wilcoxon"}, {"W", r.w}, {"p_value", r.p_value}, {"exact", r.exact}, {"ties", r.ties},
            {"z", json_number(r.z)}, {"continuity_correction", r.continuity_correction}};
  } else if (c.t_test) {
    const auto& r = *c.t_test;
    test = {{"name", c.equal_variance ? "student" : "welch"}, {"t", r.statistic}, {"df", r.df}, {"p_value", r.p_value},
            {"difference", r.difference}, {"std_error", r.std_error}, {"conf_level", r.conf_level},
            {"conf_int", {{"lower", r.ci_low}, {"upper", r.ci_high}}}};
  } else if (c.kruskal) {
    const auto& r = *c.kruskal;
    test = {{"name", "kruskal"}, {"statistic", r.statistic}, {"df", r.df1}, {"p_value", r.p_value}};
  } else if (c.anova) {
    const auto& r = *c.anova;
    test = {{"name", "anova"}, {"F", r.statistic}, {"df", {r.df1, r.df2}}, {"p_value", r.p_value}};
  }
  j["test"] = test;
  j["warnings"] = c.warnings;
  return j;
}

std::string group_comparison_text(const GroupComparison& c) {
  std::string text = fmt::format("{} by {} ({}; {} rows, {} left out for a missing value)\n", c.value, c.by, c.source, c.rows_used,
                                 c.rows_left_out);
  for (const auto& g : c.groups)
    text += fmt::format("  {:<16} n = {:<5} mean {:.4g}  SD {}  median {:.4g}\n", g.group, g.n, g.mean,
                        std::isnan(g.sd) ? std::string("NA") : fmt::format("{:.4g}", g.sd), g.median);
  if (c.wilcoxon) {
    const auto& r = *c.wilcoxon;
    text += fmt::format("Wilcoxon rank-sum test ({}, as R wilcox.test): W = {:g}, p = {}\n",
                        r.exact ? "exact" : "normal approximation with continuity correction", r.w, table_p_value(r.p_value));
  } else if (c.t_test) {
    const auto& r = *c.t_test;
    const bool equal = c.equal_variance;
    text += fmt::format("{} t-test (as R t.test{}): t = {:.4f}, df = {:.4g}, p = {}\n", equal ? "Student" : "Welch",
                        equal ? ", var.equal = TRUE" : "", r.statistic, r.df, table_p_value(r.p_value));
    text += fmt::format("difference in means ({} − {}) {:.4g}, {:g} % CI {:.4g} to {:.4g}\n", c.groups[0].group, c.groups[1].group,
                        r.difference, 100 * r.conf_level, r.ci_low, r.ci_high);
  } else if (c.kruskal) {
    const auto& r = *c.kruskal;
    text += fmt::format("Kruskal-Wallis test (as R kruskal.test): chi-squared = {:.4f}, df = {:g}, p = {}\n", r.statistic, r.df1,
                        table_p_value(r.p_value));
  } else if (c.anova) {
    const auto& r = *c.anova;
    text += fmt::format("One-way ANOVA (as R oneway.test, var.equal = TRUE): F = {:.4f} on {:g} and {:g} df, p = {}\n", r.statistic,
                        r.df1, r.df2, table_p_value(r.p_value));
  }
  for (const auto& w : c.warnings) text += "warning: " + w + "\n";
  return text;
}

}  // namespace sirtkit::report
