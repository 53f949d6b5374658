#include "pipelines/descriptive/csv_columns.h"

#include <fmt/format.h>
#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/stringpiece.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <memory>

#include "core/error.h"
#include "core/text.h"
#include "io/text_formats/csv_table.h"
#include "pipelines/descriptive/number_output.h"

namespace sirtkit::pipelines {
bool is_missing_number_cell(std::string_view cell) { return trim_view(cell).empty() || cell == "NA"; }
bool is_missing_text_cell(std::string_view cell) { return cell.empty() || cell == "NA"; }

std::optional<std::string> cell_text(const io::CsvTable& t, std::size_t row, std::size_t column) {
  const std::string_view s = t.cell(row, column);
  if (is_missing_text_cell(s)) return std::nullopt;
  return std::string(s);
}

std::optional<std::string_view> number_cell(const io::CsvTable& t, std::size_t row, std::size_t column) {
  const std::string_view s = t.cell(row, column);
  if (is_missing_number_cell(s)) return std::nullopt;
  return s;
}

bool is_identifier_column_name(std::string_view name) {
  const std::string n = ascii_lower(name);
  for (const char* id : {"id", "usubjid", "subjid", "subject", "patient", "patid", "patientid", "mrn", "name", "initials", "dob"})
    if (n == id) return true;
  return n.size() > 3 && (n.ends_with("_id") || n.ends_with(" id") || n.ends_with(".id"));
}

std::string shown_level(std::string_view level) {
  if (!level.empty() && trim_view(level).size() == level.size()) return std::string(level);
  return "\"" + std::string(level) + "\"";
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
    const auto s = number_cell(t, r, c);
    if (!s) continue;
    v[r] = parse_finite_number(*s);
    if (!v[r]) fail_input(where_row(t, r), column, std::string(*s), expected);
  }
  return v;
}

bool column_is_numeric(const io::CsvTable& t, std::size_t column) {
  bool any = false;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto s = number_cell(t, r, column);
    if (!s) continue;
    if (!parse_finite_number(*s)) return false;
    any = true;
  }
  return any;
}

bool numeric_values(const io::CsvTable& t, std::size_t column, double* out) {
  bool any = false;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto s = number_cell(t, r, column);
    out[r] = std::numeric_limits<double>::quiet_NaN();
    if (!s) continue;
    const auto v = parse_finite_number(*s);
    if (!v) return false;
    out[r] = *v;
    any = true;
  }
  return any;
}

std::optional<bool> parse_r_logical(std::string_view s) {
  if (s == "TRUE" || s == "T" || s == "true" || s == "True") return true;
  if (s == "FALSE" || s == "F" || s == "false" || s == "False") return false;
  return std::nullopt;
}

bool column_is_logical(const io::CsvTable& t, std::size_t column) {
  bool any = false;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto s = number_cell(t, r, column);
    if (!s) continue;
    if (!parse_r_logical(*s)) return false;
    any = true;
  }
  return any;
}

namespace {

// ICU's root collator (CLDR root order, tertiary strength), one per thread:
// ICU allows a Collator to be used by one thread at a time.
const icu::Collator& root_collator() {
  thread_local const std::unique_ptr<icu::Collator> collator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> c(icu::Collator::createInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status) || !c)
      throw Error(ErrorCategory::internal, std::string("ICU root collator unavailable: ") + u_errorName(status));
    return c;
  }();
  return *collator;
}

}  // namespace

bool r_collate_less(std::string_view a, std::string_view b) {
  UErrorCode status = U_ZERO_ERROR;
  const UCollationResult r = root_collator().compareUTF8(
      icu::StringPiece(a.data(), static_cast<std::int32_t>(a.size())),
      icu::StringPiece(b.data(), static_cast<std::int32_t>(b.size())), status);
  if (U_FAILURE(status)) throw Error(ErrorCategory::internal, std::string("ICU compare failed: ") + u_errorName(status));
  if (r == UCOL_EQUAL) return a < b;  // distinct strings the collator cannot tell apart: byte order, for a strict order
  return r == UCOL_LESS;
}

std::vector<std::optional<std::string>> categorical_labels(const io::CsvTable& t, std::size_t c, bool* text) {
  const bool numeric = column_is_numeric(t, c);
  const bool logical = !numeric && column_is_logical(t, c);  // read.csv: logical, labelled FALSE/TRUE
  if (text) *text = !numeric && !logical;
  std::vector<std::optional<std::string>> label(t.rows());
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (numeric || logical) {
      const auto s = number_cell(t, r, c);
      if (!s) continue;
      label[r] = numeric ? r_number_label(*parse_finite_number(*s)) : (*parse_r_logical(*s) ? "TRUE" : "FALSE");
    } else {
      label[r] = cell_text(t, r, c);
    }
  }
  return label;
}

std::vector<std::string> categorical_warnings(const CategoricalColumn& column, const std::string& name) {
  std::vector<std::string> w;
  if (!column.text) return w;
  for (const auto& l : column.levels)
    if (trim_view(l).size() != l.size())
      w.push_back(fmt::format("{} level {} has surrounding spaces: kept as a level of its own, as R's read.csv does "
                              "(strip.white = FALSE); remove the spaces if it is meant to be {}",
                              name, shown_level(l), shown_level(trim_view(l))));
  if (column.empty_cells > 0)
    w.push_back(fmt::format("{} is empty on {} row(s): treated as missing (R's read.csv would keep \"\" as a level)", name,
                            column.empty_cells));
  return w;
}

// R factor(): sort(unique(x)); numbers sort numerically and print as
// as.character(<double>) does (15 significant digits).
CategoricalColumn categorical_column(const io::CsvTable& t, const std::string& column) {
  const std::size_t c = t.column_index(column);
  CategoricalColumn out;
  const auto label = categorical_labels(t, c, &out.text);
  const bool numeric = column_is_numeric(t, c);
  std::map<double, std::string> numeric_levels;
  std::map<std::string, int, bool (*)(std::string_view, std::string_view)> text_levels(&r_collate_less);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (!label[r]) {
      if (out.text && t.cell(r, c).empty()) ++out.empty_cells;
      continue;
    }
    if (numeric) numeric_levels.emplace(*parse_finite_number(*number_cell(t, r, c)), *label[r]);
    else text_levels.emplace(*label[r], 0);
  }
  if (numeric) {
    for (const auto& [d, l] : numeric_levels)
      if (out.levels.empty() || out.levels.back() != l) out.levels.push_back(l);  // equal to 15 digits: one level, as R
  } else {
    for (const auto& [l, unused] : text_levels) out.levels.push_back(l);
  }
  std::map<std::string, int> index;
  for (std::size_t k = 0; k < out.levels.size(); ++k) index.emplace(out.levels[k], static_cast<int>(k));
  out.code.assign(t.rows(), -1);
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (label[r]) out.code[r] = index.at(*label[r]);
  return out;
}

}  // namespace sirtkit::pipelines
