#include "pipelines/clinical/clinical_eligibility.h"

#include <fmt/format.h>


#include "core/error.h"
#include "core/text.h"
#include "io/text_formats/toml_reader.h"
#include "pipelines/clinical/clinical_tables.h"

namespace sirtkit::pipelines {
using namespace sirtkit::clinical;

namespace {


// One condition: a comparison (field/operator/threshold/unit/analyte/values), a date
// comparison (date_from/date_to/operator/threshold/unit), or a group ([[...all]] / [[...any]]).
Condition read_condition(io::TomlTable& t, const std::string& where) {
  Condition c;
  const bool all = t.has("all"), any = t.has("any");
  if (all || any) {
    if (all && any) fail_input(where, "all", "(given with any)", "either [[...all]] or [[...any]] in one table");
    for (const char* k : {"field", "operator", "threshold", "values", "value", "date_from", "date_to"})
      if (t.has(k)) fail_input(where, k, "(given)", "either a condition or an all/any group, not both");
    c.group = all ? Condition::Group::all : Condition::Group::any;
    for (io::TomlTable k : t.tables(all ? "all" : "any")) {
      c.children.push_back(read_condition(k, where));
      k.finish();
    }
    return c;
  }
  if (t.has("date_from") || t.has("date_to")) {
    if (t.has("field")) fail_input(where, "field", "(given)", "date_from and date_to name the two date columns");
    c.date_from = ascii_lower(t.string("date_from"));
    c.field = ascii_lower(t.string("date_to"));
  } else {
    c.field = ascii_lower(t.string("field"));
  }
  c.op = parse_compare_op(t.string("operator"), where);
  c.threshold = t.optional_number("threshold");
  c.unit = t.optional_string("unit").value_or("");
  c.analyte = t.optional_string("analyte").value_or("");
  if (t.has("values")) c.values = t.strings("values");
  if (auto v = t.optional_string("value")) c.values.push_back(*v);
  return c;
}

// [fields.<name>]: allowed = [...] | min/max (+ unit, integer) | text = true.
void read_fields(io::TomlTable& root, RuleSet& rs) {
  auto fields = root.optional_table("fields");
  if (!fields) return;
  for (const std::string& name : fields->keys()) {
    io::TomlTable f = fields->table(name);
    FieldDomain d;
    if (f.has("allowed")) d.allowed = f.strings("allowed");
    d.min = f.optional_number("min");
    d.max = f.optional_number("max");
    d.unit = f.optional_string("unit").value_or("");
    d.integer = f.optional_boolean("integer").value_or(false);
    d.text = f.optional_boolean("text").value_or(false);
    f.finish();
    rs.fields[ascii_lower(name)] = d;
  }
  fields->finish();
}

RuleSet rules_from(io::TomlTable root) {
  RuleSet rs;
  rs.name = root.string("name");
  rs.source = root.optional_string("source").value_or("");
  read_fields(root, rs);
  for (io::TomlTable t : root.tables("criterion")) {
    Criterion c;
    c.where = t.file() + " " + t.path();
    c.id = t.string("id");
    c.where += " (" + c.id + ")";
    c.description = t.optional_string("description").value_or("");
    const std::string type = t.optional_string("type").value_or("inclusion");
    if (type != "inclusion" && type != "exclusion")
      fail_input(c.where, "type", type, "inclusion or exclusion");
    c.exclusion = type == "exclusion";
    c.required = t.optional_boolean("required").value_or(true);
    Condition top = read_condition(t, c.where);
    if (top.group == Condition::Group::all) c.conditions = std::move(top.children);  // the criterion's AND
    else c.conditions.push_back(std::move(top));
    t.finish();
    rs.criteria.push_back(std::move(c));
  }
  root.finish();
  validate_rules(rs);
  return rs;
}

EligibilityReport evaluate(RuleSet rules, const CsvRows& csv) {
  const std::size_t c_pid = csv.column("patient") ? *csv.column("patient") : csv.require_column("patient_id");
  // Every field the rules use must be a column (a misspelt column must not read as "missing").
  for (const Criterion& c : rules.criteria)
    for (const std::string& f : condition_fields(c)) csv.require_column(f);
  // One row per patient: a second row could give a second, conflicting verdict. The
  // identifier is patient data, so the message names the lines only.
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const std::string pid = trim(csv.rows[i][c_pid]);
    if (pid.empty()) fail_input(csv.where(i), "column " + csv.header[c_pid], "''", "a patient identifier");
    auto [it, fresh] = seen.emplace(pid, i);
    if (!fresh)
      fail_input(csv.where(i), "column " + csv.header[c_pid], "(identifier not shown)",
                 "one row per patient: the same patient as line " + std::to_string(csv.lines[it->second]));
  }
  EligibilityReport rep;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    std::map<std::string, std::string> rec;
    for (std::size_t j = 0; j < csv.header.size(); ++j) rec[csv.header[j]] = csv.rows[i][j];
    rep.patients.push_back(evaluate_eligibility(rules, trim(csv.rows[i][c_pid]), rec, csv.where(i)));
  }
  rep.rules = std::move(rules);
  return rep;
}

}  // namespace

RuleSet read_eligibility_rules(const std::filesystem::path& toml_file) {
  return rules_from(io::TomlTable::parse_file(toml_file));
}

RuleSet parse_eligibility_rules(const std::string& toml_text, const std::string& file_name) {
  return rules_from(io::TomlTable::parse_text(toml_text, file_name));
}

EligibilityReport run_eligibility(const std::filesystem::path& rules_toml, const std::filesystem::path& patients_csv) {
  return evaluate(read_eligibility_rules(rules_toml), read_csv(patients_csv));
}

EligibilityReport eligibility_from_text(const std::string& rules_toml, const std::string& patients_csv) {
  return evaluate(parse_eligibility_rules(rules_toml, "rules.toml"), parse_csv(patients_csv, "patients.csv"));
}

}  // namespace sirtkit::pipelines
