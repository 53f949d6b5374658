#pragma once
// The registry as JSON for the server's API (GET /api/patients, /api/patients/{id},
// /api/audit): the views of registry/derived/patient_view.h with numbers as numbers.
// `deidentified` (the statistician's view) also leaves out the shifted index
// date, so the analysis view holds only pseudonyms and study days.

#include <nlohmann/json.hpp>
#include <optional>

#include "registry/derived/patient_view.h"
#include "registry/store/store.h"

namespace sirtkit::pipelines {

nlohmann::json browse_patients(registry::Store& store, const registry::PatientFilter& filter, bool deidentified);
std::optional<nlohmann::json> browse_patient(registry::Store& store, long long patient_id, const registry::SiteScope& scope,
                                             bool deidentified);
nlohmann::json browse_audit(registry::Store& store, const registry::AuditFilter& filter);

// Rows of a registry table as JSON objects, numbers typed by the table's
// column types (`table` "" = text unless the name says id/_id/age_years).
nlohmann::json rows_json(const registry::ResultSet& r, const std::string& table, bool deidentified);

// Columns never sent to a de-identified (statistician) view.
bool is_identifying_column(const std::string& column);

}  // namespace sirtkit::pipelines
