#pragma once
// Import of a REDCap export (the "CSV / Microsoft Excel (raw data)" export)
// validated against its data dictionary, into the registry.
//
// Rows: REDCap writes one row per record for the non-repeating instruments
// (redcap_repeat_instrument empty) and one row per instance of a repeating
// instrument (lesion measurements, treatments, labs, adverse events,
// follow-up). The first dictionary field is the record identifier.
//
// Every row and cell is checked first (dictionary types, choices, ranges,
// required fields, dates; the registry's own vocabularies and ranges; lab
// units; date order). Any problem → nothing is written and ImportError lists
// every problem with file, line, column and value. Otherwise everything is
// written in ONE transaction.
//
// De-identification on the way in: the record identifier becomes an HMAC
// pseudonym, dates become study days from the index date plus a shifted index
// date, fields marked "Identifier? = y", free text and fields the registry has
// no column for are dropped, and the birth date is used only to compute age.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/text_formats/csv_table.h"
#include "registry/redcap/import_result.h"
#include "registry/import/pseudonym.h"
#include "registry/redcap/redcap_dictionary.h"
#include "registry/store/store.h"

namespace sirtkit::registry {

class ImportError : public Error {
 public:
  ImportError(std::vector<ImportProblem> problems, const std::string& message)
      : Error(ErrorCategory::bad_input, message), problems_(std::move(problems)) {}
  const std::vector<ImportProblem>& problems() const { return problems_; }

 private:
  std::vector<ImportProblem> problems_;
};

struct ImportOptions {
  std::string study = "default";  // study code the patients belong to
  std::string actor = "sirtkit-import";
  // Records (patients) already in the registry are updated instead of refused:
  // their fields given in the import replace the stored values, repeating
  // records are matched by their natural key (lesion + scan day, treatment
  // kind + start day, lab test + day, adverse-event term + onset day,
  // follow-up kind + day) and updated or added. Nothing is deleted; a value
  // left empty keeps the stored one. The index date (day 0) cannot change.
  // The audit trail records each UPDATE with the old and the new row.
  bool update_existing = false;
  // More values of each record's identifier columns (record id → values), for
  // the check that no text field holds one; the mapped import passes the
  // plain CSV's name, birth date, ... columns here. The REDCap import adds the
  // record id and every field flagged "Identifier? = y" or named like one.
  std::map<std::string, std::vector<std::string>> identifier_values;
  // Called before the n-th row write inside the transaction (a hook for the
  // kill test, which kills the process at a chosen write; may be empty).
  std::function<void(std::size_t n)> on_write;
};

// Validates without writing; returns every problem (empty = importable).
std::vector<ImportProblem> validate_redcap(Store& store, const io::CsvTable& data, const DataDictionary& dict,
                                           const PseudonymKey& key, const ImportOptions& options = {});

// Validates, then writes all or nothing. Throws ImportError listing every problem.
ImportSummary import_redcap(Store& store, const io::CsvTable& data, const DataDictionary& dict, const PseudonymKey& key,
                            const ImportOptions& options = {});

// Imports a sirtkit export again (redcap_export.h): the record ids are taken as
// pseudonyms (P + 20 hex digits) and the dates as already shifted; no key.
ImportSummary import_pseudonymised(Store& store, const io::CsvTable& data, const DataDictionary& dict,
                                   const ImportOptions& options = {});

}  // namespace sirtkit::registry
