#include "pipelines/csv_columns.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>

#include "core/error.h"
#include "core/text.h"
#include "io/csv_table.h"

namespace sirtkit::pipelines {
std::optional<std::string> cell_text(const io::CsvTable& t, std::size_t row, std::size_t column) {
  const std::string_view s = trim_view(t.cell(row, column));
  if (io::is_missing_cell(s)) return std::nullopt;
  return std::string(s);
}

std::optional<double> parse_finite_number(std::string_view s) {
  s = trim_view(s);
  if (s.empty()) return std::nullopt;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (*b == '+') ++b;
  double v = 0;
  const auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string where_row(const io::CsvTable& t, std::size_t row) { return t.source() + " line " + std::to_string(t.line_of_row(row)); }

std::vector<std::optional<double>> numeric_column(const io::CsvTable& t, const std::string& column, const std::string& expected) {
  const std::size_t c = t.column_index(column);
  std::vector<std::optional<double>> v(t.rows());
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto s = cell_text(t, r, c);
    if (!s) continue;
    v[r] = parse_finite_number(*s);
    if (!v[r]) fail_input(where_row(t, r), column, *s, expected);
  }
  return v;
}

bool column_is_numeric(const io::CsvTable& t, std::size_t column) {
  bool any = false;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto s = cell_text(t, r, column);
    if (!s) continue;
    if (!parse_finite_number(*s)) return false;
    any = true;
  }
  return any;
}

namespace {

// Primary weight of an ASCII byte in the CLDR root collation (ICU), as R's
// sort() orders them; letters share a weight with their other case.
int primary_weight(unsigned char ch) {
  static const auto table = [] {
    std::array<int, 256> w{};
    const std::string_view order =
        "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";
    int next = 1;
    for (char c : order) w[static_cast<unsigned char>(c)] = next++;
    for (int c = 'A'; c <= 'Z'; ++c) w[c] = w[c - 'A' + 'a'];
    for (int c = 0; c < 256; ++c)
      if (w[c] == 0) w[c] = c < 128 ? 0 : next + c;  // other control bytes: 0; non-ASCII: after the letters
    return w;
  }();
  return table[ch];
}

}  // namespace

bool r_collate_less(std::string_view a, std::string_view b) {
  // Primary level: the weights, control bytes ignored (ICU ignores them).
  std::size_t i = 0, j = 0;
  while (true) {
    while (i < a.size() && primary_weight(static_cast<unsigned char>(a[i])) == 0) ++i;
    while (j < b.size() && primary_weight(static_cast<unsigned char>(b[j])) == 0) ++j;
    if (i == a.size() || j == b.size()) {
      if (i != a.size() || j != b.size()) return i == a.size();
      break;
    }
    const int wa = primary_weight(static_cast<unsigned char>(a[i])), wb = primary_weight(static_cast<unsigned char>(b[j]));
    if (wa != wb) return wa < wb;
    ++i;
    ++j;
  }
  // Tertiary level: lower case before upper case at the first difference.
  for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k) {
    const bool ua = a[k] >= 'A' && a[k] <= 'Z', ub = b[k] >= 'A' && b[k] <= 'Z';
    if (ua != ub) return ub;
  }
  return a < b;
}

// R factor(): sort(unique(x)); numbers sort numerically and print as
// as.character(<double>) does (15 significant digits).
CategoricalColumn categorical_column(const io::CsvTable& t, const std::string& column) {
  const std::size_t c = t.column_index(column);
  const bool numeric = column_is_numeric(t, c);
  std::vector<std::string> label(t.rows());
  std::vector<bool> present(t.rows(), false);
  std::map<double, std::string> numeric_levels;
  std::map<std::string, int, bool (*)(std::string_view, std::string_view)> text_levels(&r_collate_less);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto s = cell_text(t, r, c);
    if (!s) continue;
    present[r] = true;
    if (numeric) {
      const double d = *parse_finite_number(*s);
      label[r] = fmt::format("{:.15g}", d);
      numeric_levels.emplace(d, label[r]);
    } else {
      label[r] = *s;
      text_levels.emplace(*s, 0);
    }
  }
  CategoricalColumn out;
  if (numeric)
    for (const auto& [d, l] : numeric_levels) out.levels.push_back(l);
  else
    for (const auto& [l, unused] : text_levels) out.levels.push_back(l);
  std::map<std::string, int> index;
  for (std::size_t k = 0; k < out.levels.size(); ++k) index.emplace(out.levels[k], static_cast<int>(k));
  out.code.assign(t.rows(), -1);
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (present[r]) out.code[r] = index.at(label[r]);
  return out;
}

}  // namespace sirtkit::pipelines
