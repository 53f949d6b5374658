#pragma once
// The checks of a data-entry write (pipelines/registry/registry_entry.h), each
// refusing with EntryRefused before anything is written: the body's fields
// (the import's checks, registry/import/field_check.h), the reason and version
// of an edit, the patient and record being visible to the user, and the checks
// across fields of one record (each refusing with refuse_entry). Used by registry_entry only.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "clinical/date.h"
#include "pipelines/registry/registry_entry.h"
#include "pipelines/registry/registry_entry_forms.h"

namespace sirtkit::pipelines::entry {

// The value, when it is safe to repeat in a refusal (registry::safe_to_show).
std::optional<std::string> shown(const std::string& v);

// The checked values of a request: API name -> value as stored (nullopt: cleared).
using Values = std::map<std::string, registry::Value>;

// Checks every field of the body with the import's checks (registry/import/field_check.h).
// Refuses unknown fields, create-only fields of an edit, bad values (all of them
// listed in `problems`, the first one named) and, when creating, missing required fields.
Values check_fields(const Form& form, const nlohmann::json& body, bool creating);

// An edit's reason (required, short, without identifiers) and the version it was made on.
std::string reason_of(const nlohmann::json& body);
long long version_of(const nlohmann::json& body);
// Refuses a stale version (registry/store/record_version.h) with both versions.
void check_version(registry::Store& store, const std::string& table, long long id, long long yours);

struct PatientRow {
  long long id = 0;
  std::string study_id;
  std::optional<long long> site_id;
  clinical::Date index;
};

bool in_scope(const registry::SiteScope& scope, std::optional<long long> site);
// The patient, if the user's sites include it (else not_found, as a patient that does not exist).
PatientRow visible_patient(registry::Store& store, const EntryUser& user, long long patient_id);
// The stored row of a record of the patient (not_found otherwise).
registry::ResultSet stored_record(registry::Store& store, const Form& form, long long patient_id, long long record_id);

// Numbers compare by value (SQLite prints 62.0 where PostgreSQL prints 62).
bool same_value(const registry::Value& a, const registry::Value& b);

// The checks across fields of one record, as the import makes them (registry/redcap/redcap_import.cpp):
// date order, a lab unit of the test and a plausible value, one death per patient.
// `stored`: the record before an edit (nullptr when creating).
void check_record(registry::Store& store, const Form& form, const PatientRow& p, const Values& changes, const registry::ResultSet* stored,
                  long long record_id);

// Site and arm codes of the patient's study -> ids (bad_field when unknown or outside the user's sites).
std::string site_id_of(registry::Store& store, const EntryUser& user, const std::string& study_id, const std::string& code);
std::string arm_id_of(registry::Store& store, const std::string& study_id, const std::string& code);

}  // namespace sirtkit::pipelines::entry
