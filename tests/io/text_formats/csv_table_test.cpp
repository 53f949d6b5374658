#include "io/text_formats/csv_table.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace sirtkit::io {
namespace {

TEST(CsvTable, ParsesQuotedFieldsAndCrlf) {
  const auto t = CsvTable::parse("\"a\",b,c\r\n1,\"x, \"\"y\"\"\",\r\n2,z,NA\r\n", "mem.csv");
  ASSERT_EQ(t.rows(), 2u);
  ASSERT_EQ(t.columns(), 3u);
  EXPECT_EQ(t.header()[0], "a");
  EXPECT_EQ(t.cell(0, 1), "x, \"y\"");
  EXPECT_EQ(t.cell(0, 2), "");
  EXPECT_TRUE(is_missing_cell(t.cell(1, 2)));
  EXPECT_EQ(t.line_of_row(1), 3u);
  EXPECT_EQ(t.column_index("c"), 2u);
}

TEST(CsvTable, CellsKeepTheirTextAcrossRowsBlankLinesAndQuotedLineBreaks) {
  // Cells share one buffer: each must still be exactly its own text, empty
  // cells included; blank lines (and a lone "") are skipped; a quoted line
  // break stays in the cell and moves the next row's line number.
  const auto t = CsvTable::parse("\xEF\xBB\xBFid,note,x\n\n1,\"two\nlines\",\n\"\"\n,,3.5\r\nlast,\"\",-0\n", "mem.csv");
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.header()[0], "id");
  EXPECT_EQ(t.cell(0, 0), "1");
  EXPECT_EQ(t.cell(0, 1), "two\nlines");
  EXPECT_EQ(t.cell(0, 2), "");
  EXPECT_EQ(t.line_of_row(0), 3u);
  EXPECT_EQ(t.cell(1, 0), "");
  EXPECT_EQ(t.cell(1, 1), "");
  EXPECT_EQ(t.cell(1, 2), "3.5");
  EXPECT_EQ(t.line_of_row(1), 6u);
  EXPECT_EQ(t.cell(2, 0), "last");
  EXPECT_EQ(t.cell(2, 1), "");
  EXPECT_EQ(t.cell(2, 2), "-0");
  EXPECT_EQ(t.line_of_row(2), 7u);
  const std::string copy = t.cell(0, 1);  // converts to an owning string
  EXPECT_EQ(copy.size(), 9u);
}

TEST(CsvTable, QuoteInsideAnUnquotedFieldNamesLineAndColumn) {
  try {
    CsvTable::parse("a,b\n1,2\n3,x\"y\n", "f.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("f.csv line 3, column 2 (b)"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("x\"y"), std::string::npos) << e.what();
  }
}

TEST(CsvTable, RaggedRowIsBadInputNamingTheLine) {
  try {
    CsvTable::parse("a,b\n1,2\n3\n", "f.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("f.csv line 3"), std::string::npos) << e.what();
  }
}

TEST(CsvTable, UnknownColumnListsTheHeader) {
  const auto t = CsvTable::parse("time,status\n1,0\n", "f.csv");
  try {
    t.column_index("tme");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("tme"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("time, status"), std::string::npos);
  }
}

TEST(CsvTable, UnterminatedQuoteAndMissingFileAreErrors) {
  EXPECT_THROW(CsvTable::parse("a\n\"x\n", "f.csv"), Error);
  try {
    CsvTable::read("/nonexistent/x.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::io);
  }
}

}  // namespace
}  // namespace sirtkit::io

namespace sirtkit::io {
namespace {

TEST(CsvTable, InvalidUtf8NamesLineAndColumnButNotTheCell) {
  try {
    CsvTable::parse("id,arm,time\n1,A,3\n2,\"Beyonc\xE9, B\",4\n", "f.csv");
    FAIL();
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(m.find("f.csv line 3, column 2 (arm)"), std::string::npos) << m;
    EXPECT_NE(m.find("0xE9"), std::string::npos) << m;
    EXPECT_NE(m.find("--encoding latin1"), std::string::npos) << m;
    EXPECT_EQ(m.find("Beyonc"), std::string::npos) << m;  // the cell may be patient data
  }
}

TEST(CsvTable, ReadTranscodesLatin1) {
  const auto path = std::filesystem::temp_directory_path() / "sirtkit_csv_latin1.csv";
  std::ofstream(path, std::ios::binary) << "arm,x\nH\xF4pital,1\n";
  EXPECT_THROW(CsvTable::read(path), Error);
  const auto t = CsvTable::read(path, TextEncoding::latin1);
  EXPECT_EQ(t.cell(0, 0), "H\xC3\xB4pital");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace sirtkit::io
