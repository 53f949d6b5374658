#include "clinical/toxicity/ctcae_lab.h"

#include <array>
#include <cctype>
#include <cmath>
#include <vector>

#include "clinical/units.h"
#include "core/text.h"
#include "core/error.h"
#include "core/format.h"

namespace sirtkit::clinical {
namespace {


// Canonical spelling of count units: "x10^9/L", "10E9/L", "10*9/l", "G/L" → "10^9/l";
// "/mm3", "cells/µL" → "/ul"; "10^3/mm3" → "10^3/ul".
std::string unit_key(std::string_view unit) {
  std::string u = canonical_unit(unit);
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t p = u.find(from); p != std::string::npos; p = u.find(from, p + to.size())) u.replace(p, from.size(), to);
  };
  if (u.rfind("\xc3\x97", 0) == 0) u = u.substr(2);  // leading ×
  if (!u.empty() && u[0] == 'x') u = u.substr(1);
  replace_all("\xe2\x81\xb9", "^9");  // superscript 9
  replace_all("\xc2\xb3", "^3");      // superscript 3
  replace_all("10e9", "10^9");
  replace_all("10*9", "10^9");
  replace_all("10e3", "10^3");
  replace_all("10*3", "10^3");
  replace_all("mm^3", "ul");
  replace_all("mm3", "ul");
  replace_all("cells/", "/");
  return u;
}

struct UnitRule {
  const char* key;  // unit_key spelling
  int family;       // which threshold set applies
  double factor;    // multiply to get the family's grading unit
};

// Accepted units per test. Families: 0 = SI (or the only one), 1 = US conventional,
// 2 = haemoglobin in mmol/L. Factors are exact definitions (1 g/dL = 10 g/L,
// 1 µkat/L = 60 U/L, 1 ×10^3/µL = 1 ×10^9/L, 1 mmol/L Mg or Ca = 2 mEq/L) or the
// ones used for Child-Pugh/MELD (bilirubin 17.1, creatinine 88.4 µmol/L per mg/dL).
const std::vector<UnitRule>& unit_rules(LabTest t) {
  static const std::vector<UnitRule> enzymes = {{"u/l", 0, 1}, {"iu/l", 0, 1}, {"ukat/l", 0, 60}};
  static const std::vector<UnitRule> bili = {{"mg/dl", 0, 1}, {"umol/l", 0, 1 / 17.1}};
  static const std::vector<UnitRule> creat = {{"mg/dl", 0, 1}, {"umol/l", 0, 1 / 88.4}};
  static const std::vector<UnitRule> albumin = {{"g/l", 0, 1}, {"g/dl", 0, 10}};
  static const std::vector<UnitRule> counts = {{"10^9/l", 0, 1}, {"g/l", 0, 1},     {"10^3/ul", 0, 1},
                                               {"k/ul", 0, 1},   {"/ul", 0, 1e-3}, {"/l", 0, 1e-9}};
  static const std::vector<UnitRule> hgb = {{"g/l", 0, 1}, {"g/dl", 0, 10}, {"mmol/l", 2, 1}};
  static const std::vector<UnitRule> inr = {{"", 0, 1}, {"inr", 0, 1}, {"ratio", 0, 1}};
  static const std::vector<UnitRule> sodium = {{"mmol/l", 0, 1}, {"meq/l", 0, 1}};
  static const std::vector<UnitRule> mg_ca = {{"mmol/l", 0, 1}, {"meq/l", 0, 0.5}, {"mg/dl", 1, 1}};
  static const std::vector<UnitRule> phos = {{"mmol/l", 0, 1}, {"mg/dl", 1, 1}};
  static const std::vector<UnitRule> potassium = {{"mmol/l", 0, 1}, {"meq/l", 0, 1}};  // monovalent: 1 mEq = 1 mmol
  static const std::vector<UnitRule> glucose = {{"mmol/l", 0, 1}, {"mg/dl", 1, 1}};
  switch (t) {
    case LabTest::alt: case LabTest::ast: case LabTest::alp: case LabTest::ggt: return enzymes;
    case LabTest::bilirubin: return bili;
    case LabTest::creatinine: return creat;
    case LabTest::albumin: return albumin;
    case LabTest::platelets: case LabTest::neutrophils: case LabTest::lymphocytes: case LabTest::wbc: return counts;
    case LabTest::hemoglobin: return hgb;
    case LabTest::inr: return inr;
    case LabTest::sodium: return sodium;
    case LabTest::magnesium: case LabTest::calcium: case LabTest::calcium_ionized: return mg_ca;
    case LabTest::phosphate: return phos;
    case LabTest::potassium: return potassium;
    case LabTest::glucose: return glucose;
  }
  return enzymes;
}

