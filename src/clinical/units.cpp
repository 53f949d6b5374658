#include "clinical/units.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "core/text.h"
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
  if (!digits) fail_input("value", std::string(field), shown_value(t), "a number with its unit, e.g. 1.2mg/dL");
  const std::string number = t.substr(0, i);
  double v = 0;
  const char* first = number.data();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, number.data() + number.size(), v);
  if (ec != std::errc() || ptr != number.data() + number.size() || !std::isfinite(v)) {
    fail_input("value", std::string(field), shown_value(t), "a finite number");
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
    out += static_cast<char>(c);
  }
  out = ascii_lower(out);
  if (out.rfind("mcmol", 0) == 0) out = "umol" + out.substr(5);
  return out;
}

namespace {

// sirtkit's plausibility limits (not clinical thresholds): each is beyond the extremes
// reported in living patients (e.g. bilirubin 100 mg/dL, sodium 80-200 mmol/L, potassium
// 0.8-15 mmol/L, glucose 150 mmol/L in hyperosmolar states, platelets 5000 x10^9/L in
// essential thrombocythaemia, leukocytes 1000 x10^9/L in leukaemic hyperleukocytosis), so
// they reject impossible values and unit mix-ups, never a sick patient's real result.
// Units are canonical_unit() spellings; each analyte lists every unit its readers accept
// after conversion (scores: mg/dL, g/dL, ...; CTCAE grading: the unit of its thresholds).
struct RangeRow {
  const char* analyte;
  const char* unit;   // canonical
  const char* shown;  // as printed
  double lo, hi;
  bool lo_exclusive;
};
constexpr RangeRow kRanges[] = {
    {"bilirubin", "mg/dl", "mg/dL", 0, 100, true},
    {"bilirubin", "umol/l", "µmol/L", 0, 1710, true},
    {"albumin", "g/dl", "g/dL", 0.5, 7, false},
    {"albumin", "g/l", "g/L", 5, 70, false},
    {"creatinine", "mg/dl", "mg/dL", 0, 30, true},
    {"sodium", "mmol/l", "mmol/L", 80, 200, true},
    {"potassium", "mmol/l", "mmol/L", 0.8, 15, false},
    {"glucose", "mmol/l", "mmol/L", 0, 150, true},
    {"glucose", "mg/dl", "mg/dL", 0, 2700, true},
    {"inr", "", "(INR)", 0.3, 20, true},
    {"afp", "ng/ml", "ng/mL", 0, 1e8, false},
    {"alt", "u/l", "U/L", 0, 50000, false},
    {"ast", "u/l", "U/L", 0, 50000, false},
    {"alp", "u/l", "U/L", 0, 20000, false},
    {"ggt", "u/l", "U/L", 0, 20000, false},
    {"platelets", "10^9/l", "x10^9/L", 0, 5000, false},
    {"neutrophils", "10^9/l", "x10^9/L", 0, 1000, false},
    {"lymphocytes", "10^9/l", "x10^9/L", 0, 1000, false},
    {"wbc", "10^9/l", "x10^9/L", 0, 1000, false},
    {"hemoglobin", "g/l", "g/L", 5, 250, false},
    {"hemoglobin", "mmol/l", "mmol/L", 0.3, 15.5, false},
    {"magnesium", "mmol/l", "mmol/L", 0, 10, true},
    {"magnesium", "mg/dl", "mg/dL", 0, 24.3, true},
    {"calcium", "mmol/l", "mmol/L", 0.5, 6, false},
    {"calcium", "mg/dl", "mg/dL", 2, 24, false},
    {"calcium_ionized", "mmol/l", "mmol/L", 0.2, 3.5, false},
    {"calcium_ionized", "mg/dl", "mg/dL", 0.8, 14, false},
    {"phosphate", "mmol/l", "mmol/L", 0, 10, true},
    {"phosphate", "mg/dl", "mg/dL", 0, 31, true},
};

std::string shown_of(const Quantity& q) { return q.text.empty() ? num(q.value) : q.text; }

}  // namespace

std::optional<PlausibleRange> plausible_range(std::string_view analyte, std::string_view unit) {
  const std::string u = canonical_unit(unit);
  for (const RangeRow& r : kRanges)
    if (analyte == r.analyte && u == r.unit) return PlausibleRange{r.lo, r.hi, r.lo_exclusive, r.shown};
  return std::nullopt;
}

