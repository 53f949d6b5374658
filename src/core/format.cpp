#include "core/format.h"

#include <fmt/format.h>

namespace sirtkit {

std::string num(double value) { return fmt::format("{}", value); }

namespace {
std::string percent_part(long long k, long long n) {
  return n == 0 ? "(-)" : fmt::format("({:.1f}%)", 100.0 * static_cast<double>(k) / static_cast<double>(n));
}
}  // namespace

std::string count_percent(long long k, long long n) { return fmt::format("{} {}", k, percent_part(k, n)); }

std::string fraction_percent(long long k, long long n) { return fmt::format("{}/{} {}", k, n, percent_part(k, n)); }

}  // namespace sirtkit