// The unit a test's value is in after UnitRule::factor (the unit of its CTCAE thresholds),
// for the plausibility check of units.h.
const char* grading_unit(LabTest t, int family) {
  switch (t) {
    case LabTest::alt: case LabTest::ast: case LabTest::alp: case LabTest::ggt: return "U/L";
    case LabTest::bilirubin: case LabTest::creatinine: return "mg/dL";
    case LabTest::albumin: return "g/L";
    case LabTest::platelets: case LabTest::neutrophils: case LabTest::lymphocytes: case LabTest::wbc: return "10^9/L";
    case LabTest::hemoglobin: return family == 2 ? "mmol/L" : "g/L";
    case LabTest::inr: return "";
    case LabTest::sodium: case LabTest::potassium: return "mmol/L";
    case LabTest::magnesium: case LabTest::calcium: case LabTest::calcium_ionized: case LabTest::phosphate:
    case LabTest::glucose: return family == 1 ? "mg/dL" : "mmol/L";
  }
  return "";
}

const UnitRule& find_unit(LabTest t, std::string_view unit, std::string_view field, double value) {
  const std::string key = unit_key(unit);
  for (const UnitRule& r : unit_rules(t))
    if (key == r.key) return r;
  std::string accepted;
  for (const UnitRule& r : unit_rules(t)) accepted += std::string(accepted.empty() ? "" : ", ") + (*r.key ? r.key : "(none)");
  // The value is shown, and the unit when it is a unit sirtkit knows for some
  // test (mg/dL given for ALT); any other text is not (a cell may hold anything).
  bool known = false;
  for (int k = 0; k <= static_cast<int>(LabTest::glucose) && !known; ++k)
    for (const UnitRule& r : unit_rules(static_cast<LabTest>(k)))
      known = known || (*r.key && key == r.key);
  fail_input("unit", std::string(field), num(value) + (unit.empty() ? "" : known ? " " + std::string(unit) : " (unit not shown)"),
             std::string(unit.empty() ? "a unit is required" : "unit not accepted") + " for " + lab_test_name(t) +
                 ": expected one of " + accepted);
}

struct Thresholds {  // "decreased" terms: grade g when value < t[g] (g = 4, 3, 2); t[1] unused (LLN)
  double g4, g3, g2;
};

