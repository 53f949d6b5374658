#include "clinical/units.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/format.h"

namespace sirtkit::clinical {
namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

[[noreturn]] void bad_unit(const Quantity& q, std::string_view field, std::string_view expected) {
  fail_input("unit", std::string(field), q.text.empty() ? num(q.value) : q.text,
             q.unit.empty() ? "a unit is required: expected " + std::string(expected)
                            : "unit '" + q.unit + "' not accepted: expected " + std::string(expected));
}

double in_range(double v, const Quantity& q, std::string_view field, double lo, double hi,
                std::string_view unit) {
  // lo is exclusive (0 for concentrations), hi inclusive.
  if (!(v > lo) || !(v <= hi)) {
    fail_input("value", std::string(field), q.text.empty() ? num(q.value) : q.text,
               "physiologically impossible: expected more than " + num(lo) + " and at most " +
                   num(hi) + " " + std::string(unit));
  }
  return v;
}

}  // namespace

Quantity parse_quantity(std::string_view text, std::string_view field) {
  Quantity q;
  q.text = trim(text);
  const std::string& t = q.text;
  if (t.empty()) fail_input("value", std::string(field), "''", "a number with its unit, e.g. 1.2mg/dL");
  // Longest numeric prefix: sign, digits, '.', exponent.
  size_t i = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
  bool digits = false;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) { ++i; digits = true; }
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) { ++i; digits = true; }
  }
  if (digits && i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    size_t j = i + 1;
    if (j < t.size() && (t[j] == '+' || t[j] == '-')) ++j;
    if (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) {
      while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) ++j;
      i = j;
    }
  }
  if (!digits) fail_input("value", std::string(field), "'" + t + "'", "a number with its unit, e.g. 1.2mg/dL");
  const std::string number = t.substr(0, i);
  double v = 0;
  const char* first = number.data();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, number.data() + number.size(), v);
  if (ec != std::errc() || ptr != number.data() + number.size() || !std::isfinite(v)) {
    fail_input("value", std::string(field), "'" + t + "'", "a finite number");
  }
  q.value = v;
  q.unit = trim(std::string_view(t).substr(i));
  return q;
}

std::string canonical_unit(std::string_view unit) {
  std::string out;
  for (size_t i = 0; i < unit.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(unit[i]);
    if (std::isspace(c)) continue;
    // µ (U+00B5, C2 B5) and μ (U+03BC, CE BC) → u
    if (c == 0xC2 && i + 1 < unit.size() && static_cast<unsigned char>(unit[i + 1]) == 0xB5) {
      out += 'u'; ++i; continue;
    }
    if (c == 0xCE && i + 1 < unit.size() && static_cast<unsigned char>(unit[i + 1]) == 0xBC) {
      out += 'u'; ++i; continue;
    }
    out += static_cast<char>(std::tolower(c));
  }
  if (out.rfind("mcmol", 0) == 0) out = "umol" + out.substr(5);
  return out;
}

// Physiological ranges below are deliberately wide: they reject impossible values and
// unit mix-ups, never a sick patient's real result.
double bilirubin_mg_dl(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  double mg_dl;
  if (u == "mg/dl") mg_dl = q.value;
  else if (u == "umol/l") mg_dl = q.value / 17.1;  // 17.1 µmol/L per mg/dL (§2.1)
  else bad_unit(q, field, "mg/dL or µmol/L");
  return in_range(mg_dl, q, field, 0.0, 100.0, "mg/dL (1710 µmol/L)");
}

double bilirubin_umol_l(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  if (u == "umol/l") return in_range(q.value, q, field, 0.0, 1710.0, "µmol/L");
  return bilirubin_mg_dl(q, field) * 17.1;
}

double albumin_g_dl(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  double g_dl;
  if (u == "g/dl") g_dl = q.value;
  else if (u == "g/l") g_dl = q.value / 10.0;
  else bad_unit(q, field, "g/dL or g/L");
  return in_range(g_dl, q, field, 0.0, 7.0, "g/dL (70 g/L)");
}

double albumin_g_l(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  if (u == "g/l") return in_range(q.value, q, field, 0.0, 70.0, "g/L");
  return albumin_g_dl(q, field) * 10.0;
}

double creatinine_mg_dl(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  double mg_dl;
  if (u == "mg/dl") mg_dl = q.value;
  else if (u == "umol/l") mg_dl = q.value / 88.4;  // 88.4 µmol/L per mg/dL (KDIGO 2012)
  else bad_unit(q, field, "mg/dL or µmol/L");
  return in_range(mg_dl, q, field, 0.0, 30.0, "mg/dL (2652 µmol/L)");
}

double sodium_mmol_l(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  if (u != "mmol/l" && u != "meq/l") bad_unit(q, field, "mmol/L or mEq/L");
  return in_range(q.value, q, field, 80.0, 200.0, "mmol/L");
}

double afp_ng_ml(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  if (u != "ng/ml" && u != "ug/l") bad_unit(q, field, "ng/mL or µg/L");
  if (!(q.value >= 0) || q.value > 1e8) {
    fail_input("value", std::string(field), q.text, "expected 0 to 1e8 ng/mL");
  }
  return q.value;
}

double inr_value(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  if (!u.empty() && u != "inr") bad_unit(q, field, "a bare number (INR has no unit)");
  return in_range(q.value, q, field, 0.3, 20.0, "(INR)");
}

