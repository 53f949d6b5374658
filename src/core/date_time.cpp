#include "core/date_time.h"

#include <chrono>

#include <cmath>
#include <fmt/format.h>

namespace sirtkit {

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

DateTime make_date_time(int year, int month, int day, int hour, int minute, int second, int offset_minutes) {
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return {days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60, offset_minutes};
}

DateTime DateTime::plus_hours(double hours) const {
  return {epoch_s + static_cast<std::int64_t>(std::llround(hours * 3600.0)), offset_minutes};
}

std::string format_iso(const DateTime& t) {
  std::int64_t local = t.epoch_s + t.offset_minutes * 60;
  std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  std::int64_t secs = local - days * 86400;
  // civil_from_days (Hinnant)
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  const int off = std::abs(t.offset_minutes);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", y, m, d, secs / 3600, (secs / 60) % 60, secs % 60,
                     t.offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

DateTime now_utc() {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return DateTime{static_cast<std::int64_t>(s), 0};
}

}  // namespace sirtkit
