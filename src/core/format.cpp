#include "core/format.h"

#include <fmt/format.h>

namespace sirtkit {

std::string num(double value) { return fmt::format("{}", value); }

}  // namespace sirtkit
