#include "pipelines/descriptive/table_one.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/error.h"
#include "core/format.h"
#include "io/text_formats/csv_table.h"
#include "pipelines/descriptive/count_tests.h"
#include "pipelines/descriptive/csv_columns.h"
#include "stats/comparison/contingency_tests.h"
#include "stats/comparison/two_sample_tests.h"

namespace sirtkit::pipelines {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

int sum(const std::vector<int>& v) {
  int s = 0;
  for (int x : v) s += x;
  return s;
}

// R quantile(type = 7), the default of quantile() and summary(): linear
// interpolation between order statistics at h = (n − 1) p (Hyndman & Fan 1996).
double quantile7(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

ContinuousSummary summarise(std::vector<double> v, int missing) {
  ContinuousSummary s;
  s.n = static_cast<int>(v.size());
  s.missing = missing;
  if (v.empty()) {
    s.mean = s.sd = s.median = s.q1 = s.q3 = s.min = s.max = nan;
    return s;
  }
  std::sort(v.begin(), v.end());
  long double sum = 0;
  for (double x : v) sum += x;
  s.mean = static_cast<double>(sum / v.size());
  long double ss = 0;
  for (double x : v) ss += (x - s.mean) * (x - s.mean);
  s.sd = v.size() > 1 ? std::sqrt(static_cast<double>(ss / (v.size() - 1))) : nan;
  s.median = quantile7(v, 0.5);
  s.q1 = quantile7(v, 0.25);
  s.q3 = quantile7(v, 0.75);
  s.min = v.front();
  s.max = v.back();
  return s;
}

// A column is numeric when every non-missing cell is a number; categorical
// when none is. A mix is a typo until the user says otherwise (--factors).
bool numeric_or_refuse(const io::CsvTable& t, const std::string& column) {
  const std::size_t c = t.column_index(column);
  std::optional<std::size_t> first_text;
  bool any_number = false;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto s = number_cell(t, r, c);
    if (!s) continue;
    if (parse_finite_number(*s)) any_number = true;
    else if (!first_text) first_text = r;
  }
  if (!first_text) return any_number;
  if (!any_number) return false;
  fail_input(where_row(t, *first_text), column, std::string(*number_cell(t, *first_text, c)),
             "a number (the column's other values are numbers; list it in --factors to treat it as categorical)");
}

VariableTest test_categorical(const TableOneVariable& v, CategoricalTest which) {
  VariableTest out;
  out.p_value = out.statistic = nan;
  std::vector<std::size_t> arms_with_data;
  for (std::size_t a = 0; a < v.non_missing.size(); ++a)
    if (v.non_missing[a] > 0) arms_with_data.push_back(a);
  if (v.levels.size() < 2) {
    out.name = "none";
    out.note = v.levels.empty() ? "no values" : "one level only";
    return out;
  }
  if (arms_with_data.size() < 2) {
    out.name = "none";
    out.note = "fewer than 2 arms with values";
    return out;
  }
  stats::CountTable table(v.levels.size());
  for (std::size_t l = 0; l < v.levels.size(); ++l)
    for (auto a : arms_with_data) table[l].push_back(v.counts[l][a]);
  try {
    if (which == CategoricalTest::fisher) {
      out.name = "fisher";
      out.p_value = stats::fisher_exact_test(table).p_value;  // R: fisher.test(table(variable, arm))
    } else {
      out.name = "chisq";
      const auto r = stats::chisq_test(table);  // R: chisq.test(table(variable, arm)), Yates for 2x2
      out.p_value = r.p_value;
      out.statistic = r.statistic;
      if (r.expected_below_5) out.note = "expected count < 5: chi-squared approximation may be incorrect";
    }
  } catch (const Error& e) {
    if (e.category() != ErrorCategory::bad_input) throw;
    fail_input(std::string("variable ") + v.name + ": " + e.what() + " (for this Table 1: leave " + v.name +
               " out of --vars, or use --categorical-test chisq)");
  }
  return out;
}

VariableTest test_continuous(const std::vector<std::vector<double>>& by_arm, bool nonnormal, bool equal_variance) {
  VariableTest out;
  out.p_value = out.statistic = nan;
  std::vector<std::vector<double>> groups;
  for (const auto& g : by_arm)
    if (!g.empty()) groups.push_back(g);
  const bool two = by_arm.size() == 2;
  out.name = nonnormal ? (two ? "wilcoxon" : "kruskal") : (two ? (equal_variance ? "student" : "welch") : "anova");
  if (groups.size() < by_arm.size() || groups.size() < 2) {
    out.note = "an arm has no values";
    return out;
  }
  try {
    if (nonnormal && two) {
      const auto r = stats::wilcoxon_rank_sum(groups[0], groups[1]);  // R: wilcox.test(x ~ arm)
      out.p_value = r.p_value;
      out.statistic = r.w;
      if (!r.exact) out.note = r.ties ? "normal approximation (ties)" : "normal approximation (n >= 50)";
    } else if (nonnormal) {
      const auto r = stats::kruskal_wallis(groups);  // R: kruskal.test(x ~ arm)
      out.p_value = r.p_value;
      out.statistic = r.statistic;
    } else if (two) {
      const auto r = stats::t_test(groups[0], groups[1], equal_variance);  // R: t.test(x ~ arm, var.equal = ...)
      out.p_value = r.p_value;
      out.statistic = r.statistic;
    } else {
      const auto r = stats::one_way_anova(groups);  // R: oneway.test(x ~ arm, var.equal = TRUE)
      out.p_value = r.p_value;
      out.statistic = r.statistic;
    }
  } catch (const Error& e) {
    if (e.category() != ErrorCategory::bad_input) throw;
    out.note = e.what();  // e.g. fewer than 2 values in an arm, essentially constant data
    out.p_value = out.statistic = nan;
  }
  return out;
}

}  // namespace

