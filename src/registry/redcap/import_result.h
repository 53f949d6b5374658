#pragma once
// What an import of a REDCap export (registry/redcap/redcap_import.h) reports: every
// problem that refused it, or what it wrote and dropped. Rendered through
// report/'s own copies (report::ImportCounts, ImportProblemRow), which the
// pipeline fills: report/ includes no registry header.

#include <cstddef>
#include <string>
#include <vector>

namespace sirtkit::registry {

struct ImportProblem {
  std::string file;
  std::size_t line = 0;  // 1-based line in the file (header = line 1); 0 = whole file
  std::string column;
  std::string value;
  std::string message;
  // "data.csv line 4, column age = 'x': expected a number"
  std::string to_string() const {
    std::string s = file;
    if (line > 0) s += " line " + std::to_string(line);
    s += ", column " + column + " = '" + value + "': expected " + message;
    return s;
  }
};

struct ImportSummary {
  std::size_t patients = 0, lesions = 0, measurements = 0, treatments = 0, labs = 0, adverse_events = 0, followup_events = 0;
  std::vector<std::string> dropped_identifiers;  // dictionary "Identifier? = y" (+ the record id itself)
  std::vector<std::string> dropped_free_text;    // notes / unvalidated text not in the catalogue
  std::vector<std::string> dropped_other;        // other fields without a registry column
  std::string index_date_rule;                   // what day 0 is: "index_date" or the earliest dated record
  // update_existing: patients already in the registry that the import touched,
  // and their stored rows changed or left as they were (new rows count above).
  std::size_t patients_updated = 0, rows_updated = 0, rows_unchanged = 0;
};

}  // namespace sirtkit::registry
