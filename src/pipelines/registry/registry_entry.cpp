#include "pipelines/registry/registry_entry.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "clinical/date.h"
#include "core/text.h"
#include "pipelines/registry/registry_browse.h"
#include "report/registry/registry_browse.h"
#include "registry/import/field_catalog.h"
#include "registry/import/field_check.h"
#include "registry/import/identifier_scan.h"
#include "registry/store/record_version.h"
#include "registry/derived/tumour_response.h"
#include "registry/import/unit_conversion.h"

namespace sirtkit::pipelines {
namespace {

using nlohmann::json;
using registry::FieldGroup;
using registry::FieldKind;
using registry::FieldSpec;
using registry::Params;
using registry::Store;
using registry::Value;
using Kind = EntryRefusal::Kind;

struct FormField {
  std::string name;  // in the API and the form
  const FieldSpec* spec = nullptr;
  bool day = false;          // a date, entered and stored as a study day
  std::string table;         // where it is stored (a measurement's label, organ and kind: lesions)
  bool create_only = false;  // fixed once saved (the index date; which lesion a measurement is of)
};

struct Form {
  std::string name, table, collection;
  FieldGroup group;
  std::vector<FormField> fields;
  const FormField* field(const std::string& n) const {
    for (const auto& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  }
};

// The forms, generated from the field catalogue: one per record kind.
const std::vector<Form>& forms() {
  static const std::vector<Form> all = [] {
    std::vector<Form> out = {
        {"patient", "patients", "", FieldGroup::patient, {}},
        {"baseline", "baseline", "baseline", FieldGroup::patient, {}},
        {"treatment", "treatments", "treatments", FieldGroup::treatment, {}},
        {"lesion_measurement", "lesion_measurements", "lesion_measurements", FieldGroup::lesion, {}},
        {"lab", "labs", "labs", FieldGroup::lab, {}},
        {"adverse_event", "adverse_events", "adverse_events", FieldGroup::adverse_event, {}},
        {"followup", "followup_events", "followup_events", FieldGroup::followup, {}},
    };
    for (const auto& s : registry::field_catalog()) {
      if (s.table.empty()) continue;  // birth_date: used by imports to compute the age, never stored
      for (auto& form : out) {
        if (form.group != s.group) continue;
        if (s.group == FieldGroup::patient && (form.name == "patient") == (s.table == "baseline")) continue;
        FormField f{s.column, &s, s.kind == FieldKind::date, s.table, s.table == "lesions"};
        if (s.table == "sites" || s.table == "arms") f.name = s.name;
        if (s.name == "index_date") {
          f.name = "index_date";
          f.day = false;
          f.create_only = true;
        }
        form.fields.push_back(f);
      }
    }
    return out;
  }();
  return all;
}

const Form& form_named(const std::string& name) {
  for (const auto& f : forms())
    if (f.name == name) return f;
  throw Error(ErrorCategory::internal, "no entry form '" + name + "'");
}

// A field of a form as the form shows it: its kind, whether required, its range, length, vocabulary and unit.
report::EntryField entry_field(const Form& form, const FormField& f) {
  const FieldSpec& s = *f.spec;
  static const char* kinds[] = {"text", "integer", "real", "date", "flag", "choice"};
  report::EntryField out;
  out.name = f.name;
  out.field = s.name;
  out.kind = f.day ? "day" : kinds[static_cast<int>(s.kind)];
  out.required = s.required || (form.name == "patient" && f.name == "site");
  out.create_only = f.create_only;
  if (f.day) out.range = report::EntryRange{static_cast<double>(-registry::max_study_day), static_cast<double>(registry::max_study_day), true};
  else if (s.kind == FieldKind::integer || s.kind == FieldKind::real) out.range = report::EntryRange{s.min, s.max, false};
  if (s.kind == FieldKind::text) out.max_length = registry::max_text_length;
  if (s.kind == FieldKind::choice) out.values = s.values;
  out.unit = registry::registry_unit(s.name);
  return out;
}

[[noreturn]] void refuse(Kind kind, const std::string& field, const std::string& message, std::optional<std::string> value = {}) {
  EntryRefusal r;
  r.kind = kind;
  r.field = field;
  r.message = message;
  r.value = std::move(value);
  r.problems.push_back({field, message, r.value});
  throw EntryRefused(std::move(r));
}

std::optional<std::string> shown(const std::string& v) {
  if (registry::safe_to_show(v)) return v;
  return std::nullopt;
}

// One body value as the text the field checks read; nullopt = null (clear).
std::optional<std::string> value_text(const std::string& name, const json& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return std::string(v.get<bool>() ? "1" : "0");
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
  if (v.is_number_float()) return v.dump();
  refuse(Kind::bad_field, name, "a single value (text, number or true/false), not a list or an object");
}

// The checked values of a request: API name -> value as stored (nullopt: cleared).
using Values = std::map<std::string, Value>;

// Checks every field of the body with the import's checks (registry/import/field_check.h).
// Refuses unknown fields, create-only fields of an edit, bad values (all of them
// listed in `problems`, the first one named) and, when creating, missing required fields.
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
      if (f->spec->required || (form.name == "patient" && key == "site")) problem(Kind::missing_field, key, "a value (required)", std::nullopt);
      else out[key] = std::nullopt;
      continue;
    }
    const registry::FieldCheck c = f->day ? registry::check_study_day(*text) : registry::check_field_value(*f->spec, *text);
    if (!c.ok()) problem(Kind::bad_field, key, c.expected, shown(*text));
    else out[key] = c.value;
  }
  if (creating)
    for (const auto& f : form.fields) {
      const bool required = f.spec->required || (form.name == "patient" && f.name == "site");
      if (required && !body.contains(f.name)) problem(Kind::missing_field, f.name, "a value (required)", std::nullopt);
    }
  if (!r.problems.empty()) throw EntryRefused(std::move(r));
  return out;
}

