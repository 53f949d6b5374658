#pragma once
// Conversions of a source column's unit to the unit a registry field is named
// after (bilirubin_umol_l takes µmol/L, delivered_activity_gbq GBq, ...), for
// the plain-CSV import with a mapping file (csv_mapping.h). Only conversions
// that are exact by definition, or fixed by a cited clinical convention, are
// known; anything else is refused rather than guessed.

#include <optional>
#include <string>
#include <vector>

namespace sirtkit::registry {

// The unit a registry field is named after, in canonical spelling
// (clinical::canonical_unit: lower case, µ → u), or "" for a field without one.
std::string registry_unit(const std::string& field);

// Factor f such that value_in_registry_unit = f × value_in_source_unit, or
// nullopt when the conversion is not known for this field.
std::optional<double> factor_to_registry_unit(const std::string& field, const std::string& source_unit);

// Source units accepted for a field (for messages), e.g. {"umol/l", "mg/dl"}.
std::vector<std::string> accepted_units(const std::string& field);

}  // namespace sirtkit::registry
