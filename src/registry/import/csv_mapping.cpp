#include "registry/import/csv_mapping.h"

#include <algorithm>
#include <set>

#include "clinical/units.h"
#include "core/error.h"
#include "io/text_formats/toml_reader.h"
#include "registry/import/date_format.h"
#include "registry/import/field_catalog.h"
#include "registry/redcap/redcap_import.h"
#include "registry/import/unit_conversion.h"

namespace sirtkit::registry {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + (x.empty() ? std::string("(none)") : x);
  return s;
}

std::string record_key(const std::string& record) { return record.empty() ? "constants" : "records." + record; }

class MappingReader {
 public:
  explicit MappingReader(const std::string& source) : source_(source) {}

  CsvMapping read(io::TomlTable& root) {
    CsvMapping m;
    m.source = source_;
    m.patient_id = root.string("patient_id");
    if (auto f = root.optional_string("date_format")) m.date_format = *f;
    if (!is_date_format(m.date_format)) problem("date_format", m.date_format, "a date pattern holding YYYY, MM and DD once each, e.g. DD/MM/YYYY");
    if (root.has("missing")) m.missing = root.strings("missing");
    m.drop = root.strings("drop");
    if (root.has("identifiers")) m.identifiers = root.strings("identifiers");
    io::TomlTable columns = root.table("columns");
    for (const std::string& name : columns.keys()) {
      io::TomlTable t = columns.table(name);
      // field = "x" or ["x", "y"]: one column may feed several fields (a SIRT
      // date that is both the index date and the treatment start).
      for (const std::string& field : t.strings("field")) m.columns.push_back(read_column(t, name, field, m.date_format));
      if (!t.has("field")) problem("columns.\"" + name + "\".field", "(missing)", "the registry field this column feeds");
      t.finish();
    }
    if (auto c = root.optional_table("constants")) {
      m.constants[""] = read_constants(*c, "");
      c->finish();
    }
    if (auto r = root.optional_table("records")) {
      for (const std::string& name : r->keys()) {
        io::TomlTable t = r->table(name);
        if (name.empty()) problem("records", "\"\"", "a record name");
        m.constants[name] = read_constants(t, name);
        t.finish();
      }
      r->finish();
    }
    root.finish();
    check_columns(m);
    check_records(m);
    if (!problems_.empty()) {
      std::string msg = std::to_string(problems_.size()) + " problem" + (problems_.size() == 1 ? "" : "s") + " in the mapping " + source_ + ":";
      for (const auto& p : problems_) msg += "\n  " + p.to_string();
      throw ImportError(problems_, msg);
    }
    return m;
  }

 private:
  void problem(const std::string& key, const std::string& value, const std::string& expected) {
    problems_.push_back({source_, 0, key, value, expected});
  }

  ColumnMapping read_column(io::TomlTable& t, const std::string& name, const std::string& field, const std::string& file_date_format) {
    const std::string key = "columns.\"" + name + "\"";
    ColumnMapping c;
    c.column = name;
    c.field = field;
    const FieldSpec* spec = find_field(c.field);
    if (!spec) {
      problem(key + ".field", c.field, "a registry field (docs/registry.md, field catalogue)");
      return c;
    }
    if (auto u = t.optional_string("unit")) {
      c.unit = *u;
      const std::string target = registry_unit(c.field);
      if (target.empty())
        problem(key + ".unit", c.unit, c.field + " has no unit; remove the key" +
                                           std::string(c.field == "lab_value" ? " (the unit of a lab value is the field lab_unit)" : ""));
      else if (auto f = factor_to_registry_unit(c.field, c.unit)) c.factor = *f;
      else problem(key + ".unit", c.unit, "a unit that converts exactly to " + target + " for " + c.field + ": " + join(accepted_units(c.field)));
    }
    if (auto f = t.optional_string("date_format")) {
      c.date_format = *f;
      if (spec->kind != FieldKind::date) problem(key + ".date_format", *f, "no date format: " + c.field + " is not a date");
      else if (!is_date_format(*f)) problem(key + ".date_format", *f, "a date pattern holding YYYY, MM and DD once each, e.g. DD/MM/YYYY");
    } else if (spec->kind == FieldKind::date) {
      c.date_format = file_date_format;
    }
    if (auto r = t.optional_table("recode")) {
      for (const std::string& from : r->keys()) c.recode[from] = r->string(from);
      r->finish();
    }
    if (t.has("records")) {
      c.records = t.strings("records");
      if (c.records.empty()) problem(key + ".records", "[]", "at least one record name");
      if (spec->group == FieldGroup::patient) problem(key + ".records", join(c.records), "no record names: " + c.field + " is a patient field (one per patient)");
    }
    return c;
  }