std::string reason_of(const json& body) {
  if (!body.contains("reason") || body["reason"].is_null())
    refuse(Kind::missing_reason, "reason", "a reason for changing saved data (it goes into the audit trail)");
  if (!body["reason"].is_string()) refuse(Kind::bad_field, "reason", "text");
  const std::string reason = trim(body["reason"].get<std::string>());
  if (reason.empty()) refuse(Kind::missing_reason, "reason", "a reason for changing saved data (it goes into the audit trail)");
  if (reason.size() > max_reason_length) refuse(Kind::bad_field, "reason", "at most " + std::to_string(max_reason_length) + " characters");
  // The registry holds no identifier (docs/registry.md), the audit trail neither.
  if (const auto kind = registry::find_identifier_pattern(reason))
    refuse(Kind::bad_field, "reason", std::string("a reason without identifiers, but it holds ") + registry::pattern_description(*kind));
  return reason;
}

long long version_of(const json& body) {
  if (!body.contains("version") || body["version"].is_null()) refuse(Kind::missing_field, "version", "the version of the record you edited (from GET)");
  if (!body["version"].is_number_integer() || body["version"].get<long long>() < 0)
    refuse(Kind::bad_field, "version", "a whole number (the record's version from GET)");
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

struct PatientRow {
  long long id = 0;
  std::string study_id;
  std::optional<long long> site_id;
  clinical::Date index;
};

bool in_scope(const registry::SiteScope& scope, std::optional<long long> site) {
  if (!scope) return true;
  return site && std::find(scope->begin(), scope->end(), *site) != scope->end();
}

// The patient, if the user's sites include it (else not_found, as a patient that does not exist).
PatientRow visible_patient(Store& store, const EntryUser& user, long long patient_id) {
  const auto r = store.query("SELECT id, study_id, site_id, index_date_shifted FROM patients WHERE id = ?", {std::to_string(patient_id)});
  if (r.empty() || !in_scope(user.scope, r.at(0, "site_id") ? std::optional(std::stoll(*r.at(0, "site_id"))) : std::nullopt))
    refuse(Kind::not_found, "id", "no such patient in your sites", std::to_string(patient_id));
  PatientRow p;
  p.id = patient_id;
  p.study_id = *r.at(0, "study_id");
  if (r.at(0, "site_id")) p.site_id = std::stoll(*r.at(0, "site_id"));
  p.index = clinical::parse_date(*r.at(0, "index_date_shifted"), "index_date_shifted");
  return p;
}

// The stored row of a record of the patient (not_found otherwise).
registry::ResultSet stored_record(Store& store, const Form& form, long long patient_id, long long record_id) {
  const std::string sql = form.table == "lesion_measurements"
                              ? "SELECT m.*, l.label, l.organ, l.kind FROM lesion_measurements m JOIN lesions l ON l.id = m.lesion_id "
                                "WHERE m.id = ? AND l.patient_id = ?"
                              : "SELECT * FROM " + form.table + " WHERE id = ? AND patient_id = ?";
  auto r = store.query(sql, {std::to_string(record_id), std::to_string(patient_id)});
  if (r.empty()) refuse(Kind::not_found, "record", "no such " + form.name + " record of this patient", std::to_string(record_id));
  return r;
}

// Numbers compare by value (SQLite prints 62.0 where PostgreSQL prints 62).
bool same_value(const Value& a, const Value& b) {
  if (!a || !b) return !a && !b;
  if (*a == *b) return true;
  const auto x = registry::parse_number(*a), y = registry::parse_number(*b);
  return x && y && *x == *y;
}

// The value of a field after the change: the new one when given, else the stored one.
Value merged(const Values& changes, const registry::ResultSet* stored, const std::string& name, const std::string& column) {
  if (const auto it = changes.find(name); it != changes.end()) return it->second;
  if (stored) return stored->at(0, column);
  return std::nullopt;
}

long long to_ll(const Value& v) { return std::stoll(*v); }

// The checks across fields of one record, as the import makes them (registry/redcap/redcap_import.cpp):
// date order, a lab unit of the test and a plausible value, one death per patient.
void check_record(Store& store, const Form& form, const PatientRow& p, const Values& changes, const registry::ResultSet* stored,
                  long long record_id) {
  auto get = [&](const std::string& name) {
    const FormField* f = form.field(name);
    return merged(changes, stored, name, f ? f->spec->column : name);
  };
  auto order = [&](const std::string& first, const std::string& later) {
    const Value a = get(first), b = get(later);
    if (a && b && to_ll(b) < to_ll(a)) refuse(Kind::bad_field, later, "a study day on or after " + first, shown(*b));
  };
  if (form.name == "treatment") order("start_day", "end_day");
  if (form.name == "adverse_event") order("onset_day", "resolved_day");
  if (form.name == "lab") {
    const Value test = get("test"), value = get("value"), unit = get("unit");
    if (test && value && unit)
      if (const auto problem = registry::check_lab_result(*test, std::stod(*value), *value, *unit)) {
        const std::string field = problem->field == "lab_unit" ? "unit" : problem->field == "lab_test" ? "test" : "value";
        refuse(Kind::bad_field, field, problem->expected, shown(field == "unit" ? *unit : *value));
      }
  }
  if (form.name == "followup" && get("kind") == Value("death")) {
    const Value other = store.scalar("SELECT id FROM followup_events WHERE patient_id = ? AND kind = 'death' AND id <> ?",
                                     {std::to_string(p.id), std::to_string(record_id)});
    if (other) refuse(Kind::bad_field, "kind", "one death per patient (the registry holds one already)", std::string("death"));
  }
}

// Site and arm codes of the patient's study -> ids (bad_field when unknown or outside the user's sites).
std::string site_id_of(Store& store, const EntryUser& user, const std::string& study_id, const std::string& code) {
  const Value id = store.scalar("SELECT id FROM sites WHERE study_id = ? AND code = ?", {study_id, code});
  if (!id || !in_scope(user.scope, std::stoll(*id))) refuse(Kind::bad_field, "site", "one of your sites", shown(code));
  return *id;
}

std::string arm_id_of(Store& store, const std::string& study_id, const std::string& code) {
  const Value id = store.scalar("SELECT id FROM arms WHERE study_id = ? AND code = ?", {study_id, code});
  if (!id) refuse(Kind::bad_field, "arm", "an arm of the patient's study", shown(code));
  return *id;
}

report::SavedRecord saved_record(Store& store, const Form& form, long long patient_id, long long id, bool created,
                                 const std::vector<std::string>& changed) {
  const auto row = store.query("SELECT * FROM " + form.table + " WHERE id = ?", {std::to_string(id)});
  report::SavedRecord out;
  out.form = form.name;
  out.id = id;
  out.patient_id = patient_id;
  out.version = registry::record_version(store, form.table, id);
  out.created = created;
  out.changed = changed;
  out.record = record_rows(row, form.table == "patients" ? "" : form.table, false);
  return out;
}

// A cell of the saved row (an internal error when the column is absent or empty).
const std::string& saved_cell(const report::SavedRecord& saved, const std::string& column) {
  const auto& r = saved.record;
  for (std::size_t c = 0; c < r.columns.size(); ++c)
    if (r.columns[c] == column && !r.rows.empty() && r.rows[0][c]) return *r.rows[0][c];
  throw Error(ErrorCategory::internal, "the saved " + saved.form + " record has no " + column);
}

// The CTCAE v5.0 grade of a saved lab (pipelines/registry/registry_browse.h lab_grade).
report::LabGradeResult saved_lab_grade(const report::SavedRecord& lab) {
  return lab_grade(saved_cell(lab, "test"), std::stod(saved_cell(lab, "value")), saved_cell(lab, "unit"));
}

report::CriteriaResponse criteria_response(Store& store, long long patient_id, registry::ResponseCriteria criteria) {
  registry::ResponseDerivationOptions o;
  o.criteria = criteria;
  o.patient_id = patient_id;
  const auto ds = registry::derive_tumour_response(store, o);
  report::CriteriaResponse out;
  out.criteria = ds.criteria;
  for (const auto& r : ds.records) {
    if (r.paramcd == "OVRLRESP") out.timepoints.push_back({r.avisit, r.ady, r.avalc});
    if (r.paramcd == "BOR") out.best_response = r.avalc;
    if (r.paramcd == "CBOR") out.confirmed_best_response = r.avalc;
  }
  if (!ds.excluded.empty()) out.not_evaluable = ds.excluded.front().second;
  return out;
}

// The patient's responses by RECIST 1.1 and mRECIST after a lesion measurement is saved.
report::EntryResponse entry_response(Store& store, long long patient_id) {
  return {criteria_response(store, patient_id, registry::ResponseCriteria::recist11),
          criteria_response(store, patient_id, registry::ResponseCriteria::mrecist)};
}

}  // namespace

