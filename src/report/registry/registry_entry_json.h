#pragma once
// Data entry as the server's API sends it (GET /api/forms, and the answers of
// POST/PATCH/PUT of patients and their records): JSON from the values of
// report/registry/registry_entry_result.h.

#include <nlohmann/json.hpp>

#include "report/registry/registry_entry_result.h"

namespace sirtkit::report {

// The API's name of a refusal ("bad_field", "stale_version", ...).
const char* refusal_code(EntryRefusal::Kind kind);

// A refusal of a field's value (bad, missing, unknown field, or a missing
// reason), as opposed to a record not found, a stale version or a conflict.
bool is_field_refusal(EntryRefusal::Kind kind);

// {forms: {name: {table, collection, fields}}, lab_units, sites, arms, reason_max_length, text_max_length}.
nlohmann::json entry_forms_json(const EntryForms& forms);

// {form, id, patient_id, version, created, changed, record (null when none)}
// and, when computed, pseudonym, response {recist, mrecist} and ctcae.
nlohmann::json saved_record_json(const SavedRecord& saved);

// {error, message, field, value?}; a stale version adds yours and current, a
// field refusal every problem found [{field, message, value?}].
nlohmann::json entry_refusal_json(const EntryRefusal& refusal);

}  // namespace sirtkit::report
