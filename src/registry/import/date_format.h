#pragma once
// Dates as a plain CSV writes them, described by a pattern of the tokens YYYY,
// MM and DD and literal separators: "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY",
// "YYYYMMDD", "YYYY-MM-DD". MM and DD take one or two digits ("3/1/2021"),
// YYYY exactly four. Used by the plain-CSV import (csv_mapping.h).

#include <optional>
#include <string>

#include "clinical/date.h"

namespace sirtkit::registry {

// True when the pattern holds each of YYYY, MM and DD exactly once.
bool is_date_format(const std::string& pattern);

// The calendar date `text` written in `pattern`, or nullopt when it does not
// match or is no calendar date (2021-02-30).
std::optional<clinical::Date> parse_date_in_format(const std::string& text, const std::string& pattern);

}  // namespace sirtkit::registry
