#include "pipelines/registry/registry_entry.h"

#include "clinical/date.h"
#include "core/text.h"
#include "pipelines/registry/registry_browse.h"
#include "pipelines/registry/registry_entry_checks.h"
#include "pipelines/registry/registry_entry_forms.h"
#include "registry/derived/tumour_response.h"
#include "registry/store/record_version.h"

namespace sirtkit::pipelines {

using namespace entry;
using nlohmann::json;
using registry::Params;
using registry::Store;
using registry::Value;
using Kind = EntryRefusal::Kind;

void refuse_entry(Kind kind, const std::string& field, const std::string& message, std::optional<std::string> value) {
  EntryRefusal r;
  r.kind = kind;
  r.field = field;
  r.message = message;
  r.value = std::move(value);
  r.problems.push_back({field, message, r.value});
  throw EntryRefused(std::move(r));
}

namespace {

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

// P + 20 hex digits, the import's pseudonym format (registry/import/pseudonym.h), drawn at random.
std::string random_pseudonym(const RandomUniform& random) {
  std::string p(1, 'P');
  for (int i = 0; i < 20; ++i) p += "0123456789abcdef"[random(16)];
  return p;
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
    if (!fields["study"].is_string()) refuse_entry(Kind::bad_field, "study", "a study code");
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
  if (candidates.empty()) refuse_entry(Kind::bad_field, "site", "one of your sites", shown(*v.at("site")));
  if (candidates.size() > 1) refuse_entry(Kind::missing_field, "study", "the study code (this site code is in several studies)");
  const auto& [site_id, study_id] = candidates.front();
  Value arm_id;
  if (const auto it = v.find("arm"); it != v.end() && it->second) arm_id = arm_id_of(store, study_id, *it->second);
  // A pseudonym in the import's format (P + 20 hex digits) drawn at random,
  // and the index date moved by a random shift in [-365, -1] U [1, 365]
  // (registry/import/pseudonym.h): no calendar date of the patient is stored.
  std::string pseudonym;
  for (int attempt = 0; attempt < 8; ++attempt) {
    pseudonym = random_pseudonym(random);
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
        refuse_entry(Kind::bad_field, "kind", "the kind stored for this lesion (" + *lesion.at(0, "kind") + "); a lesion keeps its kind", shown(*v.at("kind")));
      if (organ && lesion.at(0, "organ") && !same_value(organ, lesion.at(0, "organ")))
        refuse_entry(Kind::bad_field, "organ", "the organ stored for this lesion; a lesion keeps its organ");
      lesion_id = *lesion.at(0, "id");
    }
    if (store.scalar("SELECT id FROM lesion_measurements WHERE lesion_id = ? AND day = ?", {lesion_id, *v.at("day")}))
      refuse_entry(Kind::bad_field, "day", "one measurement per lesion and scan day (this lesion has one on that day: edit it)", *v.at("day"));
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
      refuse_entry(Kind::bad_field, "day", "one measurement per lesion and scan day (this lesion has one on that day)", *it->second);
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
      if (name == "site" && !new_value) refuse_entry(Kind::missing_field, "site", "a value (required)");
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
    if (!id) refuse_entry(Kind::not_found, "record", "this patient has no baseline yet");
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
