// core/text.h: trimming, and which cell values a message may show.
#include "core/text.h"

#include <gtest/gtest.h>

namespace sirtkit {
namespace {

TEST(Text, TrimRemovesSpacesTabsAndLineEnds) {
  EXPECT_EQ(trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim_view("  x"), "x");
}

TEST(Text, ShownValueShowsPlainNumbersOnly) {
  // Plain numbers (a lab value, a grade, a dose) help the user and identify no one.
  for (const char* v : {"4000", "-1.5", "1e308", "9", "0.25", "+3", "6.02e-3"}) EXPECT_EQ(shown_value(v), std::string("'") + v + "'") << v;
  EXPECT_EQ(shown_value(""), "''");
  // Anything else may be patient data: names, record numbers, dates, misspelt codes, text.
  for (const char* v : {"Zebulon", "QZXMARKQZX", "99817263", "123456", "2021-13-01", "18/03/1947", "T1", "progresion", "mg/dL",
                        "40000" /* a 5-digit run may be a record number */, "1.2.3.4", "10.0.0.1", "-", ".", "e5", "1e5e5"})
    EXPECT_EQ(shown_value(v), "(value not shown)") << v;
}

TEST(Text, AsciiLowerChangesOnlyAToZ) {
  EXPECT_EQ(ascii_lower("MiXeD-Case_09 ID"), "mixed-case_09 id");
  EXPECT_EQ(ascii_lower(""), "");
  // UTF-8 (Ä = C3 84, µ = C2 B5) and bytes a Latin-1 locale would lower (0xC4 'Ä')
  // come back unchanged: a name never turns into another name's bytes.
  EXPECT_EQ(ascii_lower("\xC3\x84RZT \xC2\xB5mol/L"), "\xC3\x84rzt \xC2\xB5mol/l");
  EXPECT_EQ(ascii_lower(std::string("\xC4\xD6@[`{", 6)), std::string("\xC4\xD6@[`{", 6));
}

}  // namespace
}  // namespace sirtkit
