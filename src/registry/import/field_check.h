#pragma once
// The checks of one value of a catalogue field (field_catalog.h) and of one lab
// result, shared by every way data enters the registry: the REDCap and mapped
// CSV imports (redcap_import.cpp) and the server's data-entry forms
// (pipelines/registry/registry_entry.h). One validator: a value the import refuses, the
// forms refuse with the same words.

#include <optional>
#include <string>

#include "registry/import/field_catalog.h"

namespace sirtkit::registry {

// Plain decimal integers ("-3", "+12"; at most 18 characters) and numbers
// (no hex, inf, nan, commas, leading blanks).
std::optional<long long> parse_integer(const std::string& s);
std::optional<double> parse_number(const std::string& s);

struct FieldCheck {
  std::optional<std::string> value;  // the value as the registry stores it, when accepted
  std::string expected;              // what was expected, when refused
  bool ok() const { return value.has_value(); }
};

// One value of `spec`: text (trimmed, at most max_text_length characters, and
// -- unless `coded`, a code of a dictionary -- without a recognisable
// identifier), integer and real (the catalogue's plausibility range), date
// (ISO YYYY-MM-DD, 1900-01-01 to today), flag (0/1), choice (the vocabulary,
// spelling-insensitive: "Non-target" is non_target; `label` is a second
// spelling to try, e.g. a REDCap choice label).
FieldCheck check_field_value(const FieldSpec& spec, const std::string& text, bool coded = false, const std::string* label = nullptr);

// A study day (days from the patient's index date, day 0) as the registry
// stores a date: an integer within 100 years of day 0 (36525 days).
FieldCheck check_study_day(const std::string& text);
inline constexpr long long max_study_day = 36525;

struct LabProblem {
  std::string field;     // lab_unit or lab_value
  std::string expected;
};
// A lab result: the unit is one the test accepts (lab_catalog) and the value
// is plausible in that unit (clinical/units.h converts and checks bilirubin,
// albumin, creatinine, sodium, AFP, INR; the others: lab_catalog's range).
// `test` must already be a test of lab_catalog, `value` a number.
std::optional<LabProblem> check_lab_result(const std::string& test, double value, const std::string& value_text, const std::string& unit);

}  // namespace sirtkit::registry
