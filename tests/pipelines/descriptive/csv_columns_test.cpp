// r_collate_less against R 4.2.2's sort() (ICU collation, C.UTF-8 locale):
//   x <- sapply(33:126, function(i) rawToChar(as.raw(i))); cat(sort(x))
//   sort(c("ab","Ab","aB","AB","a","A","a b","a_b","a-b","ab1","Ab2","abc"))
//   sort(c("f","é","E","e","z","Z","Hépatique","Hepatique","hépatique","Ève","Öl","Oz","ñ","n","o"))

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "io/text_formats/csv_table.h"
#include "pipelines/descriptive/csv_columns.h"

namespace {

using sirtkit::pipelines::r_collate_less;

TEST(RCollate, PrintableAsciiInROrder) {
  const std::string r_order =
      "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ";
  std::vector<std::string> v;
  for (char c = 126; c >= 33; --c) v.emplace_back(1, c);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return r_collate_less(a, b); });
  std::string got;
  for (const auto& s : v) got += s;
  EXPECT_EQ(got, r_order);
}

TEST(RCollate, CaseOnlyBreaksTiesLowerFirst) {
  const std::vector<std::string> r_sorted{"a", "A", "a b", "a_b", "a-b", "ab", "aB", "Ab", "AB", "ab1", "Ab2", "abc"};
  std::vector<std::string> v(r_sorted.rbegin(), r_sorted.rend());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return r_collate_less(a, b); });
  EXPECT_EQ(v, r_sorted);
  // factor(c("X-linked", "autosomal")) has "autosomal" first; byte order would not.
  EXPECT_TRUE(r_collate_less("autosomal", "X-linked"));
  EXPECT_FALSE(r_collate_less("X-linked", "autosomal"));
  EXPECT_TRUE(r_collate_less("10", "9"));
}

TEST(RCollate, AccentsSortWithTheirLetterAsInR) {
  const std::vector<std::string> r_sorted{"e", "E", "é", "Ève", "f", "Hepatique", "hépatique", "Hépatique",
                                          "n", "ñ", "o", "Öl", "Oz", "z", "Z"};
  std::vector<std::string> v(r_sorted.rbegin(), r_sorted.rend());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return r_collate_less(a, b); });
  EXPECT_EQ(v, r_sorted);
}

}  // namespace

namespace {

// numeric_values: the numbers of a column as read.csv types them (spaces
// around a number allowed, blank and NA missing as NaN), refused as a whole
// when one cell is text or when no cell holds a number.
TEST(NumericValues, NumbersWithSpacesAndMissingCells) {
  const auto t = sirtkit::io::CsvTable::parse("a,b,c\n 1.5 ,x,NA\nNA,2, \n-3e2,y,\n+4,z,NA\n", "t.csv");
  std::vector<double> v(t.rows());
  ASSERT_TRUE(sirtkit::pipelines::numeric_values(t, 0, v.data()));
  EXPECT_EQ(v[0], 1.5);
  EXPECT_TRUE(std::isnan(v[1]));
  EXPECT_EQ(v[2], -300.0);
  EXPECT_EQ(v[3], 4.0);
  EXPECT_FALSE(sirtkit::pipelines::numeric_values(t, 1, v.data()));  // "2" among text
  EXPECT_FALSE(sirtkit::pipelines::numeric_values(t, 2, v.data()));  // every cell missing
}

}  // namespace
