#include "clinical/rule_result.h"

#include <cctype>
#include <cmath>

#include "core/text.h"
#include "core/error.h"
#include "core/format.h"

namespace sirtkit::clinical {

void require_range(std::string_view rule, std::string_view field, double value, double lo_exclusive,
                   double hi_inclusive, std::string_view unit) {
  if (!std::isfinite(value) || !(value > lo_exclusive) || !(value <= hi_inclusive)) {
    fail_input(std::string(rule), std::string(field), num(value),
               "expected more than " + num(lo_exclusive) + " and at most " + num(hi_inclusive) +
                   (unit.empty() ? "" : " " + std::string(unit)));
  }
}

void require_int_range(std::string_view rule, std::string_view field, int value, int lo, int hi) {
  if (value < lo || value > hi) {
    fail_input(std::string(rule), std::string(field), std::to_string(value),
               "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
}

bool parse_yes_no(std::string_view text, std::string_view field) {
  const std::string t = ascii_lower(text);
  if (t == "yes" || t == "y" || t == "true" || t == "1") return true;
  if (t == "no" || t == "n" || t == "false" || t == "0") return false;
  fail_input("value", std::string(field), shown_value(text), "yes or no");
}

}  // namespace sirtkit::clinical