  std::map<std::string, std::string> read_constants(io::TomlTable& t, const std::string& record) {
    std::map<std::string, std::string> out;
    for (const std::string& field : t.keys()) {
      const std::string value = t.string(field);
      const FieldSpec* spec = find_field(field);
      const std::string key = record_key(record) + "." + field;
      if (!spec) problem(key, value, "a registry field (docs/registry.md, field catalogue)");
      else if (spec->kind == FieldKind::date) problem(key, value, "a column for " + field + ": dates differ per record and are shifted per patient");
      else if (spec->group == FieldGroup::patient && !record.empty()) problem(key, value, "patient fields under [constants], not in a named record");
      out[field] = value;
    }
    return out;
  }

  void check_columns(const CsvMapping& m) {
    std::set<std::string> dropped(m.drop.begin(), m.drop.end());
    if (dropped.count(m.patient_id)) problem("drop", m.patient_id, "a list without the patient_id column");
    for (const auto& c : m.columns) {
      if (c.column == m.patient_id) problem("columns.\"" + c.column + "\"", c.field, "no mapping for the patient_id column (it becomes the pseudonym)");
      if (dropped.count(c.column)) problem("drop", c.column, "either a mapped or a dropped column, not both");
    }
    for (const auto& i : m.identifiers) {
      if (i == m.patient_id) problem("identifiers", i, "a list without the patient_id column (it is an identifier already)");
      for (const auto& c : m.columns)
        if (c.column == i) problem("identifiers", i, "an identifier column that is not mapped to a registry field (" + c.field + ")");
    }
  }

  // Each (kind of record, record name) must be fed its registry-required fields
  // and each field at most once.
  void check_records(const CsvMapping& m) {
    std::map<std::pair<FieldGroup, std::string>, std::map<std::string, std::string>> fed;  // → field → where
    auto feed = [&](FieldGroup g, const std::string& record, const std::string& field, const std::string& where) {
      auto [it, fresh] = fed[{g, record}].emplace(field, where);
      if (!fresh) problem(where, field, "one source for " + field + (record.empty() ? "" : " in record " + record) + " (also " + it->second + ")");
    };
    for (const auto& c : m.columns)
      if (const FieldSpec* s = find_field(c.field))
        for (const auto& r : c.records) feed(s->group, r, c.field, "columns.\"" + c.column + "\"");
    std::set<std::pair<FieldGroup, std::string>> with_columns;
    for (const auto& [k, v] : fed) with_columns.insert(k);
    for (const auto& [record, fields] : m.constants)
      for (const auto& [field, value] : fields)
        if (const FieldSpec* s = find_field(field)) {
          if (!with_columns.count({s->group, record}) && s->group != FieldGroup::patient)
            problem(record_key(record) + "." + field, value,
                    std::string("a column of the same ") + group_name(s->group) + " record" + (record.empty() ? "" : " " + record) +
                        " (a constant alone makes no record)");
          feed(s->group, record, field, record_key(record) + "." + field);
        }
    for (const auto& [k, fields] : fed) {
      const auto& [group, record] = k;
      if (group == FieldGroup::patient) continue;  // index_date may come from the earliest record
      for (const auto& s : field_catalog())
        if (s.group == group && s.required && !fields.count(s.name))
          problem(record.empty() ? "columns" : "records." + record, "(no " + s.name + ")",
                  std::string("a column or constant for ") + s.name + ": required for every " + group_name(group) + " record" +
                      (record.empty() ? "" : " (record " + record + ")"));
    }
  }

  std::string source_;
  std::vector<ImportProblem> problems_;
};

}  // namespace

CsvMapping parse_csv_mapping(const std::string& toml_text, const std::string& source) {
  io::TomlTable root = io::TomlTable::parse_text(toml_text, source);
  return MappingReader(source).read(root);
}

CsvMapping read_csv_mapping(const std::filesystem::path& path) {
  io::TomlTable root = io::TomlTable::parse_file(path);
  return MappingReader(root.file()).read(root);
}

}  // namespace sirtkit::registry
