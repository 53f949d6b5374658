#pragma once
// Import of a plain CSV (any column names, units, date format and codes) with
// a mapping file (csv_mapping.h). The mapping turns every CSV row into the
// rows of a REDCap export of the sirtkit template (one patient row, one row
// per lesion/treatment/lab/adverse-event/follow-up record it holds), which
// the REDCap importer then validates and writes: the same checks against the
// field catalogue, the same pseudonymisation and date shifting with the key,
// the same single all-or-nothing transaction. Problems are reported on the
// CSV's own lines and columns; values of the patient identifier and the birth
// date are never shown.

#include <vector>

#include "io/text_formats/csv_table.h"
#include "registry/import/csv_mapping.h"
#include "registry/import/pseudonym.h"
#include "registry/redcap/redcap_import.h"
#include "registry/store/store.h"

namespace sirtkit::registry {

// Validates without writing; returns every problem (empty = importable).
std::vector<ImportProblem> validate_mapped_csv(Store& store, const io::CsvTable& data, const CsvMapping& mapping,
                                               const PseudonymKey& key, const ImportOptions& options = {});

// Validates, then writes all or nothing. Throws ImportError listing every problem.
ImportSummary import_mapped_csv(Store& store, const io::CsvTable& data, const CsvMapping& mapping, const PseudonymKey& key,
                                const ImportOptions& options = {});

}  // namespace sirtkit::registry
