#pragma once
// Data entry into the registry (the forms of `sirtkit serve`, issue 13 item 3):
// the form definitions generated from the field catalogue
// (registry/import/field_catalog.h), and the writes -- a new patient, the patient's
// own fields, the baseline, treatments, lesion measurements, labs, adverse
// events and follow-up events -- checked by the same field checks as the
// imports (registry/import/field_check.h), site-scoped, versioned and audited.
//
// Dates are study days (integers, day 0 = the patient's index date), the way
// the registry stores them; the one calendar date entered is a new patient's
// index date, stored moved by a random per-patient shift (as the import's
// keyed shift, registry/import/pseudonym.h), and the shift is not kept.
//
// Every write is one transaction. Editing a saved record needs its `version`
// (registry/store/record_version.h: a stale one is refused, nothing written) and a
// non-empty `reason`, which the audit trail records with who, when and old ->
// new. What is computed on save comes back with the record: the patient's
// RECIST 1.1 and mRECIST responses after a lesion measurement
// (registry/derived/tumour_response.h), the CTCAE v5.0 grade of a lab
// (clinical/toxicity/ctcae_lab.h, pipelines/registry/registry_browse.h lab_grade).
//
// What is returned are values (report/registry/registry_entry_result.h), rendered
// by report/registry/registry_entry_json. The forms are in registry_entry_forms,
// the checks of a write in registry_entry_checks.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/error.h"
#include "registry/derived/patient_view.h"
#include "registry/store/store.h"
#include "report/registry/registry_entry_json.h"
#include "report/registry/registry_entry_result.h"

namespace sirtkit::pipelines {

// A refusal: the first problem named, every field problem listed
// (report/registry/registry_entry_result.h; report/registry/registry_entry_json renders it).
using EntryRefusal = report::EntryRefusal;
using report::refusal_code;  // the refusal's API name, for the routes that map refusals to HTTP

// Thrown by the writes below; nothing has been written.
class EntryRefused : public Error {
 public:
  explicit EntryRefused(EntryRefusal r) : Error(ErrorCategory::bad_input, r.message), refusal_(std::move(r)) {}
  const EntryRefusal& refusal() const { return refusal_; }

 private:
  EntryRefusal refusal_;
};

// Throws EntryRefused with one problem, `field` refused for `message`, also listed
// in its problems; `value` is shown to the user (pass only what may be repeated:
// registry::safe_to_show).
[[noreturn]] void refuse_entry(EntryRefusal::Kind kind, const std::string& field, const std::string& message,
                               std::optional<std::string> value = {});

struct EntryUser {
  std::string actor;            // the audit trail's "who"
  registry::SiteScope scope;    // nullopt: every site
};

// The record forms: "patient", "baseline", "treatment", "lesion_measurement",
// "lab", "adverse_event", "followup" and the table each writes.
const std::string* form_table(const std::string& form);
// The form of a resource path segment ("treatments" -> "treatment"), or nullptr.
const std::string* form_of_collection(const std::string& collection);

// Every form with its fields (name, catalogue field, kind, required, range,
// vocabulary, unit), the lab units per test, and the sites and arms the user
// may choose.
report::EntryForms entry_forms(registry::Store& store, const EntryUser& user);

// Uniform random integer in [0, n) from a cryptographic source (libsodium's
// randombytes_uniform in the server): pseudonyms and date shifts of new patients.
using RandomUniform = std::function<std::uint32_t(std::uint32_t)>;

// The writes below read the request body (JSON, as sent) and return the saved
// record (report::SavedRecord): its version, and what is computed on save.
//
// POST /api/patients: {site, study?, arm?, sex?, age_years?, index_date}.
report::SavedRecord create_patient(registry::Store& store, const EntryUser& user, const nlohmann::json& body, const RandomUniform& random);
// A new record of `form` (not patient, not baseline) for a patient.
report::SavedRecord add_record(registry::Store& store, const EntryUser& user, const std::string& form, long long patient_id,
                               const nlohmann::json& body);
// An edit of a saved record: body = {version, reason, fields...}; a field set
// to null is cleared (refused for a required field). form "patient": the
// patient's own fields (record_id = patient_id).
report::SavedRecord edit_record(registry::Store& store, const EntryUser& user, const std::string& form, long long patient_id,
                                long long record_id, const nlohmann::json& body);
// PUT baseline: inserts the patient's baseline row, or edits it (then version and reason are needed).
report::SavedRecord put_baseline(registry::Store& store, const EntryUser& user, long long patient_id, const nlohmann::json& body);

// Reasons are short: at most this many characters.
inline constexpr std::size_t max_reason_length = 500;

}  // namespace sirtkit::pipelines
