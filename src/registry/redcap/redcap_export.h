#pragma once
// De-identified export of the registry as a REDCap-shaped CSV (one row per
// patient, one per instance of lesion measurements, treatments, labs, adverse
// events and follow-up) plus the matching data dictionary, so that the export
// can be analysed elsewhere or imported again (ImportOptions::pseudonymised).
//
// Only registry columns leave: the pseudonym as record id, shifted dates
// (shifted index date + study day), age in years, coded values. Direct
// identifiers never entered the registry, so they cannot leave it.

#include <cstddef>
#include <string>

#include "registry/import/field_catalog.h"
#include "registry/derived/patient_view.h"
#include "registry/store/store.h"

namespace sirtkit::registry {

struct ExportResult {
  std::string data_csv;
  std::string dictionary_csv;
  std::size_t patients = 0;
  std::size_t rows = 0;  // data rows (patient rows + instances)
};

// `study`: a study code to export, or empty for every study; `scope`: only the
// patients of these sites (the server's site-scoped download).
ExportResult export_redcap(Store& store, const std::string& study = "", const SiteScope& scope = std::nullopt);

// A REDCap data dictionary covering every registry field (the sirtkit REDCap
// template): record_id first, patient fields on form "patient", each repeating
// group on its own form (lesion_measurements, treatments, labs, adverse_events, followup).
std::string catalogue_dictionary_csv();

// The form (instrument) of each kind of record in that template: "patient",
// or the repeating form of the group.
const char* redcap_form(FieldGroup group);

// The form of each repeating group in exports (and the REDCap template in docs/registry.md).
extern const char* const export_record_id;  // "record_id"

}  // namespace sirtkit::registry
