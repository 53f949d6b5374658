#pragma once
// A fast path beside CsvTable for large "plain" CSV files: reads only the
// columns a job uses, straight from the memory-mapped file, on parallel row
// ranges, without keeping the file's text or its cells (what `sirtkit cox` on
// a 1e6-row file needs: issue 15 item 6).
//
// Plain means: ASCII only, no double quote anywhere, every line ended by LF or
// CRLF (the last may be unended), no blank line, every line with as many
// fields as the header, header names unique and non-empty, at least one data
// row. CsvTable reads such a file to the same cells (an optional UTF-8 byte
// order mark is skipped as it does). Every other file, and any cell the
// caller's parser refuses, makes this reader give up (std::nullopt / false)
// without a message: the caller then reads the file with CsvTable, which
// accepts or refuses it with its own messages. This reader never raises bad
// input, so errors stay those of CsvTable and its callers, word for word.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sirtkit::io {

class PlainCsv {
 public:
  // Maps and checks the file; std::nullopt when it is not plain, cannot be
  // mapped (a pipe, a device) or cannot be opened. `threads`: row ranges
  // checked (and later read) in parallel.
  static std::optional<PlainCsv> open(const std::filesystem::path& path, int threads);

  PlainCsv(PlainCsv&& other) noexcept;
  PlainCsv& operator=(PlainCsv&& other) noexcept;
  PlainCsv(const PlainCsv&) = delete;
  PlainCsv& operator=(const PlainCsv&) = delete;
  ~PlainCsv();

  const std::vector<std::string>& header() const { return header_; }
  std::size_t rows() const { return rows_; }
  // Index of a named column, or std::nullopt.
  std::optional<std::size_t> column(std::string_view name) const;

  // A cell parser: true and the value, or false to give up.
  using CellParser = bool (*)(std::string_view cell, double& value);

  // out[k][row] = the parsed cell of column columns[k] (distinct indices
  // below header().size()), for every row. False as soon as `parse` refuses a
  // cell (out is then partly written).
  bool read_columns(std::span<const std::size_t> columns, CellParser parse, std::span<double* const> out) const;

 private:
  PlainCsv() = default;
  const char* data_ = nullptr;  // the mapping
  std::size_t size_ = 0;
  std::vector<std::string> header_;
  std::size_t rows_ = 0;
  // Row range r starts at byte part_begin_[r] with row number part_row_[r];
  // part_begin_.back() = size_.
  std::vector<std::size_t> part_begin_;
  std::vector<std::size_t> part_row_;
};

}  // namespace sirtkit::io