const std::string* form_table(const std::string& form) {
  for (const auto& f : forms())
    if (f.name == form) return &f.table;
  return nullptr;
}

const std::string* form_of_collection(const std::string& collection) {
  for (const auto& f : forms())
    if (!f.collection.empty() && f.collection == collection) return &f.name;
  return nullptr;
}

report::EntryForms entry_forms(Store& store, const EntryUser& user) {
  report::EntryForms out;
  for (const auto& form : forms()) {
    report::EntryForm& f = out.forms.emplace_back(report::EntryForm{form.name, form.table, form.collection, {}});
    for (const auto& field : form.fields) f.fields.push_back(entry_field(form, field));
  }
  for (const auto& l : registry::lab_catalog()) out.lab_units.emplace_back(l.test, l.units);
  for (const auto& row : store.query("SELECT s.id, s.code, st.code FROM sites s JOIN studies st ON st.id = s.study_id ORDER BY st.code, s.code").rows)
    if (in_scope(user.scope, std::stoll(*row[0]))) out.sites.push_back({*row[1], *row[2]});
  for (const auto& row : store.query("SELECT a.code, st.code FROM arms a JOIN studies st ON st.id = a.study_id ORDER BY st.code, a.code").rows)
    out.arms.push_back({*row[0], *row[1]});
  out.reason_max_length = max_reason_length;
  out.text_max_length = registry::max_text_length;
  return out;
}

