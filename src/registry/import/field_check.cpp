#include "registry/import/field_check.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "clinical/date.h"
#include "clinical/units.h"
#include "core/error.h"
#include "core/text.h"
#include "registry/import/identifier_scan.h"

namespace sirtkit::registry {
namespace {

// "Non-target" → "non_target", for matching a choice label to a vocabulary.
std::string vocab_key(const std::string& s) {
  std::string k = ascii_lower(trim(s));
  for (char& c : k)
    if (c == ' ' || c == '-') c = '_';
  return k;
}

int today_days() {
  using namespace std::chrono;
  return static_cast<int>(floor<days>(system_clock::now()).time_since_epoch().count());
}

// Earliest plausible date of any clinical record in the registry.
const clinical::Date earliest_date{static_cast<int>(-25567)};  // 1900-01-01

std::string number_text(double x) {
  std::string t = std::to_string(x);
  t.erase(t.find_last_not_of('0') + 1);
  if (t.back() == '.') t.pop_back();
  return t;
}

FieldCheck refused(std::string expected) { return {std::nullopt, std::move(expected)}; }

}  // namespace

std::optional<long long> parse_integer(const std::string& s) {
  if (s.empty()) return std::nullopt;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  for (std::size_t j = i; j < s.size(); ++j)
    if (!std::isdigit(static_cast<unsigned char>(s[j]))) return std::nullopt;
  if (s.size() > 18) return std::nullopt;
  return std::stoll(s);
}

std::optional<double> parse_number(const std::string& s) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  for (char c : s)  // plain decimal notation only; no hex, inf, nan, commas
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

FieldCheck check_field_value(const FieldSpec& s, const std::string& v, bool coded, const std::string* label) {
  const std::string range = number_text(s.min) + " to " + number_text(s.max);
  switch (s.kind) {
    case FieldKind::text: {
      const std::string t = trim(v);
      if (t.size() > max_text_length)
        return refused("short coded text of at most " + std::to_string(max_text_length) + " characters (free text is not stored)");
      if (!coded)
        if (const auto kind = find_identifier_pattern(t))
          return refused(std::string("short coded text without identifiers, but it holds ") + pattern_description(*kind) +
                         " (the value is not shown; correct it in the source)");
      return {t, {}};
    }
    case FieldKind::integer: {
      const auto x = parse_integer(v);
      if (!x) return refused("an integer");
      if (*x < s.min || *x > s.max) return refused("an integer from " + range);
      return {std::to_string(*x), {}};
    }
    case FieldKind::real: {
      const auto x = parse_number(v);
      if (!x) return refused("a number");
      if (*x < s.min || *x > s.max) return refused("a value from " + range + " (registry plausibility range)");
      return {trim(v), {}};
    }
    case FieldKind::date: {
      std::optional<clinical::Date> d;
      if (v.size() == 10) try {
          d = clinical::parse_date(v, "date");
        } catch (const Error&) {
        }
      if (!d) return refused("a calendar date YYYY-MM-DD");
      if (*d < earliest_date) return refused("a date on or after 1900-01-01");
      if (d->days > today_days()) return refused("a date not in the future");
      return {clinical::to_iso(*d), {}};
    }
    case FieldKind::flag:
      if (v == "0" || v == "1") return {v, {}};
      return refused("0 (no) or 1 (yes)");
    case FieldKind::choice: {
      std::vector<std::string> candidates{v};
      if (label) candidates.insert(candidates.begin(), *label);
      for (const auto& c : candidates)
        for (const auto& allowed : s.values)
          if (vocab_key(c) == vocab_key(allowed)) return {allowed, {}};
      std::string list;
      for (const auto& a : s.values) list += (list.empty() ? "" : ", ") + a;
      return refused("one of " + list + " (as code or label)");
    }
  }
  return refused("a value");
}

FieldCheck check_study_day(const std::string& v) {
  const auto x = parse_integer(v);
  if (!x) return refused("a study day: an integer number of days from the index date (day 0)");
  if (*x < -max_study_day || *x > max_study_day)
    return refused("a study day from " + std::to_string(-max_study_day) + " to " + std::to_string(max_study_day) + " (100 years from day 0)");
  return {std::to_string(*x), {}};
}

std::optional<LabProblem> check_lab_result(const std::string& test, double value, const std::string& value_text, const std::string& unit_text) {
  const std::string unit = clinical::canonical_unit(unit_text);
  const auto spec = std::find_if(lab_catalog().begin(), lab_catalog().end(), [&](const LabSpec& l) { return l.test == test; });
  if (spec == lab_catalog().end()) return LabProblem{"lab_test", "a lab test of the registry"};
  if (std::find(spec->units.begin(), spec->units.end(), unit) == spec->units.end()) {
    std::string list;
    for (const auto& u : spec->units) list += (list.empty() ? "" : ", ") + (u.empty() ? std::string("(none)") : u);
    return LabProblem{"lab_unit", "a unit of " + test + ": " + list};
  }
  const clinical::Quantity q{value, unit_text, value_text + " " + unit_text};
  try {
    if (test == "bilirubin") clinical::bilirubin_mg_dl(q, "lab_value");
    else if (test == "albumin") clinical::albumin_g_dl(q, "lab_value");
    else if (test == "creatinine") clinical::creatinine_mg_dl(q, "lab_value");
    else if (test == "sodium") clinical::sodium_mmol_l(q, "lab_value");
    else if (test == "afp") clinical::afp_ng_ml(q, "lab_value");
    else if (test == "inr") clinical::inr_value(clinical::Quantity{q.value, "", q.text}, "lab_value");
    else if (q.value < spec->min || q.value > spec->max) return LabProblem{"lab_value", "a plausible " + test + " value"};
  } catch (const Error& e) {
    return LabProblem{"lab_value", e.what()};
  }
  return std::nullopt;
}

}  // namespace sirtkit::registry
