#pragma once
// The mapping file of a plain-CSV import (TOML): which CSV column feeds which
// registry field, in which unit, with which date format and value recodes,
// and which column identifies the patient. docs/registry.md documents every key;
// examples/registry/plain_csv_mapping.toml is a complete example.
//
//   patient_id  = "Hospital number"        # pseudonymised, never stored
//   date_format = "DD/MM/YYYY"             # default YYYY-MM-DD
//   missing     = ["", "NA", "n/a"]        # cells that mean "no value"
//   drop        = ["Name", "Comments"]     # columns read by nobody (identifiers, free text)
//   identifiers = ["Name", "Phone"]        # identifier columns: never stored, read only to refuse
//                                          # text fields holding their values
//   [columns."Bilirubin"]                  # a CSV column ...
//   field = "bilirubin_umol_l"             # ... feeds this registry field (field_catalog.h), or a list of fields
//   unit  = "mg/dL"                        # converted ×17.1 (unit_conversion.h)
//   [columns."Sex"]
//   field = "sex"
//   recode = { M = "male", F = "female" }
//   [constants]                            # the same value on every record of its kind
//   lesion_organ = "liver"
//
// One CSV row can hold one record of each kind (patient, lesion measurement,
// treatment, lab, adverse event, follow-up). A wide row holding several
// records of one kind (two lesions, or bilirubin and albumin on one date)
// names them: columns take `records = ["T1"]`, and [records.T1] holds the
// constants of record T1 (e.g. lesion_label = "T1").

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace sirtkit::registry {

struct ColumnMapping {
  std::string column;       // CSV header
  std::string field;        // registry field (field_catalog.h)
  std::string unit;         // unit of the CSV values ("" = the registry field's own)
  double factor = 1;        // registry value = factor × CSV value
  std::string date_format;  // date fields: the pattern (the file's date_format unless given)
  std::map<std::string, std::string> recode;  // CSV value → registry value; when given, every value must be listed
  std::vector<std::string> records{""};       // record names this column fills ("" = the unnamed record)
};

struct CsvMapping {
  std::string source;                  // file name, for messages
  std::string patient_id;              // CSV column identifying the patient
  std::string date_format = "YYYY-MM-DD";
  std::vector<std::string> missing{"", "NA"};
  std::vector<std::string> drop;       // CSV columns that are never read
  // CSV columns holding direct identifiers (names, phone, address, ...): never
  // stored; read only to refuse a text field of the same row's patient that
  // holds one of their values (as the patient_id column, the birth date and
  // dropped columns named like identifiers are).
  std::vector<std::string> identifiers;
  std::vector<ColumnMapping> columns;  // in file order
  // record name ("" = [constants]) → field → value
  std::map<std::string, std::map<std::string, std::string>> constants;
};

// Reads and checks the mapping: every field is a registry field, every unit
// converts exactly to the field's unit, date formats are patterns, each record
// has the fields the registry requires (lesion_label, scan_date, ...), and a
// field is fed once per record. Throws ImportError listing every problem
// (file = the mapping, column = the key) or bad_input for malformed TOML.
CsvMapping parse_csv_mapping(const std::string& toml_text, const std::string& source);
CsvMapping read_csv_mapping(const std::filesystem::path& path);

}  // namespace sirtkit::registry
