#include "pipelines/registry/registry_entry_checks.h"

#include <algorithm>

#include "core/text.h"
#include "registry/import/field_check.h"
#include "registry/import/identifier_scan.h"
#include "registry/store/record_version.h"

namespace sirtkit::pipelines::entry {

using nlohmann::json;
using registry::Store;
using registry::Value;
using Kind = EntryRefusal::Kind;

namespace {

// One body value as the text the field checks read; nullopt = null (clear).
std::optional<std::string> value_text(const std::string& name, const json& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return std::string(v.get<bool>() ? "1" : "0");
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
  if (v.is_number_float()) return v.dump();
  refuse_entry(Kind::bad_field, name, "a single value (text, number or true/false), not a list or an object");
}

// The value of a field after the change: the new one when given, else the stored one.
Value merged(const Values& changes, const registry::ResultSet* stored, const std::string& name, const std::string& column) {
  if (const auto it = changes.find(name); it != changes.end()) return it->second;
  if (stored) return stored->at(0, column);
  return std::nullopt;
}

long long to_ll(const Value& v) { return std::stoll(*v); }

}  // namespace

std::optional<std::string> shown(const std::string& v) {
  if (registry::safe_to_show(v)) return v;
  return std::nullopt;
}

Values check_fields(const Form& form, const json& body, bool creating) {
  Values out;
  EntryRefusal r;
  auto problem = [&](Kind kind, const std::string& field, const std::string& message, std::optional<std::string> value) {
    if (r.problems.empty()) {
      r.kind = kind;
      r.field = field;
      r.message = message;
      r.value = value;
    }
    r.problems.push_back({field, message, value});
  };
  for (const auto& [key, v] : body.items()) {
    if (key == "version" || key == "reason") continue;
    const FormField* f = form.field(key);
    if (!f) {
      problem(Kind::unknown_field, key, "a field of the " + form.name + " form", key.size() <= 40 && registry::safe_to_show(key) ? std::optional(key) : std::nullopt);
      continue;
    }
    if (!creating && f->create_only) {
      problem(Kind::bad_field, key, "no change: " + key + " is fixed once the record is saved", std::nullopt);
      continue;
    }
    const auto text = value_text(key, v);
    if (!text || trim(*text).empty()) {
      if (form.required(*f)) problem(Kind::missing_field, key, "a value (required)", std::nullopt);
      else out[key] = std::nullopt;
      continue;
    }
    const registry::FieldCheck c = f->day ? registry::check_study_day(*text) : registry::check_field_value(*f->spec, *text);
    if (!c.ok()) problem(Kind::bad_field, key, c.expected, shown(*text));
    else out[key] = c.value;
  }
  if (creating)
    for (const auto& f : form.fields)
      if (form.required(f) && !body.contains(f.name)) problem(Kind::missing_field, f.name, "a value (required)", std::nullopt);
  if (!r.problems.empty()) throw EntryRefused(std::move(r));
  return out;
}

std::string reason_of(const json& body) {
  if (!body.contains("reason") || body["reason"].is_null())
    refuse_entry(Kind::missing_reason, "reason", "a reason for changing saved data (it goes into the audit trail)");
  if (!body["reason"].is_string()) refuse_entry(Kind::bad_field, "reason", "text");
  const std::string reason = trim(body["reason"].get<std::string>());
  if (reason.empty()) refuse_entry(Kind::missing_reason, "reason", "a reason for changing saved data (it goes into the audit trail)");
  if (reason.size() > max_reason_length) refuse_entry(Kind::bad_field, "reason", "at most " + std::to_string(max_reason_length) + " characters");
  // The registry holds no identifier (docs/registry.md), the audit trail neither.
  if (const auto kind = registry::find_identifier_pattern(reason))
    refuse_entry(Kind::bad_field, "reason", std::string("a reason without identifiers, but it holds ") + registry::pattern_description(*kind));
  return reason;
}

long long version_of(const json& body) {
  if (!body.contains("version") || body["version"].is_null()) refuse_entry(Kind::missing_field, "version", "the version of the record you edited (from GET)");
  if (!body["version"].is_number_integer() || body["version"].get<long long>() < 0)
    refuse_entry(Kind::bad_field, "version", "a whole number (the record's version from GET)");
  return body["version"].get<long long>();
}

void check_version(Store& store, const std::string& table, long long id, long long yours) {
  const long long current = registry::record_version(store, table, id);
  if (current == yours) return;
  EntryRefusal r;
  r.kind = Kind::stale_version;
  r.field = "version";
  r.message = "the record was changed by someone else since you read it (your version " + std::to_string(yours) + ", now " +
              std::to_string(current) + "); reload it and apply your change again";
  r.yours = yours;
  r.current = current;
  throw EntryRefused(std::move(r));
}

bool in_scope(const registry::SiteScope& scope, std::optional<long long> site) {
  if (!scope) return true;
  return site && std::find(scope->begin(), scope->end(), *site) != scope->end();
}

PatientRow visible_patient(Store& store, const EntryUser& user, long long patient_id) {
  const auto r = store.query("SELECT id, study_id, site_id, index_date_shifted FROM patients WHERE id = ?", {std::to_string(patient_id)});
  if (r.empty() || !in_scope(user.scope, r.at(0, "site_id") ? std::optional(std::stoll(*r.at(0, "site_id"))) : std::nullopt))
    refuse_entry(Kind::not_found, "id", "no such patient in your sites", std::to_string(patient_id));
  PatientRow p;
  p.id = patient_id;
  p.study_id = *r.at(0, "study_id");
  if (r.at(0, "site_id")) p.site_id = std::stoll(*r.at(0, "site_id"));
  p.index = clinical::parse_date(*r.at(0, "index_date_shifted"), "index_date_shifted");
  return p;
}

registry::ResultSet stored_record(Store& store, const Form& form, long long patient_id, long long record_id) {
  const std::string sql = form.table == "lesion_measurements"
                              ? "SELECT m.*, l.label, l.organ, l.kind FROM lesion_measurements m JOIN lesions l ON l.id = m.lesion_id "
                                "WHERE m.id = ? AND l.patient_id = ?"
                              : "SELECT * FROM " + form.table + " WHERE id = ? AND patient_id = ?";
  auto r = store.query(sql, {std::to_string(record_id), std::to_string(patient_id)});
  if (r.empty()) refuse_entry(Kind::not_found, "record", "no such " + form.name + " record of this patient", std::to_string(record_id));
  return r;
}

bool same_value(const Value& a, const Value& b) {
  if (!a || !b) return !a && !b;
  if (*a == *b) return true;
  const auto x = registry::parse_number(*a), y = registry::parse_number(*b);
  return x && y && *x == *y;
}

void check_record(Store& store, const Form& form, const PatientRow& p, const Values& changes, const registry::ResultSet* stored,
                  long long record_id) {
  auto get = [&](const std::string& name) {
    const FormField* f = form.field(name);
    return merged(changes, stored, name, f ? f->spec->column : name);
  };
  auto order = [&](const std::string& first, const std::string& later) {
    const Value a = get(first), b = get(later);
    if (a && b && to_ll(b) < to_ll(a)) refuse_entry(Kind::bad_field, later, "a study day on or after " + first, shown(*b));
  };
  if (form.name == "treatment") order("start_day", "end_day");
  if (form.name == "adverse_event") order("onset_day", "resolved_day");
  if (form.name == "lab") {
    const Value test = get("test"), value = get("value"), unit = get("unit");
    if (test && value && unit)
      if (const auto problem = registry::check_lab_result(*test, std::stod(*value), *value, *unit)) {
        const std::string field = problem->field == "lab_unit" ? "unit" : problem->field == "lab_test" ? "test" : "value";
        refuse_entry(Kind::bad_field, field, problem->expected, shown(field == "unit" ? *unit : *value));
      }
  }
  if (form.name == "followup" && get("kind") == Value("death")) {
    const Value other = store.scalar("SELECT id FROM followup_events WHERE patient_id = ? AND kind = 'death' AND id <> ?",
                                     {std::to_string(p.id), std::to_string(record_id)});
    if (other) refuse_entry(Kind::bad_field, "kind", "one death per patient (the registry holds one already)", std::string("death"));
  }
}

std::string site_id_of(Store& store, const EntryUser& user, const std::string& study_id, const std::string& code) {
  const Value id = store.scalar("SELECT id FROM sites WHERE study_id = ? AND code = ?", {study_id, code});
  if (!id || !in_scope(user.scope, std::stoll(*id))) refuse_entry(Kind::bad_field, "site", "one of your sites", shown(code));
  return *id;
}

std::string arm_id_of(Store& store, const std::string& study_id, const std::string& code) {
  const Value id = store.scalar("SELECT id FROM arms WHERE study_id = ? AND code = ?", {study_id, code});
  if (!id) refuse_entry(Kind::bad_field, "arm", "an arm of the patient's study", shown(code));
  return *id;
}

}  // namespace sirtkit::pipelines::entry
