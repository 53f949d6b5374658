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

// Written with a number as report/number_output.h's with_time_unit and time_axis_label.

}  // namespace sirtkit::pipelines
