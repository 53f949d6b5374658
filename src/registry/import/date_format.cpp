#include "registry/import/date_format.h"

#include <cctype>
#include <cstdio>

#include "core/error.h"

namespace sirtkit::registry {
namespace {

std::size_t count(const std::string& s, const std::string& token) {
  std::size_t n = 0;
  for (std::size_t p = s.find(token); p != std::string::npos; p = s.find(token, p + token.size())) ++n;
  return n;
}

}  // namespace

bool is_date_format(const std::string& pattern) {
  return count(pattern, "YYYY") == 1 && count(pattern, "MM") == 1 && count(pattern, "DD") == 1;
}

std::optional<clinical::Date> parse_date_in_format(const std::string& text, const std::string& pattern) {
  if (!is_date_format(pattern)) return std::nullopt;
  int year = -1, month = -1, day = -1;
  std::size_t t = 0, p = 0;
  // Reads between min and max digits.
  auto digits = [&](std::size_t min, std::size_t max, int& out) {
    std::size_t n = 0;
    int v = 0;
    while (n < max && t < text.size() && std::isdigit(static_cast<unsigned char>(text[t]))) {
      v = v * 10 + (text[t] - '0');
      ++t;
      ++n;
    }
    out = v;
    return n >= min;
  };
  while (p < pattern.size()) {
    if (pattern.compare(p, 4, "YYYY") == 0) {
      if (!digits(4, 4, year)) return std::nullopt;
      p += 4;
    } else if (pattern.compare(p, 2, "MM") == 0) {
      if (!digits(1, 2, month)) return std::nullopt;
      p += 2;
    } else if (pattern.compare(p, 2, "DD") == 0) {
      if (!digits(1, 2, day)) return std::nullopt;
      p += 2;
    } else {
      if (t >= text.size() || text[t] != pattern[p]) return std::nullopt;
      ++t;
      ++p;
    }
  }
  if (t != text.size()) return std::nullopt;
  char iso[16];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month, day);
  try {
    return clinical::parse_date(iso, "date");
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace sirtkit::registry