double length_mm(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  double mm;
  if (u == "mm") mm = q.value;
  else if (u == "cm") mm = q.value * 10.0;
  else bad_unit(q, field, "mm or cm");
  if (!(mm >= 0) || mm > 500.0) fail_input("value", std::string(field), q.text, "expected 0 to 500 mm");
  return mm;
}

double length_cm(const Quantity& q, std::string_view field) { return length_mm(q, field) / 10.0; }

double seconds_value(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  if (u != "s" && u != "sec" && u != "seconds" && u != "second") bad_unit(q, field, "s (seconds)");
  if (!(q.value >= 0) || q.value > 120) fail_input("value", std::string(field), q.text, "0 to 120 s");
  return q.value;
}

namespace {

struct Dim {
  std::string dimension;
  double factor;  // to the dimension's base unit
};

std::optional<Dim> dimension_of(const std::string& u) {
  static const std::vector<std::pair<const char*, Dim>> table = {
      {"", {"1", 1}},
      {"mm", {"length", 1e-3}}, {"cm", {"length", 1e-2}}, {"m", {"length", 1}},
      {"g/l", {"mass/volume", 1}}, {"g/dl", {"mass/volume", 10}}, {"mg/dl", {"mass/volume", 1e-2}},
      {"mg/l", {"mass/volume", 1e-3}}, {"ug/l", {"mass/volume", 1e-6}}, {"ng/ml", {"mass/volume", 1e-6}},
      {"ug/ml", {"mass/volume", 1e-3}}, {"ug/dl", {"mass/volume", 1e-5}},
      {"mol/l", {"amount/volume", 1}}, {"mmol/l", {"amount/volume", 1e-3}}, {"umol/l", {"amount/volume", 1e-6}},
      {"gy", {"dose", 1}}, {"cgy", {"dose", 1e-2}}, {"mgy", {"dose", 1e-3}},
      {"bq", {"activity", 1}}, {"kbq", {"activity", 1e3}}, {"mbq", {"activity", 1e6}}, {"gbq", {"activity", 1e9}},
      {"l", {"volume", 1}}, {"dl", {"volume", 0.1}}, {"ml", {"volume", 1e-3}}, {"cm3", {"volume", 1e-3}},
      {"cc", {"volume", 1e-3}},
      {"kg", {"mass", 1}}, {"g", {"mass", 1e-3}}, {"mg", {"mass", 1e-6}},
      {"%", {"percent", 1}}, {"percent", {"percent", 1}},
      {"d", {"time", 1}}, {"day", {"time", 1}}, {"days", {"time", 1}},
      {"wk", {"time", 7}}, {"week", {"time", 7}}, {"weeks", {"time", 7}},
      {"y", {"years", 1}}, {"yr", {"years", 1}}, {"year", {"years", 1}}, {"years", {"years", 1}},
      {"meq/l", {"equivalents/volume", 1e-3}},
  };
  for (const auto& [k, d] : table)
    if (u == k) return d;
  return std::nullopt;
}

// Molar mass (g/mol) implied by the clinical conversion factors used elsewhere in sirtkit.
std::optional<double> molar_mass(std::string_view analyte) {
  if (analyte == "bilirubin") return 0.01 / 17.1e-6;   // 1 mg/dL = 17.1 µmol/L (§2.1)
  if (analyte == "creatinine") return 0.01 / 88.4e-6;  // 1 mg/dL = 88.4 µmol/L (KDIGO)
  return std::nullopt;
}

}  // namespace

double convert_quantity(const Quantity& q, std::string_view unit, std::string_view analyte, std::string_view field) {
  const std::string from = canonical_unit(q.unit), to = canonical_unit(unit);
  if (from == to) return q.value;
  std::optional<Dim> a = dimension_of(from), b = dimension_of(to);
  const bool monovalent = analyte == "sodium" || analyte == "potassium" || analyte == "chloride";
  if (a && b && monovalent) {  // 1 mEq/L = 1 mmol/L for monovalent ions
    if (a->dimension == "equivalents/volume") a->dimension = "amount/volume";
    if (b->dimension == "equivalents/volume") b->dimension = "amount/volume";
  }
  if (a && b && a->dimension == b->dimension) return q.value * a->factor / b->factor;
  if (a && b) {
    if (auto m = molar_mass(analyte)) {
      if (a->dimension == "amount/volume" && b->dimension == "mass/volume") return q.value * a->factor * *m / b->factor;
      if (a->dimension == "mass/volume" && b->dimension == "amount/volume") return q.value * a->factor / *m / b->factor;
    }
  }
  fail_input("unit", std::string(field), q.text.empty() ? num(q.value) : q.text,
             q.unit.empty() ? "a unit is required: expected a value in " + std::string(unit)
                            : "unit '" + q.unit + "' cannot be converted to '" + std::string(unit) + "'" +
                                  (analyte.empty() ? "" : " for " + std::string(analyte)));
}

bool approx_equal(double a, double b) {
  if (a == b) return true;
  return std::fabs(a - b) <= 1e-12 * std::fmax(std::fabs(a), std::fabs(b));
}
bool less(double a, double b) { return a < b && !approx_equal(a, b); }
bool less_equal(double a, double b) { return a < b || approx_equal(a, b); }
bool greater(double a, double b) { return a > b && !approx_equal(a, b); }
bool greater_equal(double a, double b) { return a > b || approx_equal(a, b); }

}  // namespace sirtkit::clinical