// CTCAE v5.0 absolute thresholds per unit family (§3.2; admiral SI and US JSON).
std::optional<Thresholds> low_thresholds(LabTest t, int family) {
  switch (t) {
    case LabTest::platelets: return Thresholds{25, 50, 75};      // ×10^9/L
    case LabTest::neutrophils: return Thresholds{0.5, 1.0, 1.5};
    case LabTest::lymphocytes: return Thresholds{0.2, 0.5, 0.8};
    case LabTest::wbc: return Thresholds{1.0, 2.0, 3.0};
    case LabTest::albumin: return Thresholds{NAN, 20, 30};       // g/L; grade 4 is clinical
    case LabTest::hemoglobin:
      if (family == 2) return Thresholds{NAN, 4.9, 6.2};         // mmol/L (CTCAE text)
      return Thresholds{NAN, 80, 100};                           // g/L; grade 4 is clinical
    case LabTest::magnesium:
      if (family == 1) return Thresholds{0.7, 0.9, 1.2};         // mg/dL
      return Thresholds{0.3, 0.4, 0.5};                          // mmol/L
    case LabTest::calcium:
      if (family == 1) return Thresholds{6.0, 7.0, 8.0};         // mg/dL (corrected)
      return Thresholds{1.5, 1.75, 2.0};                         // mmol/L
    case LabTest::calcium_ionized:
      if (family == 1) return Thresholds{3.2, 3.6, 4.0};         // mg/dL
      return Thresholds{0.8, 0.9, 1.0};                          // mmol/L
    case LabTest::glucose:  // CTCAE v5.0 Hypoglycemia: < LLN-55 / < 55-40 / < 40-30 / < 30 mg/dL
      if (family == 1) return Thresholds{30, 40, 55};            // mg/dL
      return Thresholds{1.7, 2.2, 3.0};                          // mmol/L (< LLN-3.0 / < 3.0-2.2 / < 2.2-1.7 / < 1.7)
    default: return std::nullopt;
  }
}

LabGrade graded(int g, const char* basis, std::string why) { return {g, "", basis, std::move(why)}; }
LabGrade not_gradable(std::string why) { return {std::nullopt, "", "", std::move(why)}; }

struct HighThresholds {  // "hyper" terms: grade g when value > t (NAN: no such grade); G1 > ULN
  double g4, g3, g2;
};

// CTCAE v5.0 "hyper" terms (admiral ncictcaev5 / ncictcaev5_uscv JSON).
std::optional<HighThresholds> high_thresholds(LabTest t, int family) {
  switch (t) {
    case LabTest::sodium: return HighThresholds{160, 155, 150};  // Hypernatremia, mmol/L
    case LabTest::magnesium:  // Hypermagnesemia: no grade 2
      if (family == 1) return HighThresholds{8.0, 3.0, NAN};     // mg/dL
      return HighThresholds{3.30, 1.23, NAN};                    // mmol/L
    case LabTest::calcium:    // Hypercalcemia (corrected)
      if (family == 1) return HighThresholds{13.5, 12.5, 11.5};  // mg/dL
      return HighThresholds{3.4, 3.1, 2.9};                      // mmol/L
    case LabTest::calcium_ionized:
      if (family == 1) return HighThresholds{7.2, 6.4, 6.0};     // mg/dL
      return HighThresholds{1.8, 1.6, 1.5};                      // mmol/L
    // CTCAE v5.0 Hyperkalemia: > ULN-5.5 / > 5.5-6.0 / > 6.0-7.0 / > 7.0 mmol/L
    case LabTest::potassium: return HighThresholds{7.0, 6.0, 5.5};
    default: return std::nullopt;
  }
}

const char* high_term(LabTest t) {
  switch (t) {
    case LabTest::sodium: return "Hypernatremia";
    case LabTest::magnesium: return "Hypermagnesemia";
    case LabTest::calcium: return "Hypercalcemia";
    case LabTest::calcium_ionized: return "Hypercalcemia (ionized)";
    case LabTest::potassium: return "Hyperkalemia";
    case LabTest::glucose: return "Hyperglycemia";
    default: return nullptr;
  }
}

LabGrade grade_high_absolute(const HighThresholds& th, double v, std::optional<double> uln) {
  if (greater(v, th.g4)) return graded(4, "absolute", "> " + num(th.g4));
  if (greater(v, th.g3)) return graded(3, "absolute", "> " + num(th.g3));
  if (!std::isnan(th.g2) && greater(v, th.g2)) return graded(2, "absolute", "> " + num(th.g2));
  if (!uln) return not_gradable("ULN needed to tell grade 1 from 0");
  if (greater(v, *uln)) return graded(1, "absolute", "> ULN");
  return graded(0, "absolute", "<= ULN");
}