report::SavedRecord create_patient(Store& store, const EntryUser& user, const json& body, const RandomUniform& random) {
  const Form& form = form_named("patient");
  json fields = body;
  std::string study_code;
  if (fields.contains("study")) {
    if (!fields["study"].is_string()) refuse(Kind::bad_field, "study", "a study code");
    study_code = fields["study"].get<std::string>();
    fields.erase("study");
  }
  const Values v = check_fields(form, fields, true);
  registry::Transaction tx(store, user.actor);
  // The site decides the study (a site code may exist in several studies: then `study` says which).
  std::vector<std::pair<std::string, std::string>> candidates;  // site id, study id
  for (const auto& row : store.query("SELECT s.id, s.study_id FROM sites s JOIN studies st ON st.id = s.study_id WHERE s.code = ? AND (? = '' OR st.code = ?)",
                                     {*v.at("site"), study_code, study_code})
                             .rows)
    if (in_scope(user.scope, std::stoll(*row[0]))) candidates.emplace_back(*row[0], *row[1]);
  if (candidates.empty()) refuse(Kind::bad_field, "site", "one of your sites", shown(*v.at("site")));
  if (candidates.size() > 1) refuse(Kind::missing_field, "study", "the study code (this site code is in several studies)");
  const auto& [site_id, study_id] = candidates.front();
  Value arm_id;
  if (const auto it = v.find("arm"); it != v.end() && it->second) arm_id = arm_id_of(store, study_id, *it->second);
  // A pseudonym in the import's format (P + 20 hex digits) drawn at random,
  // and the index date moved by a random shift in [-365, -1] U [1, 365]
  // (registry/import/pseudonym.h): no calendar date of the patient is stored.
  std::string pseudonym;
  for (int attempt = 0; attempt < 8; ++attempt) {
    pseudonym = "P";
    for (int i = 0; i < 20; ++i) pseudonym += "0123456789abcdef"[random(16)];
    if (!store.scalar("SELECT id FROM patients WHERE pseudonym = ?", {pseudonym})) break;
  }
  const int magnitude = 1 + static_cast<int>(random(365));
  const int shift = random(2) ? magnitude : -magnitude;
  const clinical::Date index = clinical::parse_date(*v.at("index_date"), "index_date");
  auto val = [&](const std::string& k) -> Value { const auto it = v.find(k); return it == v.end() ? std::nullopt : it->second; };
  const long long id = store.insert_returning_id(
      "INSERT INTO patients (study_id, site_id, arm_id, pseudonym, index_date_shifted, sex, age_years) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {study_id, site_id, arm_id, pseudonym, clinical::to_iso(clinical::Date{index.days + shift}), val("sex"), val("age_years")});
  if (body.contains("reason") && body["reason"].is_string() && !trim(body["reason"].get<std::string>()).empty()) store.set_reason(reason_of(body));
  report::SavedRecord out = saved_record(store, form, id, id, true, {});
  tx.commit();
  out.pseudonym = pseudonym;
  return out;
}

report::SavedRecord add_record(Store& store, const EntryUser& user, const std::string& form_name, long long patient_id, const json& body) {
  const Form& form = form_named(form_name);
  if (form.name == "patient" || form.name == "baseline") throw Error(ErrorCategory::internal, "add_record: " + form.name);
  registry::Transaction tx(store, user.actor);
  const PatientRow p = visible_patient(store, user, patient_id);
  const Values v = check_fields(form, body, true);
  check_record(store, form, p, v, nullptr, 0);
  if (body.contains("reason") && !body["reason"].is_null()) store.set_reason(reason_of(body));
  const std::string pid = std::to_string(patient_id);
  std::string cols = "patient_id", marks = "?";
  Params params{pid};
  if (form.name == "lesion_measurement") {
    // The lesion is found by its label, or created; its organ and kind are those stored.
    const std::string& label = *v.at("label");
    const auto lesion = store.query("SELECT id, organ, kind FROM lesions WHERE patient_id = ? AND label = ?", {pid, label});
    std::string lesion_id;
    const Value organ = v.count("organ") ? v.at("organ") : std::nullopt;
    if (lesion.empty()) {
      lesion_id = std::to_string(store.insert_returning_id("INSERT INTO lesions (patient_id, label, organ, kind) VALUES (?, ?, ?, ?)",
                                                           {pid, label, organ, v.at("kind")}));
    } else {
      if (*lesion.at(0, "kind") != *v.at("kind"))
        refuse(Kind::bad_field, "kind", "the kind stored for this lesion (" + *lesion.at(0, "kind") + "); a lesion keeps its kind", shown(*v.at("kind")));
      if (organ && lesion.at(0, "organ") && !same_value(organ, lesion.at(0, "organ")))
        refuse(Kind::bad_field, "organ", "the organ stored for this lesion; a lesion keeps its organ");
      lesion_id = *lesion.at(0, "id");
    }
    if (store.scalar("SELECT id FROM lesion_measurements WHERE lesion_id = ? AND day = ?", {lesion_id, *v.at("day")}))
      refuse(Kind::bad_field, "day", "one measurement per lesion and scan day (this lesion has one on that day: edit it)", *v.at("day"));
    cols = "lesion_id";
    params = {lesion_id};
  }
  for (const auto& [name, value] : v) {
    const FormField* f = form.field(name);
    if (f->table != form.table) continue;
    cols += ", " + f->spec->column;
    marks += ", ?";
    params.push_back(value);
  }
  const long long id = store.insert_returning_id("INSERT INTO " + form.table + " (" + cols + ") VALUES (" + marks + ")", params);
  report::SavedRecord out = saved_record(store, form, patient_id, id, true, {});
  tx.commit();
  if (form.name == "lesion_measurement") out.response = entry_response(store, patient_id);
  if (form.name == "lab") out.ctcae = lab_grade(*v.at("test"), std::stod(*v.at("value")), *v.at("unit"));
  return out;
}

namespace {

report::SavedRecord edit_in_transaction(Store& store, const EntryUser& user, const Form& form, const PatientRow& p, long long record_id, const json& body,
                         const Values& v) {
  const long long yours = version_of(body);
  const std::string reason = reason_of(body);
  registry::ResultSet stored = form.name == "patient" ? store.query("SELECT * FROM patients WHERE id = ?", {std::to_string(p.id)})
                               : form.name == "baseline" ? store.query("SELECT * FROM baseline WHERE id = ?", {std::to_string(record_id)})
                                                         : stored_record(store, form, p.id, record_id);
  check_version(store, form.table, record_id, yours);
  check_record(store, form, p, v, &stored, record_id);
  if (form.name == "lesion_measurement")
    if (const auto it = v.find("day"); it != v.end() && it->second &&
                                       store.scalar("SELECT id FROM lesion_measurements WHERE lesion_id = ? AND day = ? AND id <> ?",
                                                    {stored.at(0, "lesion_id"), it->second, std::to_string(record_id)}))
      refuse(Kind::bad_field, "day", "one measurement per lesion and scan day (this lesion has one on that day)", *it->second);
  std::string set;
  Params params;
  std::vector<std::string> changed;
  for (const auto& [name, value] : v) {
    const FormField* f = form.field(name);
    std::string column = f->spec->column;
    Value stored_value = f->table == form.table ? stored.at(0, column) : std::nullopt;
    Value new_value = value;
    if (name == "site" || name == "arm") {
      column = name + "_id";
      stored_value = stored.at(0, column);
      if (value) new_value = name == "site" ? site_id_of(store, user, p.study_id, *value) : arm_id_of(store, p.study_id, *value);
      if (name == "site" && !new_value) refuse(Kind::missing_field, "site", "a value (required)");
    }
    if (same_value(stored_value, new_value)) continue;
    set += (set.empty() ? "" : ", ") + column + " = ?";
    params.push_back(new_value);
    changed.push_back(name);
  }
  if (!set.empty()) {
    store.set_reason(reason);
    params.push_back(std::to_string(record_id));
    store.execute("UPDATE " + form.table + " SET " + set + " WHERE id = ?", params);
  }
  return saved_record(store, form, p.id, record_id, false, changed);
}

}  // namespace

report::SavedRecord edit_record(Store& store, const EntryUser& user, const std::string& form_name, long long patient_id, long long record_id, const json& body) {
  const Form& form = form_named(form_name);
  registry::Transaction tx(store, user.actor);
  const PatientRow p = visible_patient(store, user, patient_id);
  const Values v = check_fields(form, body, false);
  if (form.name == "baseline") {
    const Value id = store.scalar("SELECT id FROM baseline WHERE patient_id = ?", {std::to_string(patient_id)});
    if (!id) refuse(Kind::not_found, "record", "this patient has no baseline yet");
    record_id = std::stoll(*id);
  }
  report::SavedRecord out = edit_in_transaction(store, user, form, p, form.name == "patient" ? patient_id : record_id, body, v);
  tx.commit();
  if (form.name == "lesion_measurement" && !out.changed.empty()) out.response = entry_response(store, patient_id);
  if (form.name == "lab") out.ctcae = saved_lab_grade(out);
  return out;
}

report::SavedRecord put_baseline(Store& store, const EntryUser& user, long long patient_id, const json& body) {
  const Form& form = form_named("baseline");
  registry::Transaction tx(store, user.actor);
  const PatientRow p = visible_patient(store, user, patient_id);
  if (const Value id = store.scalar("SELECT id FROM baseline WHERE patient_id = ?", {std::to_string(patient_id)})) {
    const Values v = check_fields(form, body, false);
    report::SavedRecord out = edit_in_transaction(store, user, form, p, std::stoll(*id), body, v);
    tx.commit();
    return out;
  }
  const Values v = check_fields(form, body, true);
  if (body.contains("version") && !body["version"].is_null() && version_of(body) != 0) check_version(store, "baseline", 0, version_of(body));
  std::string cols = "patient_id", marks = "?";
  Params params{std::to_string(patient_id)};
  for (const auto& [name, value] : v) {
    cols += ", " + form.field(name)->spec->column;
    marks += ", ?";
    params.push_back(value);
  }
  if (body.contains("reason") && !body["reason"].is_null()) store.set_reason(reason_of(body));
  const long long id = store.insert_returning_id("INSERT INTO baseline (" + cols + ") VALUES (" + marks + ")", params);
  report::SavedRecord out = saved_record(store, form, patient_id, id, true, {});
  tx.commit();
  return out;
}

}  // namespace sirtkit::pipelines
