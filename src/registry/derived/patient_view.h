#pragma once
// Read-only views of the registry for `sirtkit serve` (and any other reader):
// the patient list with filters, one patient's record table by table, and
// the audit trail with filters. Every query is parameterised; site scoping is
// part of the query, so a caller cannot forget it.

#include <optional>
#include <string>
#include <vector>

#include "registry/store/store.h"

namespace sirtkit::registry {

// nullopt: every site; otherwise only patients whose site is in the list
// (patients without a site are then not visible).
using SiteScope = std::optional<std::vector<long long>>;

// " AND p.site_id IN (?, ...)" for a query whose patients table is aliased p,
// with the ids appended to `params` (parameterised like every value); "" for
// every site; a condition no patient meets for an empty list.
std::string site_scope_sql(const SiteScope& scope, Params& params);

struct PatientFilter {
  SiteScope scope;
  std::string site;    // site code ("" = any)
  std::string arm;     // arm code ("" = any)
  std::string status;  // "" | "alive" | "deceased" (a follow-up event of kind death)
  std::string search;  // part of the pseudonym, case-insensitive ("" = any)
  long long limit = 100;
  long long offset = 0;
};

// Columns: id, pseudonym, study, site, arm, sex, age_years, index_date_shifted,
// status; ordered by pseudonym. `total` is the count before limit/offset.
ResultSet list_patients(Store& store, const PatientFilter& filter, long long* total);

struct PatientRecord {
  ResultSet patient;  // one row, the columns of list_patients
  ResultSet baseline, treatments, lesions, lesion_measurements, labs, adverse_events, followup_events;
};
// nullopt when there is no such patient or it is outside `scope`.
std::optional<PatientRecord> patient_record(Store& store, long long patient_id, const SiteScope& scope);

struct AuditFilter {
  std::string actor;       // exact
  std::string table;       // exact table_name
  std::string from, to;    // ISO dates or timestamps, compared as text on `at` (UTC); to is inclusive of that day
  long long patient_id = 0;  // > 0: entries of this patient's rows (the patient, its baseline, lesions, measurements, ...)
  long long limit = 200;
  long long offset = 0;
};
// Columns of audit_log (with reason), newest first.
ResultSet audit_entries(Store& store, const AuditFilter& filter, long long* total);

}  // namespace sirtkit::registry
