#include "core/text.h"

namespace sirtkit {

std::string trim(std::string_view s) {
  constexpr std::string_view kBlank = " \t\r\n";
  const auto b = s.find_first_not_of(kBlank);
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(kBlank) - b + 1));
}

}  // namespace sirtkit
