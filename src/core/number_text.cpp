#include "core/number_text.h"
#include "core/text.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace sirtkit {
namespace {

constexpr const char* kExpected = "expected a plain decimal number such as 2.5, -3 or 1.2e3";

bool digit(char c) { return c >= '0' && c <= '9'; }

// The decimal grammar: [+-] digits [. digits] | [+-] . digits, then [eE] [+-] digits.
// Returns the end of the number and whether any mantissa digit is not zero.
bool decimal_grammar(std::string_view s, bool integer, bool& nonzero_mantissa) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  nonzero_mantissa = false;
  for (; i < s.size() && digit(s[i]); ++i, ++digits) nonzero_mantissa |= s[i] != '0';
  if (!integer && i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && digit(s[i]); ++i, ++digits) nonzero_mantissa |= s[i] != '0';
  }
  if (digits == 0) return false;
  if (!integer && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    for (; i < s.size() && digit(s[i]); ++i) ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

std::string describe(std::string_view s) {
  if (s.empty()) return "an empty value";
  if (std::isspace(static_cast<unsigned char>(s.front())) || std::isspace(static_cast<unsigned char>(s.back())))
    return "spaces around the number";
  const std::string lower = ascii_lower(s);
  const std::string_view body = lower.find_first_of("+-") == 0 ? std::string_view(lower).substr(1) : std::string_view(lower);
  if (body.rfind("0x", 0) == 0) return "a hexadecimal number";
  if (body.rfind("nan", 0) == 0) return "not a number (nan)";
  if (body.rfind("inf", 0) == 0) return "an infinity";
  return "not a plain decimal number";
}

}  // namespace

std::optional<std::string> number_value_problem(double v) {
  if (std::isnan(v)) return "not a number (nan)";
  if (std::isinf(v)) return "an infinity";
  if (v == 0 && std::signbit(v)) return "a negative zero (write 0)";
  if (v != 0 && std::abs(v) < std::numeric_limits<double>::min())
    return "too small to be held exactly (a subnormal double, below 2.2e-308)";
  return std::nullopt;
}

std::optional<std::string> number_text_problem(std::string_view s, NumberKind kind) {
  bool nonzero = false;
  const bool integer = kind != NumberKind::real;
  if (!decimal_grammar(s, integer, nonzero)) {
    if (integer) {
      bool ignored = false;
      if (decimal_grammar(s, false, ignored)) return "not a whole number";
    }
    return describe(s) + (integer ? ": expected a whole decimal number such as 3" : std::string(": ") + kExpected);
  }
  if (kind == NumberKind::non_negative_integer && s.front() == '-') return "a negative number: expected 0 or more";
  const char* b = s.data() + (s.front() == '+' ? 1 : 0);
  const char* e = s.data() + s.size();
  if (integer) {
    long long v = 0;
    const auto [p, ec] = std::from_chars(b, e, v);
    if (ec == std::errc::result_out_of_range) return "too large for a whole number (beyond ±9.2e18)";
    if (ec != std::errc() || p != e) return "not a whole number";
    if (v == 0 && s.front() == '-') return "a negative zero (write 0)";
    return std::nullopt;
  }
  double v = 0;
  const auto [p, ec] = std::from_chars(b, e, v);
  if (ec == std::errc::result_out_of_range) {
    // from_chars reports both overflow and underflow this way.
    const bool tiny = s.find("e-") != std::string_view::npos || s.find("E-") != std::string_view::npos;
    return tiny ? std::string("too small to be held exactly (it underflows a double)") : std::string("too large for a double");
  }
  if (ec != std::errc() || p != e) return describe(s) + ": " + kExpected;
  if (v == 0 && nonzero) return "too small to be held exactly (it underflows a double to 0)";
  if (auto problem = number_value_problem(v)) return problem;
  if (v == 0 && s.front() == '-') return "a negative zero (write 0)";
  return std::nullopt;
}

double parse_number(std::string_view text, const std::string& where, const std::string& field) {
  if (auto problem = number_text_problem(text, NumberKind::real))
    fail_input(where, field, "\"" + std::string(text) + "\"", *problem);
  double v = 0;
  std::from_chars(text.data() + (text.front() == '+' ? 1 : 0), text.data() + text.size(), v);
  return v;
}

long long parse_integer(std::string_view text, const std::string& where, const std::string& field) {
  if (auto problem = number_text_problem(text, NumberKind::integer))
    fail_input(where, field, "\"" + std::string(text) + "\"", *problem);
  long long v = 0;
  std::from_chars(text.data() + (text.front() == '+' ? 1 : 0), text.data() + text.size(), v);
  return v;
}

}  // namespace sirtkit
