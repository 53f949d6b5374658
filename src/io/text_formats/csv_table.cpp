#include "io/text_formats/csv_table.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/input_file.h"

namespace sirtkit::io {

bool is_missing_cell(std::string_view cell) { return cell.empty() || cell == "NA"; }

CsvTable CsvTable::read(const std::filesystem::path& path, TextEncoding encoding) {
  require_input_file(path);
  return parse(to_utf8(read_text_file(path), encoding, path.string()), path.string());
}

namespace {

// The line and the 1-based field number (quote-aware) of byte `offset`: only
// run to name the cell holding an invalid byte, so parse() stays one pass.
std::pair<std::size_t, std::size_t> locate(std::string_view text, std::size_t offset) {
  std::size_t line = 1, field = 1;
  bool in_quotes = false;
  for (std::size_t i = 0; i < offset; ++i) {
    const char c = text[i];
    if (c == '"') in_quotes = !in_quotes;  // "" inside quotes toggles twice
    else if (c == '\n') { ++line; if (!in_quotes) field = 1; }
    else if (c == ',' && !in_quotes) ++field;
  }
  return {line, field};
}

[[noreturn]] void fail_invalid_utf8(std::string_view text, std::size_t offset, const std::string& source,
                                    const std::vector<std::string>& header) {
  const auto [line, field] = locate(text, offset);
  std::string column = "column " + std::to_string(field);
  if (line > 1 && field <= header.size()) column += " (" + header[field - 1] + ")";
  // Only the byte is named: the cell may hold patient data.
  fail_input(source + " line " + std::to_string(line) + ", " + column, "byte",
             fmt::format("0x{:02X}", static_cast<unsigned char>(text[offset])),
             "UTF-8 text (this looks like ISO-8859-1 or windows-1252: re-save the file as UTF-8, "
             "or pass --encoding latin1 or --encoding windows-1252)");
}

// Bytes that end a run of plain text: separator, quote, line ends (one table
// lookup a byte instead of four comparisons).
struct PlainTextStops {
  bool stop[256] = {};
  constexpr PlainTextStops() { stop[static_cast<unsigned char>(',')] = stop[static_cast<unsigned char>('"')] = stop[static_cast<unsigned char>('\n')] = stop[static_cast<unsigned char>('\r')] = true; }
};
constexpr PlainTextStops kPlainTextStops;

// The header row as read: not empty, no name twice (Error bad_input naming the file).
std::vector<std::string> checked_header(std::vector<std::string> names, const std::string& source) {
  if (names.size() == 1 && names[0].empty()) fail_input(source, "header", "(empty)", "a header row naming the columns");
  for (const auto& h : names)
    if (std::count(names.begin(), names.end(), h) > 1) fail_input(source + " line 1", "header", h, "unique column names");
  return names;
}

}  // namespace

CsvTable CsvTable::parse(std::string_view text, const std::string& source) {
  CsvTable t;
  t.source_ = source;
  // The header's fields are collected in `record`; a data row's fields are
  // appended straight to t.cell_text_ (the current one starts at field_begin)
  // and counted in row_fields.
  std::vector<std::string> record;
  std::string header_field;
  std::size_t field_begin = 0, row_begin = 0, row_fields = 0;
  std::size_t line = 1, record_line = 1;
  bool in_quotes = false, field_was_quoted = false, header_done = false;
  std::size_t i = 0;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte-order mark

  auto fields_so_far = [&] { return header_done ? row_fields : record.size(); };
  auto field_empty = [&] { return header_done ? t.cell_text_.size() == field_begin : header_field.empty(); };
  auto append = [&](const char* p, std::size_t n) { (header_done ? t.cell_text_ : header_field).append(p, n); };
  // "line 4, column 3 (site)": where a malformed field is, never its text (a
  // cell may hold patient data: names, record numbers, dates, notes).
  auto where = [&]() {
    const std::size_t field_no = fields_so_far() + 1;
    std::string w = source + " line " + std::to_string(line) + ", column " + std::to_string(field_no);
    if (header_done && field_no <= t.header_.size()) w += " (" + t.header_[field_no - 1] + ")";
    return w;
  };
  auto end_field = [&]() {
    if (header_done) {
      if (t.cell_text_.size() - row_begin > UINT32_MAX)
        fail_input(source + " line " + std::to_string(record_line), "row", "(longer than 4 GiB)", "a row shorter than 4 GiB");
      t.cell_ends_.push_back(static_cast<std::uint32_t>(t.cell_text_.size() - row_begin));
      field_begin = t.cell_text_.size();
      ++row_fields;
    } else {
      record.push_back(std::move(header_field));
      header_field.clear();
    }
    field_was_quoted = false;
  };
  auto end_record = [&]() {
    end_field();
    if (!header_done) {
      t.header_ = checked_header(std::move(record), source);
      header_done = true;
      // Room for every row at once (no copies while growing); untouched
      // capacity costs address space, not memory.
      const auto lines = static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(std::min(i, text.size())), text.end(), '\n')) + 1;
      t.cell_text_.reserve(text.size() - std::min(i, text.size()));
      t.cell_ends_.reserve(lines * t.header_.size());
      t.row_lines_.reserve(lines);
      t.row_begins_.reserve(lines);
    } else {
      const bool blank = row_fields == 1 && t.cell_text_.size() == row_begin;
      if (blank) {
        t.cell_ends_.pop_back();
      } else {
        if (row_fields != t.header_.size())
          fail_input(source + " line " + std::to_string(record_line), "row", std::to_string(row_fields) + " fields",
                     std::to_string(t.header_.size()) + " fields as in the header (ragged row)");
        t.row_lines_.push_back(record_line);
        t.row_begins_.push_back(row_begin);
        ++t.rows_;
      }
      row_fields = 0;
      row_begin = t.cell_text_.size();
    }
    record.clear();
  };

  const std::size_t size = text.size();
  const char* const data = text.data();
  for (; i < size; ++i) {
    const char c = data[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < size && data[i + 1] == '"') { append("\"", 1); ++i; }
        else in_quotes = false;
      } else if (c == '\n') {
        ++line;
        append(&c, 1);
      } else {  // a run of quoted text up to the next quote or line end
        std::size_t j = i + 1;
        while (j < size && data[j] != '"' && data[j] != '\n') ++j;
        append(data + i, j - i);
        i = j - 1;
      }
      continue;
    }
    if (c == '"') {
      if (!field_empty() || field_was_quoted)
        fail_input(where(), "field", "(a quote inside the field; its text is not shown)",
                   "quotes only around a whole field (inside a quoted field a quote is written twice)");
      in_quotes = true;
      field_was_quoted = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < size && data[i + 1] == '\n') ++i;
      end_record();
      ++line;
      record_line = line;
    } else {
      if (field_was_quoted)
        fail_input(where(), "field", "(text after the closing quote; not shown)",
                   "a separator after a closing quote");
      // a run of plain text up to the next separator, quote or line end
      std::size_t j = i + 1;
      while (j < size && !kPlainTextStops.stop[static_cast<unsigned char>(data[j])]) ++j;
      append(data + i, j - i);
      i = j - 1;
    }
  }
  if (in_quotes) fail_input(source + " line " + std::to_string(record_line), "field", "(unterminated quote)", "a closing quote");
  if (!field_empty() || fields_so_far() > 0 || field_was_quoted) end_record();
  if (!header_done) fail_input(source, "file", "(empty)", "a CSV file with a header row");
  if (const auto bad = first_invalid_utf8(text)) fail_invalid_utf8(text, *bad, source, t.header_);
  return t;
}

std::size_t CsvTable::column_index(const std::string& name) const {
  const auto it = std::find(header_.begin(), header_.end(), name);
  if (it == header_.end()) {
    std::string names;
    for (const auto& h : header_) names += (names.empty() ? "" : ", ") + h;
    fail_input(source_, "column", name, "one of the columns in the header: " + names);
  }
  return static_cast<std::size_t>(it - header_.begin());
}

bool CsvTable::has_column(const std::string& name) const {
  return std::find(header_.begin(), header_.end(), name) != header_.end();
}

}  // namespace sirtkit::io
