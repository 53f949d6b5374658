#include "pipelines/descriptive/rater_agreement.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/error.h"
#include "core/text.h"
#include "io/csv_table.h"
#include "pipelines/descriptive/csv_columns.h"
#include "pipelines/descriptive/number_output.h"

namespace sirtkit::pipelines {
namespace {

using nlohmann::json;

bool as_number(const std::string& s, double& out) {
  const std::optional<double> v = parse_finite_number(s);
  if (v) out = *v;
  return v.has_value();
}

// The levels as R's factor() orders the values seen: numeric order (labelled as R
// prints the numbers, "1" not "1.0") when every value is a number, else text order.
std::vector<std::string> factor_levels(std::vector<std::string>& values) {
  bool numeric = true;
  for (const auto& v : values) {
    double d;
    numeric = numeric && as_number(v, d);
  }
  std::vector<std::pair<double, std::string>> keyed;
  for (auto& v : values) {
    double d = 0;
    if (numeric) {
      as_number(v, d);
      v = r_number_label(d);
    }
    keyed.emplace_back(d, v);
  }
  std::sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
    return numeric ? x.first < y.first : r_collate_less(x.second, y.second);  // R's sort(): numbers, else ICU collation
  });
  std::vector<std::string> levels;
  for (const auto& [d, l] : keyed)
    if (levels.empty() || levels.back() != l) levels.push_back(l);
  return levels;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}


}  // namespace

KappaOutput run_kappa(const KappaRequest& rq) {
  if (rq.rater1.empty() || rq.rater2.empty()) fail_input("options", "rater1/rater2", "(none)", "the two readers' columns");
  if (rq.rater1 == rq.rater2) fail_input("options", "rater2", rq.rater2, "a column other than --rater1");
  for (std::size_t i = 0; i < rq.levels.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (rq.levels[i] == rq.levels[j]) fail_input("options", "levels", rq.levels[i], "each level listed once");
  const auto table = io::CsvTable::read(rq.csv, rq.encoding);
  const std::size_t c1 = table.column_index(rq.rater1), c2 = table.column_index(rq.rater2);

  // Complete pairs only; rows with a reading missing are dropped, and their lines kept for the report.
  // Each reading as read.csv types its column: numbers may carry spaces, text
  // keeps them (" PR" is not "PR", as in R).
  const auto l1 = categorical_labels(table, c1), l2 = categorical_labels(table, c2);
  std::vector<std::string> warnings;
  for (const auto& name : {rq.rater1, rq.rater2}) {
    CategoricalColumn col = categorical_column(table, name);
    col.empty_cells = 0;  // rows with a missing reading are listed by line already (dropped_lines)
    for (auto& w : categorical_warnings(col, name)) warnings.push_back(std::move(w));
  }
  std::vector<std::string> a, b;
  std::vector<std::size_t> used_rows, dropped_lines;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    if (!l1[r] || !l2[r]) {
      dropped_lines.push_back(table.line_of_row(r));
      continue;
    }
    a.push_back(*l1[r]);
    b.push_back(*l2[r]);
    used_rows.push_back(r);
  }
  if (a.empty()) fail_input(table.source(), rq.rater1 + ", " + rq.rater2, "no complete pairs", "at least one row with both readings");

  std::vector<std::string> levels = rq.levels;
  if (levels.empty()) {
    std::vector<std::string> all = a;
    all.insert(all.end(), b.begin(), b.end());
    levels = factor_levels(all);
    std::copy(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(a.size()), a.begin());
    std::copy(all.begin() + static_cast<std::ptrdiff_t>(a.size()), all.end(), b.begin());
  }
  std::map<std::string, int> code;
  for (std::size_t k = 0; k < levels.size(); ++k) code[levels[k]] = static_cast<int>(k);
  std::vector<int> ca, cb;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (const auto& [value, column, out] : {std::tuple{&a[i], &rq.rater1, &ca}, std::tuple{&b[i], &rq.rater2, &cb}}) {
      const auto it = code.find(*value);
      if (it == code.end())
        fail_input(table.source() + " line " + std::to_string(table.line_of_row(used_rows[i])), *column, shown_level(*value),
                   "one of the levels " + join(levels, ", ") + (trim(*value) != *value ? " (spaces around a value are kept, as R's read.csv keeps them)" : ""));
      out->push_back(it->second);
    }
  }
  const auto k = stats::cohen_kappa(ca, cb, static_cast<int>(levels.size()), rq.weights, rq.conf_level);

  KappaOutput out;
  json& j = out.json;
  j["command"] = "kappa";
  j["file"] = rq.csv.string();
  j["rater1"] = rq.rater1;
  j["rater2"] = rq.rater2;
  j["weights"] = stats::kappa_weights_name(rq.weights);
  j["levels"] = levels;
  j["rows_read"] = table.rows();
  j["n"] = k.n;
  j["rows_dropped"] = dropped_lines.size();
  j["dropped_lines"] = dropped_lines;
  j["table"] = k.table;
  j["observed_agreement"] = k.observed_agreement;
  j["expected_agreement"] = k.expected_agreement;
  j["kappa"] = k.kappa;
  j["se"] = k.se;
  j["se_null"] = k.se_null;
  j["z"] = json_or_null(k.z);
  j["p"] = json_or_null(k.p_value);
  j["conf_level"] = rq.conf_level;
  j["lower"] = k.lower;
  j["upper"] = k.upper;
  j["warnings"] = warnings;

  const std::string weighting = rq.weights == stats::KappaWeights::none ? "unweighted" : std::string(stats::kappa_weights_name(rq.weights)) + " weights";
  std::string& s = out.text;
  s = fmt::format("Cohen's kappa ({}), {} vs {}: {} pairs", weighting, rq.rater1, rq.rater2, k.n);
  if (!dropped_lines.empty()) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < std::min<std::size_t>(dropped_lines.size(), 10); ++i) lines.push_back(std::to_string(dropped_lines[i]));
    s += fmt::format("; {} row{} dropped because a reading is missing (line{} {}{})", dropped_lines.size(),
                     dropped_lines.size() == 1 ? "" : "s", dropped_lines.size() == 1 ? "" : "s", join(lines, ", "),
                     dropped_lines.size() > 10 ? ", ..." : "");
  }
  s += "\n";
  std::size_t wcol = 6;
  for (const auto& l : levels) wcol = std::max(wcol, l.size() + 2);
  s += fmt::format("  rows {}, columns {}\n  {:>{}}", rq.rater1, rq.rater2, "", wcol);
  for (const auto& l : levels) s += fmt::format("{:>{}}", l, wcol);
  s += "\n";
  for (std::size_t r = 0; r < levels.size(); ++r) {
    s += fmt::format("  {:>{}}", levels[r], wcol);
    for (double c : k.table[r]) s += fmt::format("{:>{}}", c, wcol);
    s += "\n";
  }
  s += fmt::format("  observed agreement {:.4f}, expected by chance {:.4f}{}\n", k.observed_agreement, k.expected_agreement,
                   rq.weights == stats::KappaWeights::none ? "" : " (weighted)");
  s += fmt::format("  kappa = {:.4f}, {:g}% CI {:.4f} to {:.4f} (se {:.4f})\n", k.kappa, rq.conf_level * 100, k.lower, k.upper, k.se);
  s += fmt::format("  test of kappa = 0: z = {:.3f} (se under the null {:.4f}), p = {}\n", k.z, k.se_null, table_p_value(k.p_value));
  for (const auto& w : warnings) s += "  warning: " + w + "\n";
  return out;
}

}  // namespace sirtkit::pipelines
