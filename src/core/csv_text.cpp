#include "core/csv_text.h"

#include <fmt/format.h>

#include <cmath>

namespace sirtkit {

std::string csv_field(const std::string& s) {
  const bool spaces = !s.empty() && (s.front() == ' ' || s.back() == ' ');
  if (!spaces && s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += csv_field(fields[i]);
  }
  return line + "\n";
}

std::string csv_number(double v) { return std::isfinite(v) ? fmt::format("{:.17g}", v) : std::string("NA"); }

}  // namespace sirtkit
