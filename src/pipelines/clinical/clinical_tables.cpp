#include "pipelines/clinical/clinical_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "clinical/rule_result.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/format.h"
#include "core/text.h"

namespace sirtkit::pipelines {
using namespace sirtkit::clinical;

std::optional<std::size_t> CsvRows::column(const std::string& name) const {
  const std::string key = ascii_lower(name);
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == key) return i;
  return std::nullopt;
}

std::size_t CsvRows::require_column(const std::string& name) const {
  if (auto c = column(name)) return *c;
  std::string have;
  for (const auto& h : header) have += (have.empty() ? "" : ", ") + h;
  fail_input(source, "column", name, "a required column is missing (columns: " + have + ")");
}

CsvRows parse_csv(const std::string& text, const std::string& source) {
  CsvRows out;
  out.source = source;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, cell_started = false;
  std::size_t line = 1, row_line = 1;
  auto end_row = [&]() {
    row.push_back(cell);
    cell.clear();
    cell_started = false;
    const bool blank = row.size() == 1 && row[0].empty();
    if (!blank) {
      if (out.header.empty()) {
        for (auto& h : row) {
          // trim header names and drop a UTF-8 BOM
          if (h.rfind("\xEF\xBB\xBF", 0) == 0) h = h.substr(3);
          while (!h.empty() && h.back() == ' ') h.pop_back();
          while (!h.empty() && h.front() == ' ') h.erase(h.begin());
          h = ascii_lower(h);  // names are case-insensitive
        }
        out.header = row;
      } else {
        if (row.size() != out.header.size()) {
          fail_input(source + " line " + std::to_string(row_line), "fields", std::to_string(row.size()),
                     "expected " + std::to_string(out.header.size()) + " fields like the header");
        }
        out.rows.push_back(row);
        out.lines.push_back(row_line);
      }
    }
    row.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') { cell += '"'; ++i; }
        else quoted = false;
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
    } else if (c == '"' && !cell_started) {
      quoted = true;
      cell_started = true;
    } else if (c == ',') {
      row.push_back(cell);
      cell.clear();
      cell_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      ++line;
      row_line = line;
    } else {
      if (cell_started && !cell.empty() && text[i - 1] == '"') {
        fail_input(source + " line " + std::to_string(line) + ", column " + std::to_string(row.size() + 1), "field", "(value not shown)", "a separator after a closing quote (double a quote inside a quoted field)");
      }
      cell += c;
      cell_started = true;
    }
  }
  if (quoted) fail_input(source + " line " + std::to_string(row_line), "field", "(value not shown)", "a closing quote (this field's quote is never closed)");
  if (!cell.empty() || !row.empty()) end_row();
  if (out.header.empty()) fail_input(source, "header", "(empty file)", "a header row");
  return out;
}

CsvRows read_csv(const std::filesystem::path& path) {
  return parse_csv(read_text_file(path), path.string());
}

namespace {


bool missing(const std::string& s) {
  const std::string t = trim(s);
  return t.empty() || t == "NA";
}

double number(const CsvRows& csv, std::size_t row, std::size_t col) {
  const std::string t = trim(csv.rows[row][col]);
  double v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v)) {
    fail_input(csv.where(row), csv.header[col], shown_value(t), "a number");
  }
  return v;
}

std::optional<double> optional_number(const CsvRows& csv, std::size_t row, std::optional<std::size_t> col) {
  if (!col || missing(csv.rows[row][*col])) return std::nullopt;
  return number(csv, row, *col);
}

}  // namespace

std::vector<LabRecord> lab_records_from_csv(const CsvRows& csv, bool baseline_first) {
  const std::size_t c_pid = csv.column("patient") ? *csv.column("patient") : csv.require_column("patient_id");
  const std::size_t c_date = csv.require_column("date");
  const std::size_t c_test = csv.require_column("test");
  const std::size_t c_value = csv.require_column("value");
  const std::size_t c_unit = csv.require_column("unit");
  const auto c_lln = csv.column("lln"), c_uln = csv.column("uln"), c_base = csv.column("baseline"),
             c_anticoag = csv.column("anticoagulation");
  if (c_base && baseline_first) {
    fail_input(csv.source, "baseline", "(column present)", "use either the baseline column or --baseline-first");
  }
  std::vector<LabRecord> out;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const auto& row = csv.rows[i];
    LabRecord r;
    r.where = csv.where(i);
    r.patient_id = trim(row[c_pid]);
    if (r.patient_id.empty()) fail_input(r.where, "patient_id", "''", "a patient identifier");
    r.date = parse_date(trim(row[c_date]), r.where + " date");
    try {
      r.test = parse_lab_test(trim(row[c_test]));
    } catch (const Error& e) {
      throw Error(e.category(), r.where + ": " + e.what());
    }
    if (missing(row[c_value])) {
      fail_input(r.where, "value", "(missing)", "a result; remove the row if the test was not done");
    }
    r.value = number(csv, i, c_value);
    r.unit = trim(row[c_unit]);
    r.lln = optional_number(csv, i, c_lln);
    r.uln = optional_number(csv, i, c_uln);
    if (c_base && !missing(row[*c_base])) r.baseline = parse_yes_no(trim(row[*c_base]), r.where + " baseline");
    // On anticoagulation at this result (yes/no); CTCAE v5.0 uses it for INR only.
    if (c_anticoag && !missing(row[*c_anticoag]))
      r.anticoagulated = parse_yes_no(trim(row[*c_anticoag]), r.where + " column anticoagulation");
    out.push_back(std::move(r));
  }
  if (baseline_first) {
    std::map<std::pair<std::string, LabTest>, LabRecord*> first;
    for (LabRecord& r : out) {
      auto [it, fresh] = first.emplace(std::pair{r.patient_id, r.test}, &r);
      if (!fresh && r.date < it->second->date) it->second = &r;
    }
    for (auto& [k, r] : first) r->baseline = true;
  }
  return out;
}

CtcaeReport run_ctcae(const std::filesystem::path& labs_csv, bool baseline_first, std::optional<int> from_day,
                      std::optional<int> to_day, bool missing_baseline_is_normal) {
  CtcaeReport r;
  r.graded = grade_lab_records(lab_records_from_csv(read_csv(labs_csv), baseline_first), missing_baseline_is_normal);
  r.worst = worst_grades(r.graded, from_day, to_day);
  r.table = ae_table(r.worst);
  return r;
}

}  // namespace sirtkit::pipelines
