#include "registry/derived/patient_view.h"

#include "registry/store/schema.h"

namespace sirtkit::registry {

std::string site_scope_sql(const SiteScope& scope, Params& params) {
  if (!scope) return "";
  if (scope->empty()) return " AND 1 = 0";  // no site: no patient
  std::string sql = " AND p.site_id IN (";
  for (std::size_t i = 0; i < scope->size(); ++i) {
    sql += i ? ", ?" : "?";
    params.push_back(std::to_string((*scope)[i]));
  }
  return sql + ")";
}

namespace {

const char* const patient_select =
    "SELECT p.id, p.pseudonym, st.code AS study, s.code AS site, a.code AS arm, p.sex, p.age_years, p.index_date_shifted, "
    "CASE WHEN EXISTS (SELECT 1 FROM followup_events f WHERE f.patient_id = p.id AND f.kind = 'death') THEN 'deceased' ELSE 'alive' END AS status "
    "FROM patients p JOIN studies st ON st.id = p.study_id LEFT JOIN sites s ON s.id = p.site_id LEFT JOIN arms a ON a.id = p.arm_id";

void add_scope(const SiteScope& scope, std::string& where, Params& params) { where += site_scope_sql(scope, params); }

std::string page(long long limit, long long offset) {
  return " LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(offset);
}

}  // namespace

ResultSet list_patients(Store& store, const PatientFilter& f, long long* total) {
  std::string where = " WHERE 1 = 1";
  Params params;
  add_scope(f.scope, where, params);
  if (!f.site.empty()) {
    where += " AND s.code = ?";
    params.push_back(f.site);
  }
  if (!f.arm.empty()) {
    where += " AND a.code = ?";
    params.push_back(f.arm);
  }
  if (!f.status.empty()) {
    where += std::string(" AND ") + (f.status == "deceased" ? "" : "NOT ") +
             "EXISTS (SELECT 1 FROM followup_events f WHERE f.patient_id = p.id AND f.kind = 'death')";
  }
  if (!f.search.empty()) {
    where += store.dialect() == Dialect::sqlite ? " AND instr(lower(p.pseudonym), lower(?)) > 0" : " AND strpos(lower(p.pseudonym), lower(?)) > 0";
    params.push_back(f.search);
  }
  if (total) {
    const Value n = store.scalar(
        "SELECT COUNT(*) FROM patients p JOIN studies st ON st.id = p.study_id LEFT JOIN sites s ON s.id = p.site_id "
        "LEFT JOIN arms a ON a.id = p.arm_id" + where, params);
    *total = n ? std::stoll(*n) : 0;
  }
  return store.query(patient_select + where + " ORDER BY p.pseudonym" + page(f.limit, f.offset), params);
}

std::optional<PatientRecord> patient_record(Store& store, long long patient_id, const SiteScope& scope) {
  std::string where = " WHERE p.id = ?";
  Params params{std::to_string(patient_id)};
  add_scope(scope, where, params);
  PatientRecord r;
  r.patient = store.query(patient_select + where, params);
  if (r.patient.empty()) return std::nullopt;
  const Params id{std::to_string(patient_id)};
  r.baseline = store.query("SELECT * FROM baseline WHERE patient_id = ?", id);
  r.treatments = store.query("SELECT * FROM treatments WHERE patient_id = ? ORDER BY start_day, id", id);
  r.lesions = store.query("SELECT * FROM lesions WHERE patient_id = ? ORDER BY label", id);
  r.lesion_measurements = store.query(
      "SELECT m.* FROM lesion_measurements m JOIN lesions l ON l.id = m.lesion_id WHERE l.patient_id = ? ORDER BY m.lesion_id, m.day", id);
  r.labs = store.query("SELECT * FROM labs WHERE patient_id = ? ORDER BY day, test", id);
  r.adverse_events = store.query("SELECT * FROM adverse_events WHERE patient_id = ? ORDER BY onset_day, id", id);
  r.followup_events = store.query("SELECT * FROM followup_events WHERE patient_id = ? ORDER BY day, id", id);
  return r;
}

ResultSet audit_entries(Store& store, const AuditFilter& f, long long* total) {
  std::string where = " WHERE 1 = 1";
  Params params;
  if (!f.actor.empty()) {
    where += " AND actor = ?";
    params.push_back(f.actor);
  }
  if (!f.table.empty()) {
    where += " AND table_name = ?";
    params.push_back(f.table);
  }
  if (!f.from.empty()) {
    where += " AND at >= ?";
    params.push_back(f.from);
  }
  if (!f.to.empty()) {
    // A date ("2026-12-05") includes that whole day.
    where += f.to.size() == 10 ? " AND substr(at, 1, 10) <= ?" : " AND at <= ?";
    params.push_back(f.to);
  }
  if (f.patient_id > 0) {
    // The rows of a patient: the patient row itself, every row holding its
    // patient_id, and the measurements of its lesions (as the row images say).
    const std::string p = std::to_string(f.patient_id);
    if (store.dialect() == Dialect::sqlite) {
      where += " AND ((table_name = 'patients' AND row_id = CAST(? AS INTEGER)) OR (table_name NOT IN ('users', 'user_sites', 'auth_events') AND "
               "json_extract(coalesce(new_row, old_row), '$.patient_id') = CAST(? AS INTEGER)) OR (table_name = 'lesion_measurements' AND "
               "json_extract(coalesce(new_row, old_row), '$.lesion_id') IN (SELECT row_id FROM audit_log WHERE table_name = 'lesions' AND "
               "json_extract(coalesce(new_row, old_row), '$.patient_id') = CAST(? AS INTEGER))))";
    } else {
      where += " AND ((table_name = 'patients' AND row_id = CAST(? AS BIGINT)) OR (table_name NOT IN ('users', 'user_sites', 'auth_events') AND "
               "(coalesce(new_row, old_row)::jsonb->>'patient_id') = ?) OR (table_name = 'lesion_measurements' AND "
               "(coalesce(new_row, old_row)::jsonb->>'lesion_id')::bigint IN (SELECT row_id FROM audit_log WHERE table_name = 'lesions' AND "
               "(coalesce(new_row, old_row)::jsonb->>'patient_id') = ?)))";
    }
    params.insert(params.end(), {p, p, p});
  }
  if (total) {
    const Value n = store.scalar("SELECT COUNT(*) FROM audit_log" + where, params);
    *total = n ? std::stoll(*n) : 0;
  }
  return store.query("SELECT id, at, actor, db_user, table_name, row_id, action, old_row, new_row, reason FROM audit_log" + where +
                         " ORDER BY id DESC" + page(f.limit, f.offset),
                     params);
}

}  // namespace sirtkit::registry