// "Decreased" terms with absolute thresholds and grade 1 "< LLN".
LabGrade grade_low(const Thresholds& th, double v, std::optional<double> lln) {
  if (!std::isnan(th.g4) && less(v, th.g4)) return graded(4, "absolute", "< " + num(th.g4));
  if (less(v, th.g3)) return graded(3, "absolute", "< " + num(th.g3));
  if (less(v, th.g2)) return graded(2, "absolute", "< " + num(th.g2));
  if (!lln) return not_gradable("LLN needed to tell grade 1 from 0");
  if (less(v, *lln)) return graded(1, "absolute", "< LLN");
  return graded(0, "absolute", ">= LLN");
}

struct Multipliers {  // "increased" terms: grade g when value > m[g] × reference
  double g4, g3, g2, g1;
  bool g1_inclusive;  // G1 uses ≥ (admiral: ALT/AST ≥ 1.5×BASE, ALP ≥ 2×BASE)
};

LabGrade grade_high(const Multipliers& m, double v, double ref, const char* basis) {
  const std::string b = basis;
  if (greater(v, m.g4 * ref)) return graded(4, basis, "> " + num(m.g4) + " " + b);
  if (greater(v, m.g3 * ref)) return graded(3, basis, "> " + num(m.g3) + " " + b);
  if (greater(v, m.g2 * ref)) return graded(2, basis, "> " + num(m.g2) + " " + b);
  if (m.g1_inclusive ? greater_equal(v, m.g1 * ref) : greater(v, m.g1 * ref))
    return graded(1, basis, std::string(m.g1_inclusive ? ">= " : "> ") + num(m.g1) + " " + b);
  return graded(0, basis, "below grade 1");
}

// ALT, AST, bilirubin, ALP, GGT: multiples of ULN if baseline normal, of baseline if abnormal.
LabGrade grade_liver(LabTest t, double v, std::optional<double> uln, std::optional<double> base,
                     std::optional<double> base_uln, bool missing_baseline_is_normal) {
  Multipliers normal, abnormal;
  switch (t) {
    case LabTest::alt: case LabTest::ast:
      // bl normal > ULN-3 / > 3-5 / > 5-20 / > 20 ×ULN; bl abnormal 1.5-3 / > 3-5 / > 5-20 / > 20 ×bl
      normal = {20, 5, 3, 1, false};
      abnormal = {20, 5, 3, 1.5, true};  // admiral: G1 AVAL >= 1.5*BASE
      break;
    case LabTest::bilirubin:
      // bl normal > ULN-1.5 / > 1.5-3 / > 3-10 / > 10 ×ULN; bl abnormal > 1-1.5 / ... ×bl
      normal = {10, 3, 1.5, 1, false};
      abnormal = {10, 3, 1.5, 1, false};  // admiral: G1 AVAL > BASE
      break;
    default:  // ALP, GGT: > ULN-2.5 / > 2.5-5 / > 5-20 / > 20 ×ULN; bl abnormal 2-2.5 / ... ×bl
      normal = {20, 5, 2.5, 1, false};
      abnormal = {20, 5, 2.5, 2, true};  // ≥ 2×bl for both ALP and GGT (admiral uses > for GGT; §3.2)
      break;
  }
  if (!base) {
    if (!missing_baseline_is_normal)
      return not_gradable("baseline needed: CTCAE v5 grades this term on ULN or baseline multiples");
    if (!uln) return not_gradable("ULN needed");
    return grade_high(normal, v, *uln, "x ULN");  // baseline assumed normal (admiral convention)
  }
  const std::optional<double> buln = base_uln ? base_uln : uln;
  if (!buln) return not_gradable("ULN needed to tell whether the baseline was normal");
  if (greater(*base, *buln)) return grade_high(abnormal, v, *base, "x baseline");
  if (!uln) return not_gradable("ULN needed");
  return grade_high(normal, v, *uln, "x ULN");
}

