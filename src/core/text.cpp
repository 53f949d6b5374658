#include "core/text.h"

namespace sirtkit {

std::string_view trim_view(std::string_view s) {
  constexpr std::string_view kBlank = " \t\r\n";
  const auto b = s.find_first_not_of(kBlank);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kBlank) - b + 1);
}

std::string trim(std::string_view s) { return std::string(trim_view(s)); }

}  // namespace sirtkit
