#pragma once
// The unit of a survival time column, so every time a command prints or
// plots says what it counts: from --time-unit, or from the ADaM AVALU column
// when the file carries one (one value on every row: DAYS, WEEKS, MONTHS,
// YEARS). Both given and different is bad input; neither leaves the unit
// unknown, and the output says so instead of guessing.

#include <string>

namespace sirtkit::io {
class CsvTable;
}

namespace sirtkit::pipelines {

// "days" | "weeks" | "months" | "years"; "" when unknown. `option` is the
// user's --time-unit ("" when not given; singular and upper case accepted).
std::string resolve_time_unit(const io::CsvTable& table, const std::string& option);

// "12.5 months" or, when the unit is unknown, "12.5".
std::string with_time_unit(const std::string& number, const std::string& unit);

// The time axis label of a plot: "AVAL (months)", or the column alone.
std::string time_axis_label(const std::string& column, const std::string& unit);

}  // namespace sirtkit::pipelines
