#pragma once
// The REDCap fields sirtkit knows: for each, the registry table and column it
// fills, its kind, and the plausibility range or vocabulary it must satisfy.
// Fields of an import that are not in this catalogue are validated against the
// data dictionary and then dropped (never stored): identifiers, free text, and
// anything sirtkit has no column for. docs/registry.md lists the catalogue.

#include <string>
#include <vector>

namespace sirtkit::registry {

enum class FieldGroup { patient, lesion, treatment, lab, adverse_event, followup };
enum class FieldKind { text, integer, real, date, flag, choice };

struct FieldSpec {
  std::string name;          // REDCap variable name
  FieldGroup group;
  std::string table;         // registry table it fills ("" = used, never stored: birth_date)
  std::string column;        // registry column (for dates: the study-day column)
  FieldKind kind;
  double min = 0, max = 0;   // integer / real: inclusive plausibility range
  std::vector<std::string> values;  // choice: canonical vocabulary
  bool required = false;     // the registry needs it whatever the dictionary says
};

const std::vector<FieldSpec>& field_catalog();
const FieldSpec* find_field(const std::string& name);
const char* group_name(FieldGroup g);

// Lab tests the registry accepts and the units allowed for each.
struct LabSpec {
  std::string test;
  std::vector<std::string> units;  // canonical spellings (clinical::canonical_unit)
  double min, max;                 // plausibility range in any accepted unit's scale (checked by clinical/units when available)
};
const std::vector<LabSpec>& lab_catalog();

// Whitelisted text fields hold short coded text, not notes: at most this many characters.
constexpr std::size_t max_text_length = 64;

}  // namespace sirtkit::registry
