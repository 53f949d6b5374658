#pragma once
// Reading typed columns out of an io::CsvTable for the descriptive jobs:
// numbers (bad input naming file, line, column and value when a cell is not
// one), and categorical columns as R's factor() orders their levels (numeric
// order when every value is a number, else R's text collation). Missing cells
// are kept as missing, never guessed.
//
// Spaces follow R's read.csv (strip.white = FALSE, na.strings = "NA"): a number
// may have spaces around it (" 1" is 1) and a blank cell of a numeric or
// logical column is missing, but a text cell keeps its spaces (" B" is a level
// of its own, not "B"), and " NA" is text, not missing. An empty text cell is
// missing here (R keeps "" as a level; sirtkit drops the row and says so).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sirtkit::io {
class CsvTable;
}

namespace sirtkit::pipelines {

// Missing in a numeric or logical column: blank (spaces only) or exactly NA.
bool is_missing_number_cell(std::string_view cell);
// Missing in a text column: empty or exactly NA.
bool is_missing_text_cell(std::string_view cell);

// The cell as read.csv keeps a text cell (spaces kept); std::nullopt when
// missing as text ("" or NA).
std::optional<std::string> cell_text(const io::CsvTable& table, std::size_t row, std::size_t column);
// The cell of a numeric column; std::nullopt when blank or NA.
std::optional<std::string_view> number_cell(const io::CsvTable& table, std::size_t row, std::size_t column);

// A column whose name says it identifies a patient (id, usubjid, mrn, name,
// *_id, ...): its values never appear in a message.
bool is_identifier_column_name(std::string_view name);

// The value of a text level in messages and warnings: quoted when it has
// surrounding spaces, so " B" is visibly not "B".
std::string shown_level(std::string_view level);

// A finite number ("+1.5", " 3 "), or nullopt if the text is not one.
std::optional<double> parse_finite_number(std::string_view text);

// "<file> line <n>" for messages.
std::string where_row(const io::CsvTable& table, std::size_t row);

// The values of a numeric column (nullopt = missing). A cell that is neither
// missing nor a number is bad input: "<file> line <n>: <column> = <value>: a number".
std::vector<std::optional<double>> numeric_column(const io::CsvTable& table, const std::string& column,
                                                  const std::string& expected = "a number");

// True when every non-missing (number_cell) cell of the column is a number (and there is at least one).
bool column_is_numeric(const io::CsvTable& table, std::size_t column);
// The same test, keeping the values: out[row] is the number, NaN where the
// cell is missing (out holds table.rows() values; its contents are
// unspecified when false is returned).
bool numeric_values(const io::CsvTable& table, std::size_t column, double* out);

// read.csv (type.convert) reads a column whose every non-missing cell is
// one of T, True, TRUE, true / F, False, FALSE, false as logical, and factor()
// labels it "FALSE" < "TRUE" (survfit strata "g=TRUE", coxph term "xTRUE").
std::optional<bool> parse_r_logical(std::string_view text);
// No spaces allowed: read.csv reads " TRUE" as text.
// True when every non-missing (number_cell) cell is such a logical (and there is at least one).
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
  bool text = false;                // read as text (not numbers, not logical)
  std::size_t empty_cells = 0;      // text column: "" cells, missing here but a level in R
};

// The warnings a text column's reading deserves, for the result's `warnings`:
// levels with surrounding spaces (kept apart, as R does) and empty cells
// (missing here, a level "" in R).
std::vector<std::string> categorical_warnings(const CategoricalColumn& column, const std::string& name);

// The R label of each row's cell (nullopt = missing): as categorical_column
// labels them, without ordering the levels.
std::vector<std::optional<std::string>> categorical_labels(const io::CsvTable& table, std::size_t column,
                                                           bool* text = nullptr);

// Levels are printed as R prints them: numbers by their shortest form ("1", not "1.0"),
// a logical column as FALSE/TRUE. Text levels are ordered by r_collate_less.
CategoricalColumn categorical_column(const io::CsvTable& table, const std::string& column);

}  // namespace sirtkit::pipelines