// CTCAE v5.0 INR increased: G1 > 1.2-1.5, G2 > 1.5-2.5, G3 > 2.5; "if on anticoagulation"
// instead > 1-1.5, > 1.5-2.5, > 2.5 x baseline. No grade 4.
LabGrade grade_inr(double v, std::optional<double> base, std::optional<bool> anticoagulated) {
  auto absolute = [&]() -> LabGrade {
    if (greater(v, 2.5)) return graded(3, "absolute", "> 2.5");
    if (greater(v, 1.5)) return graded(2, "absolute", "> 1.5");
    if (greater(v, 1.2)) return graded(1, "absolute", "> 1.2");
    return graded(0, "absolute", "<= 1.2");
  };
  auto x_baseline = [&]() -> LabGrade {
    if (greater(v, 2.5 * *base)) return graded(3, "x baseline", "> 2.5 x baseline (anticoagulated)");
    if (greater(v, 1.5 * *base)) return graded(2, "x baseline", "> 1.5 x baseline (anticoagulated)");
    if (greater(v, *base)) return graded(1, "x baseline", "> baseline (anticoagulated)");
    return graded(0, "x baseline", "<= baseline (anticoagulated)");
  };
  if (anticoagulated == false) return absolute();
  if (anticoagulated == true) {
    if (!base) return not_gradable("baseline needed: an anticoagulated patient's INR is graded on baseline multiples");
    return x_baseline();
  }
  // Anticoagulation not recorded: the worse reading (admiral's "assume on anticoagulation").
  LabGrade a = absolute();
  if (!base) {
    if (*a.grade > 0) {
      a.basis = "absolute (anticoagulation not recorded)";
      return a;
    }
    return not_gradable("anticoagulation not recorded and no baseline: an INR <= 1.2 cannot be called normal");
  }
  LabGrade b = x_baseline();
  LabGrade& worse = *b.grade > *a.grade ? b : a;
  worse.basis += " (anticoagulation not recorded: worse of absolute and x baseline)";
  return worse;
}

}  // namespace

LabTest parse_lab_test(std::string_view text) {
  const std::string t = ascii_lower(text);
  if (t == "alt" || t == "alat" || t == "sgpt") return LabTest::alt;
  if (t == "ast" || t == "asat" || t == "sgot") return LabTest::ast;
  if (t == "bilirubin" || t == "total_bilirubin" || t == "bili" || t == "tbil") return LabTest::bilirubin;
  if (t == "alp" || t == "alkaline_phosphatase") return LabTest::alp;
  if (t == "ggt" || t == "gamma_gt") return LabTest::ggt;
  if (t == "albumin" || t == "alb") return LabTest::albumin;
  if (t == "platelets" || t == "plt" || t == "platelet") return LabTest::platelets;
  if (t == "neutrophils" || t == "anc" || t == "neutrophil") return LabTest::neutrophils;
  if (t == "lymphocytes" || t == "lymphocyte" || t == "alc") return LabTest::lymphocytes;
  if (t == "wbc" || t == "leukocytes" || t == "white_blood_cells") return LabTest::wbc;
  if (t == "hemoglobin" || t == "haemoglobin" || t == "hgb" || t == "hb") return LabTest::hemoglobin;
  if (t == "inr") return LabTest::inr;
  if (t == "creatinine" || t == "creat") return LabTest::creatinine;
  if (t == "sodium" || t == "na") return LabTest::sodium;
  if (t == "magnesium" || t == "mg") return LabTest::magnesium;
  if (t == "phosphate" || t == "phosphorus") return LabTest::phosphate;
  if (t == "calcium" || t == "calcium_corrected" || t == "ca") return LabTest::calcium;
  if (t == "calcium_ionized" || t == "calcium_ionised" || t == "ica") return LabTest::calcium_ionized;
  if (t == "potassium" || t == "k") return LabTest::potassium;
  if (t == "glucose" || t == "glu" || t == "blood_glucose") return LabTest::glucose;
  fail_input("value", "test", shown_value(text),
             "one of alt, ast, bilirubin, alp, ggt, albumin, platelets, neutrophils, lymphocytes, wbc, "
             "hemoglobin, inr, creatinine, sodium, potassium, glucose, magnesium, phosphate, calcium, "
             "calcium_ionized");
}

