#include "pipelines/registry/registry_browse.h"

#include "pipelines/registry/registry_entry.h"
#include "registry/store/record_version.h"
#include "registry/store/schema.h"

namespace sirtkit::pipelines {
namespace {

using registry::ColumnType;
using registry::ResultSet;

ColumnType type_of(const std::string& table, const std::string& column) {
  if (column == "id" || column.ends_with("_id") || column == "age_years" || column == "row_id") return ColumnType::integer;
  if (!table.empty())
    for (const auto& c : registry::table_def(table).columns)
      if (c.name == column) return c.type;
  return ColumnType::text;
}

nlohmann::json value_json(const registry::Value& v, ColumnType t) {
  if (!v) return nullptr;
  switch (t) {
    case ColumnType::integer: return std::stoll(*v);
    case ColumnType::real: return std::stod(*v);
    case ColumnType::text: return *v;
  }
  return *v;
}

}  // namespace

nlohmann::json rows_json(const ResultSet& r, const std::string& table, bool deidentified) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows) {
    nlohmann::json o = nlohmann::json::object();
    for (std::size_t c = 0; c < r.columns.size(); ++c) {
      if (deidentified && is_identifying_column(r.columns[c])) continue;
      o[r.columns[c]] = value_json(row[c], type_of(table, r.columns[c]));
    }
    rows.push_back(std::move(o));
  }
  return rows;
}

bool is_identifying_column(const std::string& column) {
  // The registry stores no direct identifier (docs/registry.md); the shifted
  // index date is the one calendar date it keeps.
  return column == "index_date_shifted";
}

nlohmann::json browse_patients(registry::Store& store, const registry::PatientFilter& filter, bool deidentified) {
  long long total = 0;
  const ResultSet r = registry::list_patients(store, filter, &total);
  return {{"total", total}, {"limit", filter.limit}, {"offset", filter.offset}, {"patients", rows_json(r, "", deidentified)}};
}

std::optional<nlohmann::json> browse_patient(registry::Store& store, long long patient_id, const registry::SiteScope& scope, bool deidentified) {
  const auto rec = registry::patient_record(store, patient_id, scope);
  if (!rec) return std::nullopt;
  nlohmann::json j = rows_json(rec->patient, "", deidentified)[0];
  const auto baseline = rows_json(rec->baseline, "baseline", deidentified);
  j["baseline"] = baseline.empty() ? nlohmann::json(nullptr) : baseline[0];
  j["treatments"] = rows_json(rec->treatments, "treatments", deidentified);
  j["lesions"] = rows_json(rec->lesions, "lesions", deidentified);
  j["lesion_measurements"] = rows_json(rec->lesion_measurements, "lesion_measurements", deidentified);
  j["labs"] = rows_json(rec->labs, "labs", deidentified);
  j["adverse_events"] = rows_json(rec->adverse_events, "adverse_events", deidentified);
  j["followup_events"] = rows_json(rec->followup_events, "followup_events", deidentified);
  // Every editable record carries its version (registry/store/record_version.h): an
  // edit sends it back and is refused when someone saved in between.
  auto add_versions = [&](nlohmann::json& rows, const std::string& table) {
    std::vector<long long> ids;
    for (const auto& r : rows) ids.push_back(r["id"].get<long long>());
    const auto versions = registry::record_versions(store, table, ids);
    for (auto& r : rows) {
      const auto it = versions.find(r["id"].get<long long>());
      r["version"] = it == versions.end() ? 0 : it->second;
    }
  };
  nlohmann::json self = nlohmann::json::array({j});
  add_versions(self, "patients");
  j["version"] = self[0]["version"];
  if (!j["baseline"].is_null()) {
    nlohmann::json b = nlohmann::json::array({j["baseline"]});
    add_versions(b, "baseline");
    j["baseline"] = b[0];
  }
  for (const char* t : {"treatments", "lesion_measurements", "labs", "adverse_events", "followup_events"}) add_versions(j[t], t);
  // The CTCAE v5.0 grade of every lab value, as on save.
  for (auto& lab : j["labs"]) lab["ctcae"] = lab_grade_json(lab["test"].get<std::string>(), lab["value"].get<double>(), lab["unit"].get<std::string>());
  return j;
}

nlohmann::json browse_audit(registry::Store& store, const registry::AuditFilter& filter) {
  long long total = 0;
  const ResultSet r = registry::audit_entries(store, filter, &total);
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows) {
    nlohmann::json o = nlohmann::json::object();
    for (std::size_t c = 0; c < r.columns.size(); ++c) {
      const std::string& col = r.columns[c];
      const auto& v = row[c];
      if ((col == "old_row" || col == "new_row") && v) {
        // The row images are JSON text written by the audit triggers.
        o[col] = nlohmann::json::parse(*v, nullptr, false);
        if (o[col].is_discarded()) o[col] = *v;
      } else {
        o[col] = value_json(v, (col == "id" || col == "row_id") ? ColumnType::integer : ColumnType::text);
      }
    }
    // What changed, field by field (old -> new); an insert lists every value set, a delete every value held.
    nlohmann::json changes = nlohmann::json::array();
    const nlohmann::json empty = nlohmann::json::object();
    const nlohmann::json& before = o.contains("old_row") && o["old_row"].is_object() ? o["old_row"] : empty;
    const nlohmann::json& after = o.contains("new_row") && o["new_row"].is_object() ? o["new_row"] : empty;
    for (const auto* side : {&before, &after})
      for (const auto& [k, v] : side->items()) {
        if (k == "id" || (side == &after && before.contains(k))) continue;
        const nlohmann::json old_v = before.contains(k) ? before[k] : nlohmann::json(nullptr);
        const nlohmann::json new_v = after.contains(k) ? after[k] : nlohmann::json(nullptr);
        if (old_v == new_v) continue;
        // SQLite writes 62.0 where PostgreSQL writes 62: the same number is no change.
        if (old_v.is_number() && new_v.is_number() && old_v.get<double>() == new_v.get<double>()) continue;
        changes.push_back({{"field", k}, {"old", old_v}, {"new", new_v}});
      }
    o["changes"] = changes;
    rows.push_back(std::move(o));
  }
  return {{"total", total}, {"limit", filter.limit}, {"offset", filter.offset}, {"entries", rows}};
}

}  // namespace sirtkit::pipelines
