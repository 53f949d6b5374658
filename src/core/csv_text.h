#pragma once
// CSV output as RFC 4180, the one writer of every CSV sirtkit writes (what io::CsvTable reads): a field is quoted when it
// holds a comma, a double quote, a line break or surrounding spaces, with ""
// for a quote; numbers are written with 17 significant digits so they read
// back exactly.

#include <string>
#include <vector>

namespace sirtkit {

std::string csv_field(const std::string& text);
// The fields joined by commas, ending with '\n'.
std::string csv_line(const std::vector<std::string>& fields);
// A double to 17 significant digits ("NA" when not finite).
std::string csv_number(double value);

}  // namespace sirtkit
