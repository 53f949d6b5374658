#pragma once
// How the analysis jobs write numbers: JSON null where R gives NA (NaN, Inf),
// and p-values in the readable tables.

#include <nlohmann/json.hpp>
#include <span>
#include <string>

namespace sirtkit::pipelines {

nlohmann::json json_or_null(double v);  // null unless finite
nlohmann::json json_array_or_null(std::span<const double> values);  // json_or_null of each
// The one p-value text of every table and message: "NA", "< 2e-16" below the
// double-precision epsilon (as R prints), "1.23e-05" below 1e-4, else "0.0123".
std::string table_p_value(double p);

// A number as R's as.character(<double>) writes it, which is how factor()
// labels numeric levels (survfit strata "g=1e+05", coxph terms "g1e-04"): at
// most 15 significant digits, trailing zeros dropped, and fixed notation
// unless scientific is shorter (formatReal, scipen = 0): 100000 -> "1e+05",
// 123456 -> "123456", 0.0001 -> "1e-04", 0.00012 -> "0.00012".
std::string r_number_label(double d);

}  // namespace sirtkit::pipelines
