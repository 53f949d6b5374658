#include "core/text.h"

namespace sirtkit {

std::string_view trim_view(std::string_view s) {
  constexpr std::string_view kBlank = " \t\r\n";
  const auto b = s.find_first_not_of(kBlank);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kBlank) - b + 1);
}

std::string trim(std::string_view s) { return std::string(trim_view(s)); }

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string shown_value(std::string_view v) {
  if (v.empty()) return "''";
  bool plain = v.size() <= 16;
  std::size_t run = 0, digits = 0, dots = 0, exponents = 0;
  for (std::size_t i = 0; plain && i < v.size(); ++i) {
    const char c = v[i];
    if (c >= '0' && c <= '9') {
      ++digits;
      plain = ++run < 5;
    } else {
      run = 0;
      plain = (c == '.' && ++dots == 1 && exponents == 0) ||
              ((c == '-' || c == '+') && (i == 0 || v[i - 1] == 'e' || v[i - 1] == 'E')) ||
              ((c == 'e' || c == 'E') && i > 0 && digits > 0 && ++exponents == 1);
    }
  }
  return plain && digits > 0 ? "'" + std::string(v) + "'" : "(value not shown)";
}

std::string printable_ascii(std::string_view s, std::size_t max_chars) {
  std::string out;
  for (unsigned char c : s.substr(0, max_chars)) out += (c >= 0x20 && c < 0x7F && c != '\\') ? static_cast<char>(c) : '?';
  return out;
}

}  // namespace sirtkit
