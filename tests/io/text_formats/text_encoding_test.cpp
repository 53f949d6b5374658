// UTF-8 validation (RFC 3629 section 4) and ISO-8859-1 / windows-1252 ->
// UTF-8 transcoding (WHATWG Encoding Standard, index-windows-1252).

#include "io/text_formats/text_encoding.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"

namespace sirtkit::io {
namespace {

TEST(TextEncoding, FirstInvalidUtf8ByteIsFound) {
  EXPECT_FALSE(first_invalid_utf8("plain ascii, long enough for the 8-byte path"));
  EXPECT_FALSE(first_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é, €, U+1F600
  EXPECT_EQ(first_invalid_utf8("Beyonc\xE9 and more text"), 6u);                 // Latin-1 é
  EXPECT_EQ(first_invalid_utf8("abcdefghij\x80"), 10u);                          // lone continuation byte
  EXPECT_EQ(first_invalid_utf8("a\xC0\xAF"), 1u);                                // overlong "/"
  EXPECT_EQ(first_invalid_utf8("a\xED\xA0\x80"), 1u);                            // UTF-16 surrogate D800
  EXPECT_EQ(first_invalid_utf8("a\xF4\x90\x80\x80"), 1u);                        // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("ab\xE2\x82"), 2u);                               // truncated at the end
}

TEST(TextEncoding, Latin1IsTranscodedByteForCodePoint) {
  // Every byte 0xA0-0xFF is the code point of its value: 2 UTF-8 bytes, C2/C3 lead.
  std::string latin1;
  for (int b = 0xA0; b <= 0xFF; ++b) latin1.push_back(static_cast<char>(b));
  const std::string utf8 = to_utf8(latin1, TextEncoding::latin1, "f.csv");
  ASSERT_EQ(utf8.size(), 2 * latin1.size());
  for (int b = 0xA0; b <= 0xFF; ++b) {
    const std::size_t k = static_cast<std::size_t>(b - 0xA0) * 2;
    EXPECT_EQ(static_cast<unsigned char>(utf8[k]), 0xC0 | (b >> 6)) << b;
    EXPECT_EQ(static_cast<unsigned char>(utf8[k + 1]), 0x80 | (b & 0x3F)) << b;
  }
  EXPECT_EQ(to_utf8("Beyonc\xE9", TextEncoding::latin1, "f.csv"), "Beyonc\xC3\xA9");
  EXPECT_FALSE(first_invalid_utf8(utf8));
}

TEST(TextEncoding, Windows1252MapsTheC1RangeAndRefusesUnassignedBytes) {
  EXPECT_EQ(to_utf8("\x80 \x93x\x94 \xE9", TextEncoding::windows1252, "f.csv"), "\xE2\x82\xAC \xE2\x80\x9Cx\xE2\x80\x9D \xC3\xA9");
  EXPECT_EQ(to_utf8("\x80", TextEncoding::latin1, "f.csv"), "\xC2\x80");  // ISO-8859-1: a C1 control, not €
  try {
    to_utf8("a\nb\n\x81", TextEncoding::windows1252, "f.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("f.csv line 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("0x81"), std::string::npos) << e.what();
  }
}

TEST(TextEncoding, UnicodeTextIsNotTranscodedTwice) {
  try {
    to_utf8("a\ncaf\xC3\xA9\n", TextEncoding::latin1, "f.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("f.csv line 2"), std::string::npos) << e.what();
  }
  EXPECT_EQ(to_utf8("ascii only", TextEncoding::latin1, "f.csv"), "ascii only");
}

TEST(TextEncoding, NamesAreParsed) {
  EXPECT_EQ(parse_text_encoding("UTF-8"), TextEncoding::utf8);
  EXPECT_EQ(parse_text_encoding("ISO-8859-1"), TextEncoding::latin1);
  EXPECT_EQ(parse_text_encoding("cp1252"), TextEncoding::windows1252);
  EXPECT_THROW(parse_text_encoding("ebcdic"), Error);
}

}  // namespace
}  // namespace sirtkit::io
