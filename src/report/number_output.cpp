#include "report/number_output.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace sirtkit::report {

nlohmann::json json_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json json_array_or_null(std::span<const double> values) {
  nlohmann::json a = nlohmann::json::array();
  for (double v : values) a.push_back(json_or_null(v));
  return a;
}

nlohmann::json json_number(double v) {
  if (std::isnan(v)) return nullptr;
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  return v;
}

std::string table_p_value(double p) {
  if (std::isnan(p)) return "NA";
  // Below the double-precision epsilon a p-value is not resolved: R's
  // format.pval prints "< eps" (eps = .Machine$double.eps = 2.22e-16).
  if (p < std::numeric_limits<double>::epsilon()) return "< 2e-16";
  if (p < 1e-4) return fmt::format("{:.2e}", p);
  return fmt::format("{:.4f}", p);
}

std::string with_time_unit(const std::string& number, const std::string& unit) {
  return unit.empty() ? number : number + " " + unit;
}

std::string time_axis_label(const std::string& column, const std::string& unit) {
  return unit.empty() ? column : column + " (" + unit + ")";
}

}  // namespace sirtkit::report
