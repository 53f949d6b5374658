#include "pipelines/registry/registry_entry_forms.h"

#include "core/error.h"
#include "registry/import/field_check.h"
#include "registry/import/unit_conversion.h"

namespace sirtkit::pipelines::entry {

using registry::FieldGroup;
using registry::FieldKind;
using registry::FieldSpec;

// The forms, generated from the field catalogue: one per record kind.
const std::vector<Form>& forms() {
  static const std::vector<Form> all = [] {
    std::vector<Form> out = {
        {"patient", "patients", "", FieldGroup::patient, {}},
        {"baseline", "baseline", "baseline", FieldGroup::patient, {}},
        {"treatment", "treatments", "treatments", FieldGroup::treatment, {}},
        {"lesion_measurement", "lesion_measurements", "lesion_measurements", FieldGroup::lesion, {}},
        {"lab", "labs", "labs", FieldGroup::lab, {}},
        {"adverse_event", "adverse_events", "adverse_events", FieldGroup::adverse_event, {}},
        {"followup", "followup_events", "followup_events", FieldGroup::followup, {}},
    };
    for (const auto& s : registry::field_catalog()) {
      if (s.table.empty()) continue;  // birth_date: used by imports to compute the age, never stored
      for (auto& form : out) {
        if (form.group != s.group) continue;
        if (s.group == FieldGroup::patient && (form.name == "patient") == (s.table == "baseline")) continue;
        FormField f{s.column, &s, s.kind == FieldKind::date, s.table, s.table == "lesions"};
        if (s.table == "sites" || s.table == "arms") f.name = s.name;
        if (s.name == "index_date") {
          f.name = "index_date";
          f.day = false;
          f.create_only = true;
        }
        form.fields.push_back(f);
      }
    }
    return out;
  }();
  return all;
}

const Form& form_named(const std::string& name) {
  for (const auto& f : forms())
    if (f.name == name) return f;
  throw Error(ErrorCategory::internal, "no entry form '" + name + "'");
}

report::EntryField entry_field(const Form& form, const FormField& f) {
  const FieldSpec& s = *f.spec;
  static const char* kinds[] = {"text", "integer", "real", "date", "flag", "choice"};
  report::EntryField out;
  out.name = f.name;
  out.field = s.name;
  out.kind = f.day ? "day" : kinds[static_cast<int>(s.kind)];
  out.required = form.required(f);
  out.create_only = f.create_only;
  if (f.day) out.range = report::EntryRange{static_cast<double>(-registry::max_study_day), static_cast<double>(registry::max_study_day), true};
  else if (s.kind == FieldKind::integer || s.kind == FieldKind::real) out.range = report::EntryRange{s.min, s.max, false};
  if (s.kind == FieldKind::text) out.max_length = registry::max_text_length;
  if (s.kind == FieldKind::choice) out.values = s.values;
  out.unit = registry::registry_unit(s.name);
  return out;
}

}  // namespace sirtkit::pipelines::entry
