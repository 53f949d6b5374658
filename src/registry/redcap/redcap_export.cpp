#include "registry/redcap/redcap_export.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "clinical/date.h"
#include "core/csv_text.h"
#include "core/error.h"
#include "registry/import/field_catalog.h"
#include "registry/store/schema.h"

namespace sirtkit::registry {

const char* const export_record_id = "record_id";

const char* redcap_form(FieldGroup g) {
  switch (g) {
    case FieldGroup::patient: return "patient";
    case FieldGroup::lesion: return "lesion_measurements";
    case FieldGroup::treatment: return "treatments";
    case FieldGroup::lab: return "labs";
    case FieldGroup::adverse_event: return "adverse_events";
    case FieldGroup::followup: return "followup";
  }
  return "";
}

namespace {

// Numbers print the same from both stores (SQLite writes 62.0, PostgreSQL 62).
std::string number_text(const std::string& v) {
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || !std::isfinite(x)) return v;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", x);
  return buf;
}

// Exported fields: the catalogue minus birth_date (never stored).
std::vector<const FieldSpec*> exported_fields() {
  std::vector<const FieldSpec*> out;
  for (const auto& f : field_catalog())
    if (!f.table.empty()) out.push_back(&f);
  return out;
}

std::string dictionary_csv(const std::vector<const FieldSpec*>& fields) {
  std::string s =
      "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,\"Choices, Calculations, OR Slider Labels\","
      "Field Note,Text Validation Type OR Show Slider Number,Text Validation Min,Text Validation Max,Identifier?,"
      "Branching Logic (Show field only if...),Required Field?,Custom Alignment,Question Number (surveys only),"
      "Matrix Group Name,Matrix Ranking?,Field Annotation\n";
  s += std::string(export_record_id) + ",patient,,text,sirtkit pseudonym,,,,,,,,y,,,,,\n";
  for (const FieldSpec* f : fields) {
    std::string type = "text", validation;
    switch (f->kind) {
      case FieldKind::date: validation = "date_ymd"; break;
      case FieldKind::integer: validation = "integer"; break;
      case FieldKind::real: validation = "number"; break;
      case FieldKind::flag: type = "yesno"; break;
      case FieldKind::choice: case FieldKind::text: break;
    }
    const bool required = f->required && f->group != FieldGroup::patient;
    s += f->name + "," + redcap_form(f->group) + ",," + type + "," + f->name + ",,," + validation + ",,,,," + (required ? "y" : "") + ",,,,,\n";
  }
  return s;
}

}  // namespace

std::string catalogue_dictionary_csv() { return dictionary_csv(exported_fields()); }

