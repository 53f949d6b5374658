#pragma once
// Laboratory quantities with their units, and the conversions the clinical rules
// need. A value without a unit, or with a unit that does not fit the analyte,
// is an error: a bilirubin of "1.2" may be mg/dL or µmol/L and sirtkit never guesses.
//
// Conversion factors (each exact or as printed in the rule's source):
//  - bilirubin: 1 mg/dL = 17.1 µmol/L (clinical-rules.md §2.1; Child-Pugh SI table)
//  - albumin:   1 g/dL  = 10 g/L (exact)
//  - creatinine: 1 mg/dL = 88.4 µmol/L (molar mass 113.12 g/mol; KDIGO 2012 conversion)
//  - sodium:    1 mEq/L = 1 mmol/L (monovalent, exact)
//  - AFP:       1 ng/mL = 1 µg/L (exact)
//  - length:    1 cm = 10 mm (exact)

#include <optional>
#include <string>
#include <string_view>

namespace sirtkit::clinical {

// A number and its unit as the user wrote it ("1.2mg/dL" → 1.2, "mg/dL").
struct Quantity {
  double value = 0;
  std::string unit;  // as written, trimmed; empty for a bare number
  std::string text;  // the original text, for messages
};

// Parses "<number><unit>" or "<number> <unit>". The number must be finite.
// `field` names the value in error messages.
Quantity parse_quantity(std::string_view text, std::string_view field);

// Canonical spelling of a unit for comparison: lower case, µ/μ → u, spaces removed,
// "mcmol" → "umol", "meq" → "mmol" is NOT done here (only in sodium).
std::string canonical_unit(std::string_view unit);

// Each conversion checks the unit and a physiological range (values outside it are
// impossible or a unit mix-up: an albumin of 35 g/dL) and fails with bad_input
// naming `field`, the value and what was expected.
double bilirubin_mg_dl(const Quantity& q, std::string_view field = "bilirubin");
double bilirubin_umol_l(const Quantity& q, std::string_view field = "bilirubin");
double albumin_g_dl(const Quantity& q, std::string_view field = "albumin");
double albumin_g_l(const Quantity& q, std::string_view field = "albumin");
double creatinine_mg_dl(const Quantity& q, std::string_view field = "creatinine");
double sodium_mmol_l(const Quantity& q, std::string_view field = "sodium");
double afp_ng_ml(const Quantity& q, std::string_view field = "afp");
// INR is dimensionless: a bare number (or the unit "INR").
double inr_value(const Quantity& q, std::string_view field = "inr");
double length_mm(const Quantity& q, std::string_view field = "size");
double seconds_value(const Quantity& q, std::string_view field = "time");  // s, sec, seconds
double length_cm(const Quantity& q, std::string_view field = "size");

// The physiologically possible range of an analyte in one unit: values outside it cannot
// come from a living patient (an albumin of 28 g/dL, a sodium of 14 mmol/L, platelets of
// 40000 x10^9/L) and are almost always a unit mix-up. These are sirtkit's plausibility
// limits, not clinical thresholds. Analytes: bilirubin, albumin, creatinine, sodium,
// potassium, glucose, inr, afp, alt, ast, alp, ggt, platelets, neutrophils, lymphocytes,
// wbc, hemoglobin, magnesium, calcium, calcium_ionized, phosphate. `unit` is any spelling
// canonical_unit() maps to the table's (count units as "10^9/L").
struct PlausibleRange {
  double lo = 0, hi = 0;
  bool lo_exclusive = false;  // (lo, hi] instead of [lo, hi]
  std::string unit;           // as printed in messages
};
std::optional<PlausibleRange> plausible_range(std::string_view analyte, std::string_view unit);
// `value` (in `unit`) if within plausible_range(analyte, unit); otherwise bad_input naming
// `where`, `field` and `shown` (the value as the user wrote it). An analyte/unit pair
// without a range is an internal error (every unit a reader accepts has one).
double require_plausible(double value, std::string_view analyte, std::string_view unit, const std::string& where,
                         const std::string& field, const std::string& shown);

// Plausibility of any quantity a user gives with its unit: the analyte's range above when
// `analyte` has one (converted to its unit), else a range by dimension (percent 0-100,
// dose 0-5000 Gy, length 0-500 mm, age-like years 0-130, activity 0-1000 GBq, volume
// 0-50 L, mass 0-500 kg). Quantities of other dimensions are not checked.
void require_plausible_quantity(const Quantity& q, std::string_view analyte, const std::string& where,
                                const std::string& field);

// Converts a quantity to `unit` within one dimension (length, mass or molar concentration,
// dose, activity, volume, mass, percent, days/weeks, dimensionless). Mass and molar
// concentrations convert into each other only for a named analyte with a known factor
// ("bilirubin": 17.1 µmol/L per mg/dL; "creatinine": 88.4; "sodium": mEq/L = mmol/L).
// Anything else is bad_input naming `field`, the value and the unit expected.
double convert_quantity(const Quantity& q, std::string_view unit, std::string_view analyte, std::string_view field);

// Comparisons tolerant to conversion round-off (34.2 µmol/L / 17.1 must equal 2.0 mg/dL),
// like admiral's signif(x, 15): values within a relative 1e-12 are equal.
bool approx_equal(double a, double b);
bool less(double a, double b);           // a < b and not approx_equal
bool less_equal(double a, double b);     // a < b or approx_equal
bool greater(double a, double b);        // a > b and not approx_equal
bool greater_equal(double a, double b);  // a > b or approx_equal

}  // namespace sirtkit::clinical
