// The one CSV writer (issue 16: "CSV quoting x6 with three escape sets"):
// what it writes, io::CsvTable reads back to the same text, line breaks,
// quotes, commas and surrounding spaces included.
#include <gtest/gtest.h>

#include <limits>

#include "core/csv_text.h"
#include "io/text_formats/csv_table.h"

namespace sirtkit {
namespace {

TEST(CsvText, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_field(" padded "), "\" padded \"");
  EXPECT_EQ(csv_line({"a", "b,c", ""}), "a,\"b,c\",\n");
}

TEST(CsvText, WhatItWritesReadsBackUnchanged) {
  const std::vector<std::string> cells{"x", "a,b", "say \"hi\"", "two\nlines", " padded ", "", "<205 Gy"};
  const std::string text = csv_line({"c1", "c2", "c3", "c4", "c5", "c6", "c7"}) + csv_line(cells);
  const io::CsvTable t = io::CsvTable::parse(text, "round-trip.csv");
  ASSERT_EQ(t.rows(), 1u);
  for (std::size_t c = 0; c < cells.size(); ++c) EXPECT_EQ(std::string(t.cell(0, c)), cells[c]) << c;
}

TEST(CsvText, NumbersReadBackExactly) {
  for (double v : {0.1, 1.0 / 3.0, 12345.678901234567, 1e-300, -2.5}) EXPECT_EQ(std::stod(csv_number(v)), v);
  EXPECT_EQ(csv_number(std::numeric_limits<double>::quiet_NaN()), "NA");
}

}  // namespace
}  // namespace sirtkit
