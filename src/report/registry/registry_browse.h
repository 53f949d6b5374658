#pragma once
// The registry as the server's API shows it (GET /api/patients,
// /api/patients/{id}, /api/audit, and the record a data-entry write returns):
// JSON from the rows pipelines/registry/registry_browse reads, numbers as
// numbers. The rows come here already cut to what the reader may see (the
// statistician's view has no shifted index date: the pipeline leaves it out).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "clinical/toxicity/ctcae_lab.h"

namespace sirtkit::report {

// How a stored cell (text, or absent) is sent: a JSON integer, real or string,
// or JSON text parsed (the audit trail's row images; sent as a string when
// it does not parse). An absent cell is null.
enum class CellKind { integer, real, text, json_text };

// Rows of one registry table: each row an object of its columns; `versions`
// (one per row, registry/store/record_version.h), when given, adds "version".
struct RecordRows {
  std::vector<std::string> columns;
  std::vector<CellKind> kinds;  // one per column
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::vector<long long> versions;  // empty: no "version" key
};
nlohmann::json rows_json(const RecordRows& rows);

// The CTCAE v5.0 grade of one lab value (clinical/toxicity/ctcae_lab.h) as the API
// sends it: {grade (null when not gradable), term, basis, reason}; without a
// grading (the test has no grade from the value alone) only {grade: null, reason}.
struct LabGradeResult {
  std::string test;
  std::optional<clinical::LabGrade> grade;
};
nlohmann::json lab_grade_json(const LabGradeResult& lab);

// GET /api/patients: one page of the patient list.
struct PatientList {
  RecordRows patients;
  long long total = 0, limit = 0, offset = 0;  // total: before limit/offset
};
nlohmann::json patient_list_json(const PatientList& list);

// GET /api/patients/{id}: the patient's own row with its tables.
struct PatientDetail {
  RecordRows patient;   // one row, with its version
  RecordRows baseline;  // at most one row (none: null), with its version
  RecordRows treatments, lesions, lesion_measurements, labs, adverse_events, followup_events;
  std::vector<LabGradeResult> lab_grades;  // one per labs row, as on save
};
nlohmann::json patient_detail_json(const PatientDetail& patient);

// GET /api/audit: one page of the audit trail, newest first. Each entry also
// lists what changed field by field (old -> new) between its row images
// (old_row, new_row): an insert every value set, a delete every value held.
struct AuditPage {
  RecordRows entries;  // columns of audit_log; old_row and new_row as json_text
  long long total = 0, limit = 0, offset = 0;
};
nlohmann::json audit_page_json(const AuditPage& page);

}  // namespace sirtkit::report
