#pragma once
// CTCAE v5.0 grading of laboratory values (NCI CTCAE v5.0, 27 Nov 2017), encoded as
// in pharmaverse/admiral's ncictcaev5 criteria (clinical-rules.md §3.1-3.2): the worst
// grade is tested first and the first match wins; thresholds are strict except where
// the CTCAE text is inclusive; values within a relative 1e-12 are equal.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sirtkit::clinical {

enum class LabTest {
  alt, ast, bilirubin, alp, ggt, albumin, platelets, neutrophils, lymphocytes, wbc,
  hemoglobin, inr, creatinine, sodium, magnesium, phosphate, calcium, calcium_ionized,
  potassium, glucose,
};

// alt, ast, bilirubin, alp, ggt, albumin, platelets, neutrophils, lymphocytes, wbc,
// hemoglobin (haemoglobin, hgb), inr, creatinine, sodium, magnesium, phosphate,
// calcium (albumin-corrected serum calcium), calcium_ionized, potassium, glucose.
LabTest parse_lab_test(std::string_view text);
const char* lab_test_name(LabTest t);
// The CTCAE v5.0 term graded for the test ("Alanine aminotransferase increased").
const char* ctcae_term(LabTest t);

// One laboratory result. value, lln, uln share `unit`; baseline is in `baseline_unit`.
struct LabValue {
  LabTest test = LabTest::alt;
  double value = 0;
  std::string unit;                  // as written: "U/L", "mg/dL", "10^9/L", "g/dL", ...
  std::optional<double> lln, uln;    // local reference range, same unit as value
  std::optional<double> baseline;    // the patient's baseline value of this test
  std::string baseline_unit;         // unit of baseline (may differ; converted)
  std::optional<double> baseline_uln;  // ULN at baseline (defaults to uln), baseline_unit
  // Without a baseline, grade ALT/AST/bilirubin/ALP/GGT as if the baseline was normal
  // (admiral's convention: a missing BNRIND is "not high"). Off by default: sirtkit does not
  // assume a baseline it was not given.
  bool missing_baseline_is_normal = false;
  // INR only: is the patient on anticoagulation? CTCAE v5.0 grades an anticoagulated
  // patient's INR on multiples of the baseline, anyone else's on the absolute INR. Unknown
  // (empty): the worse of the two readings (admiral's "assume anticoagulation"), said so.
  std::optional<bool> anticoagulated;
};

struct LabGrade {
  std::optional<int> grade;  // 0..4; empty = not gradable (reason says why)
  std::string term;
  std::string basis;   // "x ULN", "x baseline", "absolute", ...
  std::string reason;  // why not gradable, or the criterion that matched
};

// Grades one value for its primary term (the "decreased"/"hypo" term for sodium,
// potassium, glucose, magnesium and calcium). Bad units, and values (or LLN/ULN) outside the
// physiologically possible range of units.h (platelets 40000 x10^9/L, albumin 28 g/dL)
// → bad_input naming the column and value.
// Baseline-dependent terms (ALT, AST, bilirubin, ALP, GGT) need a baseline: without
// one the grade is empty ("baseline needed") unless missing_baseline_is_normal.
LabGrade grade_ctcae_v5(const LabValue& v);
// Every CTCAE v5.0 term the value is graded for: the primary term, plus for sodium,
// potassium, glucose, magnesium, calcium and ionized calcium the "hyper" term
// (Hypernatremia, Hyperkalemia, ...; Hyperglycemia is not gradable from the value in v5.0).
std::vector<LabGrade> grade_ctcae_v5_terms(const LabValue& v);

// The value converted to the unit the CTCAE thresholds are written in for its unit
// family (e.g. 150000 /µL → 150 ×10^9/L). Exposed for tests and reports.
double ctcae_grading_value(LabTest t, double value, std::string_view unit, std::string_view field);

}  // namespace sirtkit::clinical
