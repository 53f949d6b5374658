#pragma once
// The character encoding of a text file the user gives (CSV): UTF-8 (the
// default, checked strictly), or ISO-8859-1 / windows-1252 transcoded to
// UTF-8 before parsing. Every byte of ISO-8859-1 is the code point of the
// same value (ISO/IEC 8859-1:1998), so that transcoding is exact; windows-1252
// differs only in 0x80-0x9F (WHATWG Encoding Standard, index-windows-1252),
// where its five unassigned bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are refused.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sirtkit::io {

enum class TextEncoding { utf8, latin1, windows1252 };

// "utf8" | "utf-8" | "latin1" | "iso-8859-1" | "windows-1252" | "cp1252"
// (case-insensitive); bad input otherwise.
TextEncoding parse_text_encoding(std::string_view name);
const char* text_encoding_name(TextEncoding encoding);

// Offset of the first byte that does not start or continue a well-formed UTF-8
// sequence (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF); nullopt when the whole text is UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// The text as UTF-8. utf8: returned unchanged (validation is the parser's job,
// where it can name the cell). latin1 / windows1252: transcoded; bad input
// naming `source` and the line when a windows-1252 byte is unassigned, or
// when the text is already UTF-8 with non-ASCII characters (transcoding it
// again would turn "é" into "Ã©").
std::string to_utf8(std::string text, TextEncoding encoding, const std::string& source);

}  // namespace sirtkit::io
