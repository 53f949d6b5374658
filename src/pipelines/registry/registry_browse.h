#pragma once
// The registry views of the server's API (GET /api/patients, /api/patients/{id},
// /api/audit): the rows of registry/derived/patient_view.h with each column's type,
// cut to what the reader may see -- `deidentified` (the statistician's view)
// leaves out the shifted index date, so the analysis view holds only
// pseudonyms and study days. report/registry/registry_browse renders them.

#include <optional>
#include <string>

#include "registry/derived/patient_view.h"
#include "registry/store/store.h"
#include "report/registry/registry_browse.h"

namespace sirtkit::pipelines {

report::PatientList browse_patients(registry::Store& store, const registry::PatientFilter& filter, bool deidentified);
std::optional<report::PatientDetail> browse_patient(registry::Store& store, long long patient_id, const registry::SiteScope& scope,
                                                    bool deidentified);
report::AuditPage browse_audit(registry::Store& store, const registry::AuditFilter& filter);

// Rows of a registry table, numbers typed by the table's column types
// (`table` "" = text unless the name says id/_id/age_years).
report::RecordRows record_rows(const registry::ResultSet& r, const std::string& table, bool deidentified);

// Columns never sent to a de-identified (statistician) view.
bool is_identifying_column(const std::string& column);

// The CTCAE v5.0 grade of one lab value (clinical/toxicity/ctcae_lab.h); no grading
// when the test has none from the value alone.
report::LabGradeResult lab_grade(const std::string& test, double value, const std::string& unit);

}  // namespace sirtkit::pipelines
