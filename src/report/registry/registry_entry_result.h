#pragma once
// What data entry into the registry returns (pipelines/registry/registry_entry.h,
// the forms of `sirtkit serve`): the forms and their fields, a saved record
// with its version and what is computed on save, and a refusal with every
// field problem found. report/registry/registry_entry_json renders them.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/registry/registry_browse.h"

namespace sirtkit::report {

// A field's plausible range: study days (whole numbers, sent as integers) or an
// integer or real field's inclusive range (registry/import/field_catalog.h).
struct EntryRange {
  double min = 0, max = 0;
  bool whole_days = false;
};

// One field of a form.
struct EntryField {
  std::string name;   // in the API and the form
  std::string field;  // the catalogue field (registry/import/field_catalog.h)
  std::string kind;   // text, integer, real, date, flag, choice, or day (a study day)
  bool required = false;
  bool create_only = false;              // fixed once the record is saved
  std::optional<EntryRange> range;       // day, integer and real fields
  std::optional<std::size_t> max_length; // text fields
  std::optional<std::vector<std::string>> values;  // choice fields: the vocabulary
  std::string unit;                      // the registry's unit; empty: none
};

struct EntryForm {
  std::string name, table, collection;
  std::vector<EntryField> fields;
};

// A site or arm the user may choose, with its study's code.
struct EntryChoice {
  std::string code, study;
};

// GET /api/forms.
struct EntryForms {
  std::vector<EntryForm> forms;
  std::vector<std::pair<std::string, std::vector<std::string>>> lab_units;  // test -> units
  std::vector<EntryChoice> sites, arms;
  std::size_t reason_max_length = 0, text_max_length = 0;
};

// The tumour response of a patient by one criteria, as derived after a lesion
// measurement (registry/derived/tumour_response.h): the overall response at each
// time point, the best and confirmed best responses, or why the patient is not evaluable.
struct ResponseTimepoint {
  std::string visit, ady, response;
};
struct CriteriaResponse {
  std::string criteria;
  std::vector<ResponseTimepoint> timepoints;
  std::optional<std::string> best_response, confirmed_best_response, not_evaluable;
};
struct EntryResponse {
  CriteriaResponse recist, mrecist;  // RECIST 1.1 and mRECIST
};

// A saved record: its form, ids and version, whether it was created or which
// fields an edit changed, the stored row, and what is computed on save.
struct SavedRecord {
  std::string form;
  long long id = 0, patient_id = 0, version = 0;
  bool created = false;
  std::vector<std::string> changed;
  RecordRows record;                     // the stored row (none: null)
  std::optional<std::string> pseudonym;  // a new patient's
  std::optional<EntryResponse> response; // a lesion measurement saved (an edit: when it changed something)
  std::optional<LabGradeResult> ctcae;   // a lab: its CTCAE v5.0 grade
};

// One field problem of a refused write.
struct FieldProblem {
  std::string field;
  std::string message;               // what was expected
  std::optional<std::string> value;  // only when safe to repeat (registry::safe_to_show)
};

// A refused write: nothing has been written. The first problem is named in
// kind, field, message and value; `problems` lists every field problem found.
struct EntryRefusal {
  enum class Kind { bad_field, missing_field, unknown_field, missing_reason, not_found, stale_version, conflict };
  Kind kind = Kind::bad_field;
  std::string field;
  std::string message;
  std::optional<std::string> value;
  long long yours = 0, current = 0;  // stale_version: the version sent and the stored one
  std::vector<FieldProblem> problems;
};

}  // namespace sirtkit::report
