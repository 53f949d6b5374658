#pragma once
// Calendar dates for clinical records: ISO 8601 "YYYY-MM-DD" only, validated
// (2023-02-29 is an error), counted as days since 1970-01-01 so intervals are exact.

#include <string>
#include <string_view>

namespace sirtkit::clinical {

struct Date {
  int days = 0;  // days since 1970-01-01 (proleptic Gregorian)
  auto operator<=>(const Date&) const = default;
};

Date parse_date(std::string_view text, std::string_view field);
std::string to_iso(Date d);
inline int days_between(Date from, Date to) { return to.days - from.days; }

}  // namespace sirtkit::clinical
