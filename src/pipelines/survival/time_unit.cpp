#include "pipelines/survival/time_unit.h"
#include "core/text.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/error.h"
#include "io/text_formats/csv_table.h"

namespace sirtkit::pipelines {

namespace {

constexpr std::array<const char*, 4> kUnits{"days", "weeks", "months", "years"};

// "Months", "MONTH", "months" -> "months"; anything else -> "".
std::string canonical_unit(std::string text) {
  text = ascii_lower(text);
  for (const char* u : kUnits) {
    const std::string unit(u);
    if (text == unit || text + "s" == unit) return unit;
  }
  return "";
}

}  // namespace

std::string resolve_time_unit(const io::CsvTable& table, const std::string& option) {
  std::string given;
  if (!option.empty()) {
    given = canonical_unit(option);
    if (given.empty()) fail_input("options", "time-unit", option, "days, weeks, months or years");
  }
  if (!table.has_column("AVALU") || table.rows() == 0) return given;
  // ADaM AVALU: the unit of AVAL; used only when every row has the same one.
  const std::size_t col = table.column_index("AVALU");
  const std::string first(table.cell(0, col));
  for (std::size_t r = 1; r < table.rows(); ++r)
    if (std::string(table.cell(r, col)) != first) return given;
  const std::string from_file = canonical_unit(first);
  if (!given.empty() && !from_file.empty() && given != from_file)
    fail_input(table.source(), "AVALU", first, "the unit of --time-unit " + option + " (or leave --time-unit out)");
  return given.empty() ? from_file : given;
}

}  // namespace sirtkit::pipelines
