#include "report/registry/registry_browse.h"

namespace sirtkit::report {
namespace {

using nlohmann::json;

json cell_json(const std::optional<std::string>& v, CellKind kind) {
  if (!v) return nullptr;
  switch (kind) {
    case CellKind::integer: return std::stoll(*v);
    case CellKind::real: return std::stod(*v);
    case CellKind::text: return *v;
    case CellKind::json_text: {
      json j = json::parse(*v, nullptr, false);
      return j.is_discarded() ? json(*v) : j;
    }
  }
  return *v;
}

json row_json(const RecordRows& r, std::size_t row) {
  json o = json::object();
  for (std::size_t c = 0; c < r.columns.size(); ++c) o[r.columns[c]] = cell_json(r.rows[row][c], r.kinds[c]);
  if (!r.versions.empty()) o["version"] = r.versions[row];
  return o;
}

// What changed between two row images, field by field (the id aside).
json changes_json(const json& entry) {
  json changes = json::array();
  const json empty = json::object();
  const json& before = entry.contains("old_row") && entry["old_row"].is_object() ? entry["old_row"] : empty;
  const json& after = entry.contains("new_row") && entry["new_row"].is_object() ? entry["new_row"] : empty;
  for (const auto* side : {&before, &after})
    for (const auto& [k, v] : side->items()) {
      if (k == "id" || (side == &after && before.contains(k))) continue;
      const json old_v = before.contains(k) ? before[k] : json(nullptr);
      const json new_v = after.contains(k) ? after[k] : json(nullptr);
      if (old_v == new_v) continue;
      // SQLite writes 62.0 where PostgreSQL writes 62: the same number is no change.
      if (old_v.is_number() && new_v.is_number() && old_v.get<double>() == new_v.get<double>()) continue;
      changes.push_back({{"field", k}, {"old", old_v}, {"new", new_v}});
    }
  return changes;
}

}  // namespace

json rows_json(const RecordRows& r) {
  json rows = json::array();
  for (std::size_t i = 0; i < r.rows.size(); ++i) rows.push_back(row_json(r, i));
  return rows;
}

json lab_grade_json(const LabGradeResult& lab) {
  json j = {{"grade", nullptr}};
  if (!lab.grade) {
    j["reason"] = "no CTCAE v5.0 grade for " + lab.test + " from the value alone";
    return j;
  }
  const clinical::LabGrade& g = *lab.grade;
  if (g.grade) j["grade"] = *g.grade;
  j["term"] = g.term;
  j["basis"] = g.basis;
  j["reason"] = g.reason;
  return j;
}

json patient_list_json(const PatientList& l) {
  return {{"total", l.total}, {"limit", l.limit}, {"offset", l.offset}, {"patients", rows_json(l.patients)}};
}

json patient_detail_json(const PatientDetail& p) {
  json j = row_json(p.patient, 0);
  j["baseline"] = p.baseline.rows.empty() ? json(nullptr) : row_json(p.baseline, 0);
  j["treatments"] = rows_json(p.treatments);
  j["lesions"] = rows_json(p.lesions);
  j["lesion_measurements"] = rows_json(p.lesion_measurements);
  j["labs"] = rows_json(p.labs);
  j["adverse_events"] = rows_json(p.adverse_events);
  j["followup_events"] = rows_json(p.followup_events);
  for (std::size_t i = 0; i < p.lab_grades.size(); ++i) j["labs"][i]["ctcae"] = lab_grade_json(p.lab_grades[i]);
  return j;
}

json audit_page_json(const AuditPage& a) {
  json entries = json::array();
  for (std::size_t i = 0; i < a.entries.rows.size(); ++i) {
    json o = row_json(a.entries, i);
    o["changes"] = changes_json(o);
    entries.push_back(std::move(o));
  }
  return {{"total", a.total}, {"limit", a.limit}, {"offset", a.offset}, {"entries", entries}};
}

}  // namespace sirtkit::report
