#pragma once
// Small text helpers for reading user files (CSV cells, TOML values, DICOM strings).

#include <string>
#include <string_view>

namespace sirtkit {

// Without leading and trailing spaces, tabs, carriage returns and newlines.
std::string_view trim_view(std::string_view s);  // a view into s: no copy
std::string trim(std::string_view s);

// A cell value as an error message may show it: quoted when it is empty or a
// plain number ("'-1.5'", "'1e308'"; at most 16 characters, one dot, no run of 5
// digits, which could be a record number), "(value not shown)" otherwise.
// Names, record numbers, dates, free text and misspelt codes from a patient
// file never reach a message, a log or a terminal (issue 12: a bad enum or a
// bad date cell may hold anything).
std::string shown_value(std::string_view v);

}  // namespace sirtkit
