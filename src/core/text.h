#pragma once
// Small text helpers for reading user files (CSV cells, TOML values, DICOM strings).

#include <string>
#include <string_view>

namespace sirtkit {

// Without leading and trailing spaces, tabs, carriage returns and newlines.
std::string_view trim_view(std::string_view s);  // a view into s: no copy
std::string trim(std::string_view s);

}  // namespace sirtkit
