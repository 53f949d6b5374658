#pragma once
// Small text helpers for reading user files (CSV cells, TOML values, DICOM strings).

#include <string>
#include <string_view>

namespace sirtkit {

// Without leading and trailing spaces, tabs, carriage returns and newlines.
std::string_view trim_view(std::string_view s);  // a view into s: no copy
std::string trim(std::string_view s);

// s with A-Z as a-z and every other byte as it is, whatever the C locale: names
// and codes in user files compare case-insensitively (CSV headers, units, enum
// values), and UTF-8 bytes must never change.
std::string ascii_lower(std::string_view s);

// A cell value as an error message may show it: quoted when it is empty or a
// plain number ("'-1.5'", "'1e308'"; at most 16 characters, one dot, no run of 5
// digits, which could be a record number), "(value not shown)" otherwise.
// Names, record numbers, dates, free text and misspelt codes from a patient
// file never reach a message, a log or a terminal (issue 12: a bad enum or a
// bad date cell may hold anything).
std::string shown_value(std::string_view v);

// Text from a peer or a command line that is not patient data (an AE title,
// a media type, a site code) fit for a message or a log: each byte outside
// printable ASCII, and the backslash (the DICOM value separator), becomes '?';
// at most `max_chars` characters.
std::string printable_ascii(std::string_view s, std::size_t max_chars = std::string_view::npos);

}  // namespace sirtkit
