#include "io/text_formats/text_encoding.h"
#include "core/text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "core/error.h"

namespace sirtkit::io {

namespace {


// WHATWG Encoding Standard, index-windows-1252 (pointers 0-31 = bytes 0x80-0x9F);
// 0 marks the five bytes windows-1252 leaves unassigned.
constexpr char32_t kWindows1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::size_t line_at(std::string_view text, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

}  // namespace

TextEncoding parse_text_encoding(std::string_view name) {
  const std::string n = ascii_lower(name);
  if (n == "utf8" || n == "utf-8") return TextEncoding::utf8;
  if (n == "latin1" || n == "latin-1" || n == "iso-8859-1" || n == "iso8859-1") return TextEncoding::latin1;
  if (n == "windows-1252" || n == "cp1252" || n == "windows1252") return TextEncoding::windows1252;
  fail_input("options", "encoding", std::string(name), "utf8, latin1 (ISO-8859-1) or windows-1252");
}

const char* text_encoding_name(TextEncoding e) {
  switch (e) {
    case TextEncoding::utf8: return "utf8";
    case TextEncoding::latin1: return "latin1";
    case TextEncoding::windows1252: return "windows-1252";
  }
  return "?";
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // RFC 3629 section 4 (UTF8-2, UTF8-3, UTF8-4): the allowed second byte depends on the first.
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) { len = 3; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) { len = 3; hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) { len = 4; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) { len = 4; hi = 0x8F; }
    else return i;
    if (i + len > n) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    i += len;
  }
  return std::nullopt;
}

std::string to_utf8(std::string text, TextEncoding encoding, const std::string& source) {
  if (encoding == TextEncoding::utf8) return text;
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return text;
  if (!first_invalid_utf8(text)) {
    const auto at = static_cast<std::size_t>(
        std::find_if(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }) - text.begin());
    fail_input(fmt::format("{} line {}", source, line_at(text, at)), "encoding", text_encoding_name(encoding),
               "a file in that encoding, but this one is already valid UTF-8 with non-ASCII characters "
               "(transcoding it again would misread them): leave out --encoding");
  }
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
    } else if (encoding == TextEncoding::windows1252 && b < 0xA0) {
      const char32_t cp = kWindows1252High[b - 0x80];
      if (cp == 0)
        fail_input(fmt::format("{} line {}", source, line_at(text, i)), "byte", fmt::format("0x{:02X}", b),
                   "a byte assigned in windows-1252 (0x81, 0x8D, 0x8F, 0x90 and 0x9D are not); try --encoding latin1");
      append_utf8(out, cp);
    } else {
      append_utf8(out, b);  // ISO-8859-1: byte value = code point
    }
  }
  return out;
}

}  // namespace sirtkit::io