ExportResult export_redcap(Store& store, const std::string& study, const SiteScope& scope) {
  require_current_schema(store);
  const auto fields = exported_fields();
  ExportResult out;
  out.dictionary_csv = dictionary_csv(fields);
  // Header
  std::string& s = out.data_csv;
  s = std::string(export_record_id) + ",redcap_repeat_instrument,redcap_repeat_instance";
  for (const FieldSpec* f : fields) s += "," + f->name;
  s += "\n";
  auto emit = [&](const std::string& pseudonym, const std::string& instrument, int instance, const std::map<std::string, std::string>& v) {
    s += csv_field(pseudonym) + "," + instrument + "," + (instance > 0 ? std::to_string(instance) : "");
    for (const FieldSpec* f : fields) {
      const auto it = v.find(f->name);
      s += ",";
      if (it == v.end()) continue;
      s += csv_field(f->kind == FieldKind::real ? number_text(it->second) : it->second);
    }
    s += "\n";
    ++out.rows;
  };

  Params params = {study, study};
  const ResultSet patients = store.query(
      "SELECT p.id, p.pseudonym, p.index_date_shifted, p.sex, p.age_years, si.code AS site, a.code AS arm, "
      "b.diagnosis, b.ecog, b.child_pugh_class, b.child_pugh_score, b.bclc_stage, b.afp_ng_ml, b.albumin_g_l, "
      "b.bilirubin_umol_l, b.cirrhosis, b.portal_vein_invasion, b.extrahepatic_disease "
      "FROM patients p JOIN studies st ON st.id = p.study_id LEFT JOIN sites si ON si.id = p.site_id "
      "LEFT JOIN arms a ON a.id = p.arm_id LEFT JOIN baseline b ON b.patient_id = p.id "
      "WHERE (? = '' OR st.code = ?)" + site_scope_sql(scope, params) + " ORDER BY p.pseudonym",
      params);
  if (!study.empty() && patients.empty() && !store.scalar("SELECT id FROM studies WHERE code = ?", {study}))
    fail_input(store.location(), "--study", study, "a study code of the registry");
  for (std::size_t i = 0; i < patients.size(); ++i) {
    const std::string id = *patients.at(i, "id"), pseudonym = *patients.at(i, "pseudonym");
    const clinical::Date index = clinical::parse_date(*patients.at(i, "index_date_shifted"), "index_date_shifted");
    auto date = [&](const Value& day) -> std::optional<std::string> {
      if (!day) return std::nullopt;
      return clinical::to_iso(clinical::Date{index.days + std::stoi(*day)});
    };
    std::map<std::string, std::string> base;
    for (const FieldSpec* f : fields) {
      if (f->group != FieldGroup::patient) continue;
      const std::string col = f->name == "index_date" ? "index_date_shifted" : f->table == "sites" ? "site" : f->table == "arms" ? "arm" : f->column;
      if (const Value& v = patients.at(i, col)) base[f->name] = *v;
    }
    emit(pseudonym, "", 0, base);
    ++out.patients;

    // Repeating groups: (instrument, query, field → result column); dates are day columns.
    struct Group {
      FieldGroup group;
      std::string sql;
    };
    const std::vector<Group> groups = {
        {FieldGroup::lesion,
         "SELECT l.label AS lesion_label, l.organ AS lesion_organ, l.kind AS lesion_kind, m.day AS scan_date, m.longest_diameter_mm, "
         "m.short_axis_mm, m.enhancing_diameter_mm FROM lesion_measurements m JOIN lesions l ON l.id = m.lesion_id "
         "WHERE l.patient_id = ? ORDER BY m.day, l.label, m.id"},
        {FieldGroup::treatment,
         "SELECT kind AS treatment_type, start_day AS treatment_start_date, end_day AS treatment_end_date, device, planned_activity_gbq, "
         "delivered_activity_gbq, lung_shunt_fraction_pct, planned_tumour_dose_gy, planned_normal_liver_dose_gy, planned_lung_dose_gy, "
         "verified_tumour_dose_gy, verified_normal_liver_dose_gy, drug, drug_dose_mg, dose_reduced FROM treatments "
         "WHERE patient_id = ? ORDER BY start_day, id"},
        {FieldGroup::lab, "SELECT day AS lab_date, test AS lab_test, value AS lab_value, unit AS lab_unit FROM labs WHERE patient_id = ? ORDER BY day, test, id"},
        {FieldGroup::adverse_event,
         "SELECT term AS ae_term, grade AS ae_grade, onset_day AS ae_onset_date, resolved_day AS ae_resolved_date, serious AS ae_serious "
         "FROM adverse_events WHERE patient_id = ? ORDER BY onset_day, term, id"},
        {FieldGroup::followup, "SELECT kind AS followup_type, day AS followup_date FROM followup_events WHERE patient_id = ? ORDER BY day, kind, id"},
    };
    for (const auto& g : groups) {
      const ResultSet r = store.query(g.sql, {id});
      for (std::size_t k = 0; k < r.size(); ++k) {
        std::map<std::string, std::string> v;
        for (std::size_t c = 0; c < r.columns.size(); ++c) {
          const FieldSpec* f = find_field(r.columns[c]);
          if (!f || !r.rows[k][c]) continue;
          v[f->name] = f->kind == FieldKind::date ? *date(r.rows[k][c]) : *r.rows[k][c];
        }
        emit(pseudonym, redcap_form(g.group), static_cast<int>(k) + 1, v);
      }
    }
  }
  return out;
}

}  // namespace sirtkit::registry