double require_plausible(double value, std::string_view analyte, std::string_view unit, const std::string& where,
                         const std::string& field, const std::string& shown) {
  const std::optional<PlausibleRange> r = plausible_range(analyte, unit);
  if (!r) {
    throw Error(ErrorCategory::internal,
                "no plausible range for " + std::string(analyte) + " in '" + std::string(unit) + "'");
  }
  const bool low_ok = r->lo_exclusive ? value > r->lo : value >= r->lo;
  if (!std::isfinite(value) || !low_ok || !(value <= r->hi)) {
    const std::string unit_text = r->unit == "(INR)" ? "" : " " + r->unit;
    fail_input(where, field, shown,
               "physiologically impossible (a unit mix-up?): expected " +
                   std::string(r->lo_exclusive ? "more than " : "from ") + num(r->lo) +
                   (r->lo_exclusive ? " and at most " : " to ") + num(r->hi) + unit_text);
  }
  return value;
}

double bilirubin_mg_dl(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  double mg_dl;
  if (u == "mg/dl") mg_dl = q.value;
  else if (u == "umol/l") mg_dl = q.value / 17.1;  // 17.1 µmol/L per mg/dL (Child-Pugh SI table)
  else bad_unit(q, field, "mg/dL or µmol/L");
  return require_plausible(mg_dl, "bilirubin", "mg/dL", "value", std::string(field), shown_of(q));
}

double bilirubin_umol_l(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  if (u == "umol/l") return require_plausible(q.value, "bilirubin", "umol/L", "value", std::string(field), shown_of(q));
  return bilirubin_mg_dl(q, field) * 17.1;
}

double albumin_g_dl(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  double g_dl;
  if (u == "g/dl") g_dl = q.value;
  else if (u == "g/l") g_dl = q.value / 10.0;
  else bad_unit(q, field, "g/dL or g/L");
  return require_plausible(g_dl, "albumin", "g/dL", "value", std::string(field), shown_of(q));
}

double albumin_g_l(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  if (u == "g/l") return require_plausible(q.value, "albumin", "g/L", "value", std::string(field), shown_of(q));
  return albumin_g_dl(q, field) * 10.0;
}

double creatinine_mg_dl(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  double mg_dl;
  if (u == "mg/dl") mg_dl = q.value;
  else if (u == "umol/l") mg_dl = q.value / 88.4;  // 88.4 µmol/L per mg/dL (KDIGO 2012)
  else bad_unit(q, field, "mg/dL or µmol/L");
  return require_plausible(mg_dl, "creatinine", "mg/dL", "value", std::string(field), shown_of(q));
}

double sodium_mmol_l(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  if (u != "mmol/l" && u != "meq/l") bad_unit(q, field, "mmol/L or mEq/L");
  return require_plausible(q.value, "sodium", "mmol/L", "value", std::string(field), shown_of(q));
}

double afp_ng_ml(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  if (u != "ng/ml" && u != "ug/l") bad_unit(q, field, "ng/mL or µg/L");
  return require_plausible(q.value, "afp", "ng/mL", "value", std::string(field), shown_of(q));
}

double inr_value(const Quantity& q, std::string_view field) {
  const std::string u = canonical_unit(q.unit);
  if (!u.empty() && u != "inr") bad_unit(q, field, "a bare number (INR has no unit)");
  return require_plausible(q.value, "inr", "", "value", std::string(field), shown_of(q));
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

void require_plausible_quantity(const Quantity& q, std::string_view analyte, const std::string& where,
                                const std::string& field) {
  const std::string shown = q.text.empty() ? num(q.value) : q.text;
  for (const RangeRow& r : kRanges) {
    if (analyte != r.analyte) continue;
    double v;
    try {
      v = convert_quantity(q, r.shown, analyte, field);
    } catch (const Error&) {
      continue;  // another unit of the analyte may fit
    }
    require_plausible(v, analyte, r.unit, where, field, shown);
    return;
  }
  const std::optional<Dim> d = dimension_of(canonical_unit(q.unit));
  if (!d) return;
  // By dimension (sirtkit's plausibility limits, see kRanges): the base unit's range.
  struct DimRange { const char* dimension; double lo, hi; const char* unit; };
  static const DimRange kDims[] = {
      {"percent", 0, 100, "%"},        {"dose", 0, 5000, "Gy"},    {"length", 0, 0.5, "m (500 mm)"},
      {"years", 0, 130, "years"},      {"activity", 0, 1e12, "Bq (1000 GBq)"},
      {"volume", 0, 50, "L"},          {"mass", 0, 500, "kg"},
  };
  for (const DimRange& r : kDims) {
    if (d->dimension != r.dimension) continue;
    const double v = q.value * d->factor;
    if (!std::isfinite(v) || v < r.lo || v > r.hi)
      fail_input(where, field, shown,
                 "physiologically impossible: expected " + num(r.lo) + " to " + num(r.hi) + " " + r.unit);
    return;
  }
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
