// The fast plain-CSV reader of `sirtkit cox` (io/text_formats/plain_csv.h), checked against
// the strict reader it stands in for: on any input it either gives up, or reads
// the header, the row count and every cell exactly as CsvTable does (a
// difference is a finding: the two paths would give different numbers).
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

#include "fuzz_support.h"
#include "io/text_formats/csv_table.h"
#include "io/text_formats/plain_csv.h"

namespace {

// Any cell as a double, the same way for both readers; gives up on text.
bool parse_cell(std::string_view cell, double& value) {
  const auto r = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  return r.ec == std::errc() && r.ptr == cell.data() + cell.size();
}

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "fuzz finding: plain_csv differs from CsvTable: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sirtkit;
  const auto path = fuzz::write_input(fuzz::scratch_dir() / "plain.csv", data, size);
  // The last byte chooses one or two threads (the row ranges split differently).
  const int threads = size > 0 && (data[size - 1] & 1) ? 2 : 1;
  std::optional<io::PlainCsv> plain;
  fuzz::expect_clean_refusal([&] { plain = io::PlainCsv::open(path, threads); });
  if (!plain) return 0;
  std::optional<io::CsvTable> table;
  try {
    table = io::CsvTable::parse(fuzz::as_text(data, size), "fuzz.csv");
  } catch (const Error&) {
    finding("the plain reader took a file the strict reader refuses");
  }
  if (plain->header() != table->header()) finding("header");
  if (plain->rows() != table->rows()) finding("row count");
  const std::size_t columns = plain->header().size();
  std::vector<std::size_t> all(columns);
  std::vector<std::vector<double>> cells(columns, std::vector<double>(plain->rows()));
  std::vector<double*> out(columns);
  for (std::size_t c = 0; c < columns; ++c) {
    all[c] = c;
    out[c] = cells[c].data();
  }
  bool strict_all = true;
  for (std::size_t r = 0; r < table->rows() && strict_all; ++r)
    for (std::size_t c = 0; c < columns && strict_all; ++c) {
      double v = 0;
      strict_all = parse_cell(table->cell(r, c), v);
    }
  const bool plain_all = plain->read_columns(all, parse_cell, out);
  if (plain_all != strict_all) finding("one reader parsed every cell, the other did not");
  if (!plain_all) return 0;
  for (std::size_t c = 0; c < columns; ++c)
    for (std::size_t r = 0; r < table->rows(); ++r) {
      double v = 0;
      parse_cell(table->cell(r, c), v);
      if (std::memcmp(&v, &cells[c][r], sizeof v) != 0 && !(std::isnan(v) && std::isnan(cells[c][r]))) finding("a cell's value");
    }
  return 0;
}
