#pragma once
// A small strict CSV reader (RFC 4180: comma separator, double-quoted fields
// with "" as an escaped quote, LF or CRLF line ends). The first row is the
// header. Every row must have as many fields as the header; a ragged row is
// bad input naming the line. Cells are kept as text; the caller converts.
// All cells live in one buffer, each with a 4-byte end offset from the start
// of its row (about the file's size plus 4 bytes a cell and 16 a row), not one
// std::string a cell (32 bytes or more each: 4-7x the file for a numeric CSV).
// Text must be UTF-8: an invalid byte is bad input naming the line and column
// (read() can transcode ISO-8859-1 or windows-1252 first, see text_encoding.h).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "io/text_formats/text_encoding.h"

namespace sirtkit::io {

// One cell's text: a view into its table (valid while the table lives), which
// converts to std::string where a copy is wanted.
class CsvCell : public std::string_view {
 public:
  explicit CsvCell(std::string_view text) : std::string_view(text) {}
  operator std::string() const { return std::string(data(), size()); }
};

class CsvTable {
 public:
  // Throws sirtkit::Error (io when unreadable, bad_input when malformed).
  static CsvTable read(const std::filesystem::path& path, TextEncoding encoding = TextEncoding::utf8);
  static CsvTable parse(std::string_view text, const std::string& source);

  const std::string& source() const { return source_; }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t rows() const { return rows_; }
  std::size_t columns() const { return header_.size(); }

  // Index of a named column; bad_input listing the available names if absent.
  std::size_t column_index(const std::string& name) const;
  bool has_column(const std::string& name) const;
  CsvCell cell(std::size_t row, std::size_t column) const {
    const std::size_t k = row * header_.size() + column;
    const std::size_t begin = column == 0 ? 0 : cell_ends_[k - 1];
    return CsvCell(std::string_view(cell_text_).substr(row_begins_[row] + begin, cell_ends_[k] - begin));
  }
  // 1-based line number of a data row in the file (header is line 1), for messages.
  std::size_t line_of_row(std::size_t row) const { return row_lines_[row]; }

 private:
  std::string source_;
  std::vector<std::string> header_;
  std::string cell_text_;                 // every data cell's text, back to back, row-major
  std::vector<std::uint64_t> row_begins_;  // per row: where its first cell begins in cell_text_
  std::vector<std::uint32_t> cell_ends_;   // per cell: its end offset from its row's begin (it begins where the previous ends)
  std::vector<std::size_t> row_lines_;
  std::size_t rows_ = 0;
};

// "" and "NA" (R's missing value) count as missing.
bool is_missing_cell(std::string_view cell);

}  // namespace sirtkit::io
