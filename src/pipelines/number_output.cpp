#include "pipelines/number_output.h"

#include <fmt/format.h>

#include <cmath>

namespace sirtkit::pipelines {

nlohmann::json json_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

std::string table_p_value(double p) {
  if (std::isnan(p)) return "NA";
  if (p < 1e-4) return fmt::format("{:.2e}", p);
  return fmt::format("{:.4f}", p);
}

}  // namespace sirtkit::pipelines