const char* lab_test_name(LabTest t) {
  static const char* kNames[] = {"alt", "ast", "bilirubin", "alp", "ggt", "albumin", "platelets", "neutrophils",
                                 "lymphocytes", "wbc", "hemoglobin", "inr", "creatinine", "sodium", "magnesium",
                                 "phosphate", "calcium", "calcium_ionized", "potassium", "glucose"};
  return kNames[static_cast<int>(t)];
}

const char* ctcae_term(LabTest t) {
  switch (t) {
    case LabTest::alt: return "Alanine aminotransferase increased";
    case LabTest::ast: return "Aspartate aminotransferase increased";
    case LabTest::bilirubin: return "Blood bilirubin increased";
    case LabTest::alp: return "Alkaline phosphatase increased";
    case LabTest::ggt: return "GGT increased";
    case LabTest::albumin: return "Hypoalbuminemia";
    case LabTest::platelets: return "Platelet count decreased";
    case LabTest::neutrophils: return "Neutrophil count decreased";
    case LabTest::lymphocytes: return "Lymphocyte count decreased";
    case LabTest::wbc: return "White blood cell decreased";
    case LabTest::hemoglobin: return "Anemia";
    case LabTest::inr: return "INR increased";
    case LabTest::creatinine: return "Creatinine increased";
    case LabTest::sodium: return "Hyponatremia";
    case LabTest::magnesium: return "Hypomagnesemia";
    case LabTest::phosphate: return "Hypophosphatemia";
    case LabTest::calcium: return "Hypocalcemia";
    case LabTest::calcium_ionized: return "Hypocalcemia (ionized)";
    case LabTest::potassium: return "Hypokalemia";
    case LabTest::glucose: return "Hypoglycemia";
  }
  return "?";
}

double ctcae_grading_value(LabTest t, double value, std::string_view unit, std::string_view field) {
  const UnitRule& r = find_unit(t, unit, field, value);
  const std::string shown = num(value) + (unit.empty() ? "" : " " + std::string(unit));
  return require_plausible(value * r.factor, lab_test_name(t), grading_unit(t, r.family), "column value",
                           std::string(field), shown);
}