CategoricalTest parse_categorical_test(const std::string& name) {
  if (name == "fisher") return CategoricalTest::fisher;
  if (name == "chisq" || name == "chi-square") return CategoricalTest::chisq;
  fail_input("options", "categorical-test", name, "fisher or chisq");
}

Spread parse_spread(const std::string& name) {
  if (name == "iqr") return Spread::iqr;
  if (name == "range") return Spread::range;
  fail_input("options", "spread", name, "iqr or range");
}

TableOne build_table_one(const io::CsvTable& t, const TableOneOptions& o) {
  if (o.by.empty()) fail_input("options", "by", "", "the column that holds the arm");
  if (o.digits < 0 || o.digits > 10) fail_input("options", "digits", std::to_string(o.digits), "0 to 10 decimals");
  TableOne out;
  out.source = t.source();
  out.by = o.by;
  out.options = o;
  out.rows_read = t.rows();
  const CategoricalColumn arm = categorical_column(t, o.by);  // unknown column: bad input listing the header
  out.warnings = categorical_warnings(arm, o.by);
  out.arms = arm.levels;
  out.arm_n.assign(out.arms.size(), 0);
  for (int c : arm.code) {
    if (c < 0) ++out.rows_without_arm;
    else ++out.arm_n[static_cast<std::size_t>(c)];
  }
  if (out.arms.size() < 2)
    fail_input(t.source(), o.by, out.arms.empty() ? "no values" : out.arms[0] + " only", "at least 2 arms to compare");

  std::vector<std::string> vars = o.variables;
  if (vars.empty())
    for (const auto& h : t.header())
      if (h != o.by) vars.push_back(h);
  std::set<std::string> seen;
  for (const auto& v : vars) {
    t.column_index(v);  // bad input listing the columns when unknown
    if (v == o.by) fail_input("options", "vars", v, "variables other than the --by column");
    if (!seen.insert(v).second) fail_input("options", "vars", v, "each variable once");
  }
  for (const auto& f : o.factors) {
    if (!contains(vars, f)) fail_input("options", "factors", f, "a column among the table's variables (" + fmt::format("{}", fmt::join(vars, ", ")) + ")");
    if (contains(o.nonnormal, f)) fail_input("options", "nonnormal", f, "a numeric variable, not one listed in --factors");
  }
  for (const auto& f : o.nonnormal)
    if (!contains(vars, f)) fail_input("options", "nonnormal", f, "a column among the table's variables (" + fmt::format("{}", fmt::join(vars, ", ")) + ")");

  const std::size_t k = out.arms.size();
  for (const auto& name : vars) {
    TableOneVariable v;
    v.name = name;
    v.non_missing.assign(k, 0);
    v.missing.assign(k, 0);
    v.categorical = contains(o.factors, name) || !numeric_or_refuse(t, name);
    v.nonnormal = contains(o.nonnormal, name);
    if (v.nonnormal && v.categorical)
      fail_input(t.source(), name, "non-numeric values", "a numeric column for --nonnormal");
    if (v.categorical) {
      const CategoricalColumn col = categorical_column(t, name);
      for (auto& w : categorical_warnings(col, name)) out.warnings.push_back(std::move(w));
      std::vector<std::vector<int>> counts(col.levels.size(), std::vector<int>(k, 0));
      for (std::size_t r = 0; r < t.rows(); ++r) {
        const int a = arm.code[r];
        if (a < 0) continue;
        if (col.code[r] < 0) ++v.missing[static_cast<std::size_t>(a)];
        else {
          ++counts[static_cast<std::size_t>(col.code[r])][static_cast<std::size_t>(a)];
          ++v.non_missing[static_cast<std::size_t>(a)];
        }
      }
      for (std::size_t l = 0; l < col.levels.size(); ++l) {  // levels seen only in rows without an arm are dropped
        int total = 0;
        for (int c : counts[l]) total += c;
        if (total == 0) continue;
        v.levels.push_back(col.levels[l]);
        v.counts.push_back(counts[l]);
      }
      v.test = test_categorical(v, o.categorical_test);
    } else {
      const auto values = numeric_column(t, name);
      std::vector<std::vector<double>> by_arm(k);
      for (std::size_t r = 0; r < t.rows(); ++r) {
        const int a = arm.code[r];
        if (a < 0) continue;
        if (values[r]) by_arm[static_cast<std::size_t>(a)].push_back(*values[r]);
        else ++v.missing[static_cast<std::size_t>(a)];
      }
      std::vector<double> all;
      for (std::size_t a = 0; a < k; ++a) {
        v.non_missing[a] = static_cast<int>(by_arm[a].size());
        v.summary.push_back(summarise(by_arm[a], v.missing[a]));
        all.insert(all.end(), by_arm[a].begin(), by_arm[a].end());
      }
      v.overall = summarise(std::move(all), sum(v.missing));
      v.test = test_continuous(by_arm, v.nonnormal, o.equal_variance);
    }
    out.variables.push_back(std::move(v));
  }
  return out;
}

TableOne run_table_one(const TableOneRequest& rq) { return build_table_one(io::CsvTable::read(rq.csv, rq.encoding), rq.options); }

}  // namespace sirtkit::pipelines
