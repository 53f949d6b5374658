#include "report/descriptive/table_one.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/csv_text.h"
#include "core/format.h"
#include "report/number_output.h"

namespace sirtkit::report {
namespace {

using nlohmann::json;

int sum(const std::vector<int>& v) {
  int s = 0;
  for (int x : v) s += x;
  return s;
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

TableOneDisplay table_one_display(const TableOne& t) {
  TableOneDisplay d;
  d.header = {"characteristic"};
  for (const auto& h : arm_headers(t)) d.header.push_back(h);
  d.header.insert(d.header.end(), {"p", "test"});
  for (const auto& r : layout(t)) {
    std::vector<std::string> row{r.level.empty() ? r.label : "    " + r.level};
    row.insert(row.end(), r.cells.begin(), r.cells.end());
    row.insert(row.end(), {r.p, r.test});
    d.rows.push_back(std::move(row));
  }
  return d;
}

}  // namespace sirtkit::report
