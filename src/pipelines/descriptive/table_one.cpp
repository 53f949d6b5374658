#include "pipelines/descriptive/table_one.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/atomic_file.h"
#include "core/csv_text.h"
#include "core/error.h"
#include "core/format.h"
#include "io/csv_table.h"
#include "pipelines/descriptive/number_output.h"
#include "pipelines/descriptive/count_tests.h"
#include "pipelines/descriptive/csv_columns.h"
#include "stats/contingency_tests.h"
#include "stats/two_sample_tests.h"

namespace sirtkit::pipelines {
namespace {

using nlohmann::json;
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

// ---- formatting ----

std::string fixed(double v, int digits) { return std::isnan(v) ? "NA" : fmt::format("{:.{}f}", v, digits); }

std::string summary_label(const TableOneVariable& v, Spread spread) {
  if (v.categorical) return "n (%)";
  if (!v.nonnormal) return "mean ± SD";
  return spread == Spread::iqr ? "median [Q1, Q3]" : "median (min, max)";
}

std::string continuous_cell(const ContinuousSummary& s, const TableOneVariable& v, const TableOneOptions& o) {
  if (s.n == 0) return "—";
  const int d = o.digits;
  if (!v.nonnormal) return fixed(s.mean, d) + " ± " + fixed(s.sd, d);
  if (o.spread == Spread::iqr) return fixed(s.median, d) + " [" + fixed(s.q1, d) + ", " + fixed(s.q3, d) + "]";
  return fixed(s.median, d) + " (" + fixed(s.min, d) + ", " + fixed(s.max, d) + ")";
}

std::string count_cell(int count, int of) {
  if (of == 0) return "—";
  return count_percent(count, of);
}

const char* test_label(const std::string& name) {
  if (name == "fisher") return "Fisher";
  if (name == "chisq") return "chi-square";
  if (name == "welch") return "Welch t";
  if (name == "student") return "Student t";
  if (name == "wilcoxon") return "Wilcoxon";
  if (name == "anova") return "ANOVA";
  if (name == "kruskal") return "Kruskal-Wallis";
  return "";
}

// The readable table as rows of cells: characteristic, one cell per arm, p, test.
struct Row {
  std::string label, level;
  std::vector<std::string> cells;
  std::string p, test;
};

std::vector<Row> layout(const TableOne& t) {
  std::vector<Row> rows;
  for (const auto& v : t.variables) {
    Row head{v.name + ", " + summary_label(v, t.options.spread), "", {}, table_p_value(v.test.p_value), test_label(v.test.name)};
    if (v.categorical) {
      head.cells.assign(t.arms.size() + (t.options.overall ? 1 : 0), "");
      rows.push_back(head);
      for (std::size_t l = 0; l < v.levels.size(); ++l) {
        Row r{"", v.levels[l], {}, "", ""};
        for (std::size_t a = 0; a < t.arms.size(); ++a) r.cells.push_back(count_cell(v.counts[l][a], v.non_missing[a]));
        if (t.options.overall) r.cells.push_back(count_cell(sum(v.counts[l]), sum(v.non_missing)));
        rows.push_back(r);
      }
    } else {
      for (std::size_t a = 0; a < t.arms.size(); ++a) head.cells.push_back(continuous_cell(v.summary[a], v, t.options));
      if (t.options.overall) head.cells.push_back(continuous_cell(v.overall, v, t.options));
      rows.push_back(head);
    }
    if (std::any_of(v.missing.begin(), v.missing.end(), [](int m) { return m > 0; })) {
      Row r{"", "missing", {}, "", ""};
      for (int m : v.missing) r.cells.push_back(std::to_string(m));
      if (t.options.overall) r.cells.push_back(std::to_string(sum(v.missing)));
      rows.push_back(r);
    }
  }
  return rows;
}

std::size_t display_width(const std::string& s) {  // UTF-8: count lead bytes only
  std::size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string pad(const std::string& s, std::size_t width) { return s + std::string(width > display_width(s) ? width - display_width(s) : 0, ' '); }

std::vector<std::string> arm_headers(const TableOne& t) {
  std::vector<std::string> h;
  for (std::size_t a = 0; a < t.arms.size(); ++a) h.push_back(fmt::format("{} (n = {})", t.arms[a], t.arm_n[a]));
  if (t.options.overall) h.push_back(fmt::format("Overall (n = {})", sum(t.arm_n)));
  return h;
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

json table_one_json(const TableOne& t) {
  json arms = json::array();
  for (std::size_t a = 0; a < t.arms.size(); ++a) arms.push_back({{"arm", t.arms[a]}, {"n", t.arm_n[a]}});
  json vars = json::array();
  for (const auto& v : t.variables) {
    json j = {{"name", v.name},
              {"type", v.categorical ? "categorical" : v.nonnormal ? "continuous_nonnormal" : "continuous"},
              {"summary", summary_label(v, t.options.spread)},
              {"n", v.non_missing},
              {"missing", v.missing},
              {"test", {{"name", v.test.name}, {"p_value", json_or_null(v.test.p_value)}, {"statistic", json_or_null(v.test.statistic)}}}};
    if (!v.test.note.empty()) j["test"]["note"] = v.test.note;
    if (v.categorical) {
      json levels = json::array();
      for (std::size_t l = 0; l < v.levels.size(); ++l) {
        json pct = json::array();
        for (std::size_t a = 0; a < t.arms.size(); ++a)
          pct.push_back(v.non_missing[a] ? json(100.0 * v.counts[l][a] / v.non_missing[a]) : json(nullptr));
        const int all = sum(v.non_missing);
        levels.push_back({{"level", v.levels[l]}, {"counts", v.counts[l]}, {"percents", pct},
                          {"overall_count", sum(v.counts[l])},
                          {"overall_percent", all ? json(100.0 * sum(v.counts[l]) / all) : json(nullptr)}});
      }
      j["levels"] = levels;
    } else {
      auto summary_json = [](const ContinuousSummary& s) {
        return json{{"n", s.n}, {"missing", s.missing}, {"mean", json_or_null(s.mean)}, {"sd", json_or_null(s.sd)},
                    {"median", json_or_null(s.median)}, {"q1", json_or_null(s.q1)}, {"q3", json_or_null(s.q3)},
                    {"min", json_or_null(s.min)}, {"max", json_or_null(s.max)}};
      };
      json per_arm = json::array();
      for (const auto& s : v.summary) per_arm.push_back(summary_json(s));
      j["arms"] = per_arm;
      j["overall"] = summary_json(v.overall);
    }
    vars.push_back(j);
  }
  return {{"schema", "sirtkit.table1/1"},
          {"source", t.source},
          {"by", t.by},
          {"arms", arms},
          {"rows_read", t.rows_read},
          {"rows_without_arm", t.rows_without_arm},
          {"categorical_test", t.options.categorical_test == CategoricalTest::fisher ? "fisher" : "chisq"},
          {"t_test", t.options.equal_variance ? "student" : "welch"},
          {"variables", vars},
          {"warnings", t.warnings}};
}

std::string table_one_text(const TableOne& t) {
  const auto rows = layout(t);
  const auto heads = arm_headers(t);
  std::size_t w0 = display_width("Characteristic");
  for (const auto& r : rows) w0 = std::max(w0, display_width(r.label.empty() ? "  " + r.level : r.label));
  std::vector<std::size_t> w(heads.size());
  for (std::size_t a = 0; a < heads.size(); ++a) {
    w[a] = display_width(heads[a]);
    for (const auto& r : rows) w[a] = std::max(w[a], display_width(r.cells[a]));
  }
  std::size_t wp = 6;
  for (const auto& r : rows) wp = std::max(wp, display_width(r.p));
  std::string s = fmt::format("Table 1: {} by {} ({} rows", t.source, t.by, t.rows_read - t.rows_without_arm);
  if (t.rows_without_arm) s += fmt::format("; {} rows without {} left out", t.rows_without_arm, t.by);
  s += ")\n\n";
  std::string line = pad("Characteristic", w0);
  for (std::size_t a = 0; a < heads.size(); ++a) line += "  " + pad(heads[a], w[a]);
  line += "  " + pad("p", wp) + "  test";
  s += line + "\n";
  for (const auto& r : rows) {
    line = pad(r.label.empty() ? "  " + r.level : r.label, w0);
    for (std::size_t a = 0; a < r.cells.size(); ++a) line += "  " + pad(r.cells[a], w[a]);
    line += "  " + pad(r.p, wp) + "  " + r.test;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    s += line + "\n";
  }
  s += "\nCategorical: n (% of the arm's non-missing values); ";
  s += t.options.categorical_test == CategoricalTest::fisher ? "Fisher's exact test" : "Pearson's chi-square (Yates for 2x2)";
  s += fmt::format(". Continuous: mean ± SD, {}", t.arms.size() == 2 ? (t.options.equal_variance ? "Student t-test" : "Welch t-test") : "one-way ANOVA");
  s += fmt::format("; nonnormal: {}, {}.\n", t.options.spread == Spread::iqr ? "median [Q1, Q3]" : "median (min, max)",
                   t.arms.size() == 2 ? "Wilcoxon rank-sum test" : "Kruskal-Wallis test");
  for (const auto& v : t.variables)
    if (!v.test.note.empty()) s += fmt::format("{}: {}\n", v.name, v.test.note);
  for (const auto& w : t.warnings) s += "warning: " + w + "\n";
  return s;
}

std::string table_one_csv(const TableOne& t) {
  std::string s = "characteristic,level";
  for (const auto& h : arm_headers(t)) s.append(",").append(csv_field(h));
  s += ",p,test\n";
  std::string current;
  for (const auto& r : layout(t)) {
    if (!r.label.empty()) current = r.label;
    s.append(csv_field(r.label.empty() ? current : r.label)).append(",").append(csv_field(r.level));
    for (const auto& c : r.cells) s.append(",").append(csv_field(c));
    s.append(",").append(csv_field(r.p)).append(",").append(csv_field(r.test)).append("\n");
  }
  return s;
}

DescriptiveOutput run_table_one(const TableOneRequest& rq) {
  const io::CsvTable table = io::CsvTable::read(rq.csv, rq.encoding);
  const TableOne t = build_table_one(table, rq.options);
  DescriptiveOutput out;
  out.json = table_one_json(t);
  out.text = table_one_text(t);
  if (rq.out_dir) {
    OutputFolder folder(*rq.out_dir);  // both files or none (core/atomic_file.h)
    folder.write("table1.json", out.json.dump(2) + "\n");
    folder.write("table1.csv", table_one_csv(t));
    folder.commit();
  }
  return out;
}

}  // namespace sirtkit::pipelines
