#pragma once
// Reading typed columns out of an io::CsvTable for the descriptive jobs:
// numbers (bad input naming file, line, column and value when a cell is not
// one), and categorical columns as R's factor() orders their levels (numeric
// order when every value is a number, else R's text collation). Missing cells ("" or
// "NA") are kept as missing, never guessed.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sirtkit::io {
class CsvTable;
}

namespace sirtkit::pipelines {

// Trimmed cell text; std::nullopt when missing.
std::optional<std::string> cell_text(const io::CsvTable& table, std::size_t row, std::size_t column);

// A finite number ("+1.5", " 3 "), or nullopt if the text is not one.
std::optional<double> parse_finite_number(std::string_view text);

// "<file> line <n>" for messages.
std::string where_row(const io::CsvTable& table, std::size_t row);

// The values of a numeric column (nullopt = missing). A cell that is neither
// missing nor a number is bad input: "<file> line <n>: <column> = <value>: a number".
std::vector<std::optional<double>> numeric_column(const io::CsvTable& table, const std::string& column,
                                                  const std::string& expected = "a number");

// True when every non-missing cell of the column is a number (and there is at least one).
bool column_is_numeric(const io::CsvTable& table, std::size_t column);

// read.csv (type.convert) reads a column whose every non-missing cell is
// one of T, True, TRUE, true / F, False, FALSE, false as logical, and factor()
// labels it "FALSE" < "TRUE" (survfit strata "g=TRUE", coxph term "xTRUE").
std::optional<bool> parse_r_logical(std::string_view text);
// True when every non-missing cell is such a logical (and there is at least one).
bool column_is_logical(const io::CsvTable& table, std::size_t column);

// The text order of R's sort() and factor() levels. R 4.2 on Linux collates
// character vectors with ICU in every locale but C/POSIX (the reference R runs
// in C.UTF-8, capabilities("ICU") TRUE), i.e. ICU's root collator: whitespace,
// then punctuation and symbols, then digits (no numeric ordering: "10" < "9"),
// then letters with accents and case as secondary and tertiary differences
// ("e" < "E" < "é" < "Ève" < "f"). This is that collator (libicu).
bool r_collate_less(std::string_view a, std::string_view b);

struct CategoricalColumn {
  std::vector<std::string> levels;  // R factor order
  std::vector<int> code;            // per row: index into levels, −1 when missing
};

// Levels are printed as R prints them: numbers by their shortest form ("1", not "1.0"),
// a logical column as FALSE/TRUE. Text levels are ordered by r_collate_less.
CategoricalColumn categorical_column(const io::CsvTable& table, const std::string& column);

}  // namespace sirtkit::pipelines