LabGrade grade_ctcae_v5(const LabValue& in) {
  const std::string field = lab_test_name(in.test);
  const UnitRule& ur = find_unit(in.test, in.unit, field, in.value);
  const double v = ctcae_grading_value(in.test, in.value, in.unit, field);
  // The reference range must be possible values of the test too (a ULN of 40000 x10^9/L is
  // the same unit mix-up as the value).
  auto conv = [&](std::optional<double> x, const char* what) -> std::optional<double> {
    if (!x) return std::nullopt;
    return require_plausible(*x * ur.factor, lab_test_name(in.test), grading_unit(in.test, ur.family),
                             std::string("column ") + what, field, num(*x) + (in.unit.empty() ? "" : " " + in.unit));
  };
  const std::optional<double> lln = conv(in.lln, "lln"), uln = conv(in.uln, "uln");
  if (lln && uln && *lln > *uln) fail_input("value", field + " lln", num(*in.lln), "LLN must not exceed ULN " + num(*in.uln));
  std::optional<double> base, base_uln;
  if (in.baseline) {
    const std::string bu = in.baseline_unit.empty() ? in.unit : in.baseline_unit;
    const UnitRule& br = find_unit(in.test, bu, field + " baseline", *in.baseline);
    if (br.family != ur.family)
      fail_input("unit", field + " baseline", num(*in.baseline) + " " + bu,
                 "baseline must be in the same unit family as the value (" + in.unit + ")");
    base = ctcae_grading_value(in.test, *in.baseline, bu, field + " baseline");
    if (in.baseline_uln) base_uln = *in.baseline_uln * br.factor;
  }

  LabGrade g;
  switch (in.test) {
    case LabTest::alt: case LabTest::ast: case LabTest::bilirubin: case LabTest::alp: case LabTest::ggt:
      g = grade_liver(in.test, v, uln, base, base_uln, in.missing_baseline_is_normal);
      break;
    case LabTest::inr:
      g = grade_inr(v, base, in.anticoagulated);
      break;
    case LabTest::creatinine: {
      // G4 > 6×ULN; G3 > 3×ULN or > 3×bl; G2 > 1.5×ULN or > 1.5×bl; G1 > ULN (§3.2)
      const bool has_uln = uln.has_value();
      if (has_uln && greater(v, 6 * *uln)) g = graded(4, "x ULN", "> 6 x ULN");
      else if ((has_uln && greater(v, 3 * *uln)) || (base && greater(v, 3 * *base))) g = graded(3, "x ULN or x baseline", "> 3 x ULN or > 3 x baseline");
      else if ((has_uln && greater(v, 1.5 * *uln)) || (base && greater(v, 1.5 * *base))) g = graded(2, "x ULN or x baseline", "> 1.5 x ULN or > 1.5 x baseline");
      else if (!has_uln) g = not_gradable("ULN needed");
      else if (greater(v, *uln)) g = graded(1, "x ULN", "> ULN");
      else g = graded(0, "x ULN", "<= ULN");
      break;
    }
    case LabTest::sodium: {
      // G4 < 120; G3 ≤ 129 (125-129 graded 3, "assume symptomatic"; 120-124); G1 < LLN (admiral, §3.2)
      if (less(v, 120)) g = graded(4, "absolute", "< 120 mmol/L");
      else if (less_equal(v, 129)) g = graded(3, "absolute", "<= 129 mmol/L (worst case: symptomatic)");
      else if (!lln) g = not_gradable("LLN needed to tell grade 1 from 0");
      else if (less(v, *lln)) g = graded(1, "absolute", "< LLN");
      else g = graded(0, "absolute", ">= LLN");
      break;
    }
    case LabTest::phosphate:
      g = not_gradable("CTCAE v5.0 Hypophosphatemia is graded on clinical criteria, not on the value");
      break;
    case LabTest::potassium: {
      // CTCAE v5.0 Hypokalemia: G4 < 2.5; G3 < 3.0-2.5; G1 < LLN-3.0 and G2 "symptomatic with
      // < LLN-3.0": the value cannot tell 1 from 2, so < LLN is graded 2 (worst case, as
      // admiral ncictcaev5 and as sirtkit grades hyponatremia 125-129 as 3)
      if (less(v, 2.5)) g = graded(4, "absolute", "< 2.5 mmol/L");
      else if (less(v, 3.0)) g = graded(3, "absolute", "< 3.0 mmol/L");
      else if (!lln) g = not_gradable("LLN needed to tell grade 2 from 0");
      else if (less(v, *lln)) g = graded(2, "absolute", "< LLN (worst case: symptomatic)");
      else g = graded(0, "absolute", ">= LLN");
      break;
    }
    default:
      g = grade_low(*low_thresholds(in.test, ur.family), v, lln);
      break;
  }
  g.term = ctcae_term(in.test);
  return g;
}

std::vector<LabGrade> grade_ctcae_v5_terms(const LabValue& in) {
  std::vector<LabGrade> out = {grade_ctcae_v5(in)};  // validates units and values
  if (const char* term = high_term(in.test)) {
    const std::string field = lab_test_name(in.test);
    const UnitRule& ur = find_unit(in.test, in.unit, field, in.value);
    const double v = in.value * ur.factor;
    const std::optional<double> uln = in.uln ? std::optional<double>(*in.uln * ur.factor) : std::nullopt;
    LabGrade g = in.test == LabTest::glucose
                     ? not_gradable("CTCAE v5.0 Hyperglycemia is graded on clinical criteria (treatment "
                                    "needed), not on the value")
                     : grade_high_absolute(*high_thresholds(in.test, ur.family), v, uln);
    g.term = term;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace sirtkit::clinical
