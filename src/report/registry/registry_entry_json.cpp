#include "report/registry/registry_entry_json.h"

namespace sirtkit::report {
namespace {

using nlohmann::json;
using Kind = EntryRefusal::Kind;

json field_json(const EntryField& f) {
  json j = {{"name", f.name}, {"field", f.field}, {"kind", f.kind}, {"required", f.required}, {"create_only", f.create_only}};
  if (f.range && f.range->whole_days) {
    j["min"] = static_cast<long long>(f.range->min);
    j["max"] = static_cast<long long>(f.range->max);
  } else if (f.range) {
    j["min"] = f.range->min;
    j["max"] = f.range->max;
  }
  if (f.max_length) j["max_length"] = *f.max_length;
  if (f.values) j["values"] = *f.values;
  if (!f.unit.empty()) j["unit"] = f.unit;
  return j;
}

json choices_json(const std::vector<EntryChoice>& choices) {
  json out = json::array();
  for (const auto& c : choices) out.push_back({{"code", c.code}, {"study", c.study}});
  return out;
}

json criteria_response_json(const CriteriaResponse& r) {
  json j = {{"criteria", r.criteria}, {"timepoints", json::array()}};
  for (const auto& t : r.timepoints) j["timepoints"].push_back({{"visit", t.visit}, {"ady", t.ady}, {"response", t.response}});
  if (r.best_response) j["best_response"] = *r.best_response;
  if (r.confirmed_best_response) j["confirmed_best_response"] = *r.confirmed_best_response;
  if (r.not_evaluable) j["not_evaluable"] = *r.not_evaluable;
  return j;
}

json problem_json(const FieldProblem& p) {
  json j = {{"field", p.field}, {"message", p.message}};
  if (p.value) j["value"] = *p.value;
  return j;
}

}  // namespace

const char* refusal_code(Kind k) {
  switch (k) {
    case Kind::bad_field: return "bad_field";
    case Kind::missing_field: return "missing_field";
    case Kind::unknown_field: return "unknown_field";
    case Kind::missing_reason: return "missing_reason";
    case Kind::not_found: return "not_found";
    case Kind::stale_version: return "stale_version";
    case Kind::conflict: return "conflict";
  }
  return "bad_field";
}

bool is_field_refusal(Kind k) { return k != Kind::not_found && k != Kind::stale_version && k != Kind::conflict; }

json entry_forms_json(const EntryForms& f) {
  json forms = json::object();
  for (const auto& form : f.forms) {
    json fields = json::array();
    for (const auto& field : form.fields) fields.push_back(field_json(field));
    forms[form.name] = {{"table", form.table}, {"collection", form.collection}, {"fields", fields}};
  }
  json labs = json::object();
  for (const auto& [test, units] : f.lab_units) labs[test] = units;
  return {{"forms", forms},
          {"lab_units", labs},
          {"sites", choices_json(f.sites)},
          {"arms", choices_json(f.arms)},
          {"reason_max_length", f.reason_max_length},
          {"text_max_length", f.text_max_length}};
}

json saved_record_json(const SavedRecord& s) {
  const json rows = rows_json(s.record);
  json j = {{"form", s.form},
            {"id", s.id},
            {"patient_id", s.patient_id},
            {"version", s.version},
            {"created", s.created},
            {"changed", s.changed},
            {"record", rows.empty() ? json(nullptr) : rows[0]}};
  if (s.pseudonym) j["pseudonym"] = *s.pseudonym;
  if (s.response) j["response"] = {{"recist", criteria_response_json(s.response->recist)}, {"mrecist", criteria_response_json(s.response->mrecist)}};
  if (s.ctcae) j["ctcae"] = lab_grade_json(*s.ctcae);
  return j;
}

json entry_refusal_json(const EntryRefusal& r) {
  json j = {{"error", refusal_code(r.kind)}, {"message", r.message}, {"field", r.field}};
  if (r.value) j["value"] = *r.value;
  if (r.kind == Kind::stale_version) {
    j["yours"] = r.yours;
    j["current"] = r.current;
  }
  if (is_field_refusal(r.kind)) {
    json problems = json::array();
    for (const auto& p : r.problems) problems.push_back(problem_json(p));
    j["problems"] = problems;
  }
  return j;
}

}  // namespace sirtkit::report
