#include "io/csv_table.h"

#include <gtest/gtest.h>

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
