#pragma once
// How every analysis result writes its numbers (the one place, issue 16
// item 3): JSON null where R gives NA (NaN, Inf), the p-value text of the
// readable tables, and a time with its unit. Counts with percentages are
// core/format.h's count_percent.

#include <nlohmann/json.hpp>
#include <span>
#include <string>

namespace sirtkit::report {

nlohmann::json json_or_null(double v);  // null unless finite
nlohmann::json json_array_or_null(std::span<const double> values);  // json_or_null of each
// The number when finite, "Inf"/"-Inf" as R prints an infinite odds ratio,
// null for NaN (R's NA).
nlohmann::json json_number(double value);
// The one p-value text of every table and message: "NA", "< 2e-16" below the
// double-precision epsilon (as R prints), "1.23e-05" below 1e-4, else "0.0123".
std::string table_p_value(double p);

// "12.5 months" or, when the unit is unknown (""), "12.5".
std::string with_time_unit(const std::string& number, const std::string& unit);
// The time axis label of a plot: "AVAL (months)", or the column alone.
std::string time_axis_label(const std::string& column, const std::string& unit);

}  // namespace sirtkit::report
