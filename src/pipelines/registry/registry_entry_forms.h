#pragma once
// The data-entry forms of pipelines/registry/registry_entry.h, generated from
// the field catalogue (registry/import/field_catalog.h): one form per record
// kind, each field with its catalogue entry, where it is stored and whether it
// is a study day or fixed once saved. Used by registry_entry only.

#include <string>
#include <vector>

#include "registry/import/field_catalog.h"
#include "report/registry/registry_entry_result.h"

namespace sirtkit::pipelines::entry {

struct FormField {
  std::string name;  // in the API and the form
  const registry::FieldSpec* spec = nullptr;
  bool day = false;          // a date, entered and stored as a study day
  std::string table;         // where it is stored (a measurement's label, organ and kind: lesions)
  bool create_only = false;  // fixed once saved (the index date; which lesion a measurement is of)
};

struct Form {
  std::string name, table, collection;
  registry::FieldGroup group;
  std::vector<FormField> fields;
  const FormField* field(const std::string& n) const {
    for (const auto& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  }
  // Required by the catalogue; a patient's site too (its study and scope follow from it).
  bool required(const FormField& f) const { return f.spec->required || (name == "patient" && f.name == "site"); }
};

// The forms: patient, baseline, treatment, lesion_measurement, lab, adverse_event, followup.
const std::vector<Form>& forms();
// The form named `name` (an internal error when there is none).
const Form& form_named(const std::string& name);
// A field of a form as the form shows it: kind, required, range, length, vocabulary, unit.
report::EntryField entry_field(const Form& form, const FormField& f);

}  // namespace sirtkit::pipelines::entry
