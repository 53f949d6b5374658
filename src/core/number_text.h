#pragma once
// The one reading of a number a user types (command-line options; plan-file
// values go through the same rules in io/text_formats/toml_reader.cpp). Only a plain
// decimal is a number: an optional sign, digits with an optional point, an
// optional exponent. Refused, with the reason: an empty text, spaces, a
// trailing character ("1e3x"), hexadecimal ("0x10", "0x1p3"), "nan" and
// "inf", a negative zero ("-0": a sign the value cannot carry), a value too
// large for a double, and a value too small to be held exactly (a subnormal
// such as 1e-320, or 1e-400 that rounds to 0).

#include <optional>
#include <string>
#include <string_view>

namespace sirtkit {

enum class NumberKind { real, integer, non_negative_integer };

// Why `text` is not a number of `kind`; nullopt when it is one.
std::optional<std::string> number_text_problem(std::string_view text, NumberKind kind);

// The value of `text`, or sirtkit::Error (bad input) "<where>: <field> = "<text>": <why>".
double parse_number(std::string_view text, const std::string& where, const std::string& field);
long long parse_integer(std::string_view text, const std::string& where, const std::string& field);

// Why a value already read (e.g. by the TOML parser) is not acceptable as a
// user's number: a negative zero or a subnormal; nullopt when it is.
std::optional<std::string> number_value_problem(double value);

}  // namespace sirtkit
