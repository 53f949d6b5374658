#include "clinical/date.h"

#include <cctype>
#include <cstdio>

#include "core/error.h"

namespace sirtkit::clinical {
namespace {
// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
int days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}
void civil_from_days(int z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}
bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
}  // namespace

Date parse_date(std::string_view text, std::string_view field) {
  auto bad = [&]() {
    // The text is not shown: a date column holds patient data (issue 12).
    fail_input("date", std::string(field), "(value not shown: a date)", "a calendar date YYYY-MM-DD");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') bad();
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) bad();
  auto n = [&](size_t a, size_t len) {
    int v = 0;
    for (size_t i = a; i < a + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  const int y = n(0, 4), m = n(5, 2), d = n(8, 2);
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) bad();
  if (d > kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0)) bad();
  return Date{days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))};
}

std::string to_iso(Date date) {
  int y;
  unsigned m, d;
  civil_from_days(date.days, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

}  // namespace sirtkit::clinical
