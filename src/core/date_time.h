#pragma once
// A point in time with its UTC offset, as written in a plan file
// (e.g. 2026-11-29T12:00:00-05:00). Times without an offset are refused by
// the readers: a calibration time is meaningless without its zone.

#include <cstdint>
#include <string>

namespace sirtkit {

struct DateTime {
  std::int64_t epoch_s = 0;   // seconds since 1970-01-01T00:00:00Z
  int offset_minutes = 0;     // the offset it was written with, kept for display

  double hours_since(const DateTime& earlier) const { return static_cast<double>(epoch_s - earlier.epoch_s) / 3600.0; }
  DateTime plus_hours(double hours) const;
};

// Days since 1970-01-01 of a civil date (proleptic Gregorian; Howard Hinnant's algorithm).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

DateTime make_date_time(int year, int month, int day, int hour, int minute, int second, int offset_minutes);
// ISO 8601 with the original offset, to the second: 2026-11-30T10:54:33-05:00.
std::string format_iso(const DateTime& t);
// The system clock, to the second, in UTC (offset 0).
DateTime now_utc();

}  // namespace sirtkit
