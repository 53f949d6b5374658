#include "pipelines/registry/registry_browse.h"

#include "clinical/toxicity/ctcae_lab.h"
#include "core/error.h"
#include "registry/store/record_version.h"
#include "registry/store/schema.h"

namespace sirtkit::pipelines {
namespace {

using registry::ColumnType;
using registry::ResultSet;
using report::CellKind;

ColumnType type_of(const std::string& table, const std::string& column) {
  if (column == "id" || column.ends_with("_id") || column == "age_years" || column == "row_id") return ColumnType::integer;
  if (!table.empty())
    for (const auto& c : registry::table_def(table).columns)
      if (c.name == column) return c.type;
  return ColumnType::text;
}

CellKind kind_of(ColumnType t) {
  switch (t) {
    case ColumnType::integer: return CellKind::integer;
    case ColumnType::real: return CellKind::real;
    case ColumnType::text: return CellKind::text;
  }
  return CellKind::text;
}

// Every editable record carries its version (registry/store/record_version.h): an
// edit sends it back and is refused when someone saved in between.
void add_versions(registry::Store& store, const std::string& table, const ResultSet& r, report::RecordRows& rows) {
  const std::size_t id = r.column("id");
  std::vector<long long> ids;
  for (const auto& row : r.rows) ids.push_back(std::stoll(*row[id]));
  const auto versions = registry::record_versions(store, table, ids);
  for (long long i : ids) {
    const auto it = versions.find(i);
    rows.versions.push_back(it == versions.end() ? 0 : it->second);
  }
}

}  // namespace

report::RecordRows record_rows(const ResultSet& r, const std::string& table, bool deidentified) {
  report::RecordRows out;
  std::vector<std::size_t> shown;
  for (std::size_t c = 0; c < r.columns.size(); ++c) {
    if (deidentified && is_identifying_column(r.columns[c])) continue;
    shown.push_back(c);
    out.columns.push_back(r.columns[c]);
    out.kinds.push_back(kind_of(type_of(table, r.columns[c])));
  }
  for (const auto& row : r.rows) {
    std::vector<registry::Value> cells;
    for (std::size_t c : shown) cells.push_back(row[c]);
    out.rows.push_back(std::move(cells));
  }
  return out;
}

bool is_identifying_column(const std::string& column) {
  // The registry stores no direct identifier (docs/registry.md); the shifted
  // index date is the one calendar date it keeps.
  return column == "index_date_shifted";
}

report::LabGradeResult lab_grade(const std::string& test, double value, const std::string& unit) {
  report::LabGradeResult out{test, std::nullopt};
  try {
    clinical::LabValue v;
    v.test = clinical::parse_lab_test(test);
    v.value = value;
    v.unit = unit;
    out.grade = clinical::grade_ctcae_v5(v);
  } catch (const Error&) {
    out.grade.reset();
  }
  return out;
}

report::PatientList browse_patients(registry::Store& store, const registry::PatientFilter& filter, bool deidentified) {
  report::PatientList out;
  const ResultSet r = registry::list_patients(store, filter, &out.total);
  out.patients = record_rows(r, "", deidentified);
  out.limit = filter.limit;
  out.offset = filter.offset;
  return out;
}

std::optional<report::PatientDetail> browse_patient(registry::Store& store, long long patient_id, const registry::SiteScope& scope,
                                                    bool deidentified) {
  const auto rec = registry::patient_record(store, patient_id, scope);
  if (!rec) return std::nullopt;
  report::PatientDetail p;
  const auto table = [&](const ResultSet& r, const std::string& name, report::RecordRows& rows, bool versioned) {
    rows = record_rows(r, name, deidentified);
    if (versioned) add_versions(store, name == "" ? "patients" : name, r, rows);
  };
  table(rec->patient, "", p.patient, true);
  table(rec->baseline, "baseline", p.baseline, true);
  table(rec->treatments, "treatments", p.treatments, true);
  table(rec->lesions, "lesions", p.lesions, false);
  table(rec->lesion_measurements, "lesion_measurements", p.lesion_measurements, true);
  table(rec->labs, "labs", p.labs, true);
  table(rec->adverse_events, "adverse_events", p.adverse_events, true);
  table(rec->followup_events, "followup_events", p.followup_events, true);
  // The CTCAE v5.0 grade of every lab value, as on save.
  for (std::size_t i = 0; i < rec->labs.size(); ++i)
    p.lab_grades.push_back(lab_grade(*rec->labs.at(i, "test"), std::stod(*rec->labs.at(i, "value")), *rec->labs.at(i, "unit")));
  return p;
}

report::AuditPage browse_audit(registry::Store& store, const registry::AuditFilter& filter) {
  report::AuditPage out;
  const ResultSet r = registry::audit_entries(store, filter, &out.total);
  for (const auto& col : r.columns) {
    out.entries.columns.push_back(col);
    // The row images are JSON text written by the audit triggers.
    out.entries.kinds.push_back(col == "old_row" || col == "new_row" ? CellKind::json_text
                                : col == "id" || col == "row_id"      ? CellKind::integer
                                                                      : CellKind::text);
  }
  out.entries.rows = r.rows;
  out.limit = filter.limit;
  out.offset = filter.offset;
  return out;
}

}  // namespace sirtkit::pipelines
