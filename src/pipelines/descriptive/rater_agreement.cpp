#include "pipelines/descriptive/rater_agreement.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/error.h"
#include "core/text.h"
#include "io/text_formats/csv_table.h"
#include "pipelines/descriptive/csv_columns.h"
#include "pipelines/descriptive/number_output.h"

namespace sirtkit::pipelines {
namespace {

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

report::RaterAgreement rater_agreement(const KappaRequest& rq) {
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
  report::RaterAgreement out;
  out.kappa = stats::cohen_kappa(ca, cb, static_cast<int>(levels.size()), rq.weights, rq.conf_level);
  out.file = rq.csv.string();
  out.rater1 = rq.rater1;
  out.rater2 = rq.rater2;
  out.weights = rq.weights;
  out.levels = std::move(levels);
  out.rows_read = table.rows();
  out.dropped_lines = std::move(dropped_lines);
  out.conf_level = rq.conf_level;
  out.warnings = std::move(warnings);
  return out;
}

}  // namespace sirtkit::pipelines
