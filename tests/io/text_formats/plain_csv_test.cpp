#include "io/text_formats/plain_csv.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/text_formats/csv_table.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;

// A whole-cell number, else refused.
bool whole_number(std::string_view cell, double& v) {
  const auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  return ec == std::errc() && p == cell.data() + cell.size();
}

class PlainCsvTest : public ::testing::Test {
 protected:
  fs::path dir_ = fs::temp_directory_path() / ("sirtkit_plain_csv_" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  // The named columns as PlainCsv reads them, or empty when it gives up.
  static std::vector<std::vector<double>> read(const fs::path& p, const std::vector<std::string>& names, int threads) {
    auto csv = PlainCsv::open(p, threads);
    if (!csv) return {};
    std::vector<std::size_t> cols;
    for (const auto& n : names) cols.push_back(*csv->column(n));
    std::vector<std::vector<double>> out(names.size(), std::vector<double>(csv->rows(), std::nan("")));
    std::vector<double*> ptr;
    for (auto& o : out) ptr.push_back(o.data());
    if (!csv->read_columns(cols, whole_number, ptr)) return {};
    return out;
  }
};

TEST_F(PlainCsvTest, ReadsTheCellsCsvTableReadsOnAMultiMegabyteFileOnSeveralThreads) {
  // About 3 MB, so the rows are split into ranges (1 MiB at least each); CRLF
  // and LF lines mixed, a byte-order mark, no line end after the last row,
  // columns read out of order and one skipped.
  std::string text = "\xEF\xBB\xBF" "a,b,skip,c\n";
  const int n = 90001;
  for (int i = 0; i < n; ++i) {
    text += std::to_string(i) + "," + std::to_string(i * 0.5) + ",text here," + std::to_string(-i * 1e-3);
    if (i + 1 < n) text += i % 3 ? "\n" : "\r\n";
  }
  const fs::path p = write("big.csv", text);
  const CsvTable table = CsvTable::read(p);
  for (int threads : {1, 2, 3}) {
    const auto cols = read(p, {"c", "a", "b"}, threads);
    ASSERT_EQ(cols.size(), 3u) << threads;
    ASSERT_EQ(cols[0].size(), table.rows());
    for (std::size_t r = 0; r < table.rows(); ++r) {
      double a = 0, b = 0, c = 0;
      ASSERT_TRUE(whole_number(table.cell(r, 0), a) && whole_number(table.cell(r, 1), b) && whole_number(table.cell(r, 3), c));
      ASSERT_EQ(cols[1][r], a) << "row " << r;
      ASSERT_EQ(cols[2][r], b) << "row " << r;
      ASSERT_EQ(cols[0][r], c) << "row " << r;
    }
  }
  auto csv = PlainCsv::open(p, 2);
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->header(), table.header());
  EXPECT_EQ(csv->rows(), static_cast<std::size_t>(n));
  EXPECT_FALSE(csv->column("none"));
}

TEST_F(PlainCsvTest, GivesUpOnWhatOnlyCsvTableReads) {
  // Each of these is a file CsvTable reads (or refuses with its message):
  // PlainCsv says it is not plain instead of guessing.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"quote", "a,b\n1,\"2\"\n"},
      {"latin1", "a,b\n1,\xE9\n"},
      {"utf8", "a,b\n1,\xC3\xA9\n"},
      {"blank line", "a,b\n1,2\n\n3,4\n"},
      {"blank crlf line", "a,b\r\n1,2\r\n\r\n3,4\r\n"},
      {"ragged", "a,b\n1,2\n3\n"},
      {"too many", "a,b\n1,2,3\n"},
      {"lone cr", "a,b\r1,2\r"},
      {"cr in a cell", "a,b\n1,2\r3\n"},
      {"duplicate header", "a,a\n1,2\n"},
      {"header only", "a,b\n"},
      {"header without line end", "a,b"},
      {"blank header", "\n1,2\n"},
      {"empty", ""},
  };
  for (const auto& [name, text] : cases) EXPECT_FALSE(PlainCsv::open(write("x.csv", text), 2)) << name;
  EXPECT_FALSE(PlainCsv::open(dir_ / "missing.csv", 2));
  EXPECT_FALSE(PlainCsv::open(dir_, 2));  // a folder
  const fs::path fifo = dir_ / "pipe.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_FALSE(PlainCsv::open(fifo, 2));  // not opened: that would block
}

TEST_F(PlainCsvTest, StopsWhenTheParserRefusesACellOfAReadColumnOnly) {
  const fs::path p = write("na.csv", "a,b,c\n1,NA,2\n3,,4\n");
  EXPECT_EQ(read(p, {"a", "c"}, 1), (std::vector<std::vector<double>>{{1, 3}, {2, 4}}));
  EXPECT_TRUE(read(p, {"b"}, 1).empty());
  EXPECT_TRUE(read(p, {"c", "b"}, 1).empty());
}

}  // namespace
}  // namespace sirtkit::io
