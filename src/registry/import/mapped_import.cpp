#include "registry/import/mapped_import.h"

#include "core/csv_text.h"
#include "core/text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "clinical/date.h"
#include "registry/import/date_format.h"
#include "registry/import/field_catalog.h"
#include "registry/import/identifier_scan.h"
#include "registry/redcap/redcap_dictionary.h"
#include "registry/redcap/redcap_export.h"
#include "registry/store/schema.h"
#include "registry/import/unit_conversion.h"

namespace sirtkit::registry {
namespace {


// Fields whose values never appear in messages.
bool is_identifier_field(const std::string& field) { return field == export_record_id || field == "birth_date"; }

// One cell of a record of the REDCap form, and where it came from.
struct Cell {
  std::string value;     // as the REDCap importer will read it
  std::string column;    // CSV column, or the mapping key of a constant
  std::string original;  // as written in the CSV (empty for constants)
  std::string converted; // after a unit conversion: "600 mm" (for messages)
};

struct FormRow {
  std::size_t csv_line = 0;
  std::string id;
  FieldGroup group = FieldGroup::patient;
  std::map<std::string, Cell> cells;  // field → cell
};

// The CSV rewritten as a REDCap export of the sirtkit template, and the way back.
class RedcapForm {
 public:
  RedcapForm(const io::CsvTable& data, const CsvMapping& m) : data_(data), m_(m) { convert(); }

  const std::vector<ImportProblem>& problems() const { return problems_; }
  // False when the CSV's columns do not fit the mapping (nothing was converted).
  bool columns_fit() const { return columns_fit_; }
  io::CsvTable table() const;
  DataDictionary dictionary() const;
  // An importer problem on the REDCap form, told in terms of the CSV.
  ImportProblem translate(const ImportProblem& p, const io::CsvTable& form_table, const std::string& dict_source) const;
  void adjust(ImportSummary& s) const;
  // Per patient id: the values of the CSV's identifier columns (identifiers =
  // [...] and dropped columns named like identifiers), for ImportOptions.
  const std::map<std::string, std::vector<std::string>>& identifier_values() const { return identifier_values_; }

 private:
  void problem(std::size_t line, const std::string& column, const std::string& value, const std::string& expected) {
    for (const auto& p : problems_)  // a column feeding two fields fails once
      if (p.line == line && p.column == column && p.message == expected) return;
    problems_.push_back({data_.source(), line, column, value, expected});
  }
  void convert();
  std::optional<std::string> convert_cell(const ColumnMapping& c, const FieldSpec& s, const std::string& v, std::size_t line);

  const io::CsvTable& data_;
  const CsvMapping& m_;
  std::vector<FormRow> rows_;
  std::set<std::string> fields_;  // fields of the form (columns of its table)
  std::vector<ImportProblem> problems_;
  std::map<std::string, std::vector<std::string>> identifier_values_;
  bool columns_fit_ = false;
};

std::optional<std::string> RedcapForm::convert_cell(const ColumnMapping& c, const FieldSpec& s, const std::string& raw,
                                                     std::size_t line) {
  // Values of identifier, date and text columns never appear in a message;
  // others only when they cannot be patient data (a plain number, one character).
  const bool hidden = is_identifier_field(c.field) || s.kind == FieldKind::text || s.kind == FieldKind::date ||
                      looks_like_identifier_column(c.column);
  const std::string shown = hidden || !safe_to_show(raw) ? not_shown : raw;
  std::string v = raw;
  if (!c.recode.empty()) {
    const auto it = c.recode.find(v);
    if (it == c.recode.end()) {
      std::string keys;
      for (const auto& [k, to] : c.recode) keys += (keys.empty() ? "" : ", ") + k;
      problem(line, c.column, shown, "one of the values the mapping recodes: " + keys);
      return std::nullopt;
    }
    v = it->second;
  }
  if (s.kind == FieldKind::date) {
    const auto d = parse_date_in_format(v, c.date_format);
    if (!d) {
      problem(line, c.column, shown, "a calendar date written " + c.date_format);
      return std::nullopt;
    }
    return clinical::to_iso(*d);
  }
  if (!c.unit.empty() && c.factor != 1) {
    double x = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(x)) {
      problem(line, c.column, shown, "a number (in " + c.unit + ")");
      return std::nullopt;
    }
    char buf[40];
    // 12 significant digits: the conversion's round-off (1.2 × 17.1 = 20.520000000000003) is not data.
    std::snprintf(buf, sizeof buf, "%.12g", x * c.factor);
    return std::string(buf);
  }
  return v;
}

void RedcapForm::convert() {
  std::set<std::string> header(data_.header().begin(), data_.header().end());
  if (!header.count(m_.patient_id)) problem(1, m_.patient_id, "(missing)", "the patient_id column named in the mapping " + m_.source);
  for (const auto& c : m_.columns)
    if (!header.count(c.column)) problem(1, c.column, "(missing)", "the column mapped to " + c.field + " in " + m_.source);
  std::set<std::string> known(m_.drop.begin(), m_.drop.end());
  known.insert(m_.identifiers.begin(), m_.identifiers.end());
  for (const auto& i : m_.identifiers)
    if (!header.count(i)) problem(1, i, "(missing)", "the identifier column named in identifiers = [...] of " + m_.source);
  known.insert(m_.patient_id);
  for (const auto& c : m_.columns) known.insert(c.column);
  for (const auto& h : data_.header())  // an unlisted column might hold an identifier: it must be mapped or dropped
    if (!known.count(h)) problem(1, h, "(unlisted column)", "a column mapped under [columns] or listed in drop = [...] of " + m_.source);
  if (!problems_.empty()) return;
  columns_fit_ = true;

  const std::set<std::string> missing(m_.missing.begin(), m_.missing.end());
  const std::size_t c_id = data_.column_index(m_.patient_id);
  std::vector<std::size_t> c_of;  // CSV column of each mapping
  for (const auto& c : m_.columns) c_of.push_back(data_.column_index(c.column));
  std::vector<std::size_t> c_ident;  // identifier columns, read only for the text-field check
  for (std::size_t c = 0; c < data_.columns(); ++c) {
    const std::string& h = data_.header()[c];
    const bool dropped = std::find(m_.drop.begin(), m_.drop.end(), h) != m_.drop.end();
    if (std::find(m_.identifiers.begin(), m_.identifiers.end(), h) != m_.identifiers.end() || (dropped && looks_like_identifier_column(h)))
      c_ident.push_back(c);
  }
  std::set<std::string> seen;
  for (std::size_t r = 0; r < data_.rows(); ++r) {
    const std::size_t line = data_.line_of_row(r);
    const std::string id = trim(data_.cell(r, c_id));
    if (missing.count(id)) {
      problem(line, m_.patient_id, "(empty)", "the patient identifier");
      continue;
    }
    for (const std::size_t c : c_ident)
      if (const std::string v = trim(data_.cell(r, c)); !missing.count(v)) identifier_values_[id].push_back(v);
    // (kind, record name) → record; "own" says a column of this record alone has a value.
    std::map<std::pair<FieldGroup, std::string>, FormRow> records;
    std::set<std::pair<FieldGroup, std::string>> own;
    for (std::size_t k = 0; k < m_.columns.size(); ++k) {
      const ColumnMapping& c = m_.columns[k];
      const FieldSpec* s = find_field(c.field);
      const std::string raw = trim(data_.cell(r, c_of[k]));
      if (missing.count(raw)) continue;
      const auto value = convert_cell(c, *s, raw, line);
      for (const auto& name : c.records) {
        const std::pair key{s->group, name};
        if (c.records.size() == 1) own.insert(key);
        if (value && !(c.recode.size() && value->empty())) {  // a recode to "" means no value
          const std::string converted = c.factor != 1 ? *value + " " + registry_unit(c.field) : "";
          records[key].cells[c.field] = {*value, c.column, raw, converted};
        }
      }
    }
    const bool first = seen.insert(id).second;
    if (first) own.insert({FieldGroup::patient, ""});
    for (const auto& key : own) {
      FormRow row = std::move(records[key]);
      row.csv_line = line;
      row.id = id;
      row.group = key.first;
      if (auto it = m_.constants.find(key.second); it != m_.constants.end())
        for (const auto& [field, value] : it->second)
          if (find_field(field)->group == key.first)
            row.cells.emplace(field, Cell{value, (key.second.empty() ? "constants." : "records." + key.second + ".") + field, "", ""});
      for (const auto& [f, cell] : row.cells) fields_.insert(f);
      rows_.push_back(std::move(row));
    }
  }
}

io::CsvTable RedcapForm::table() const {
  std::vector<std::string> header{export_record_id, "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance"};
  std::vector<std::string> fields;
  for (const auto& s : field_catalog())
    if (fields_.count(s.name)) fields.push_back(s.name);
  header.insert(header.end(), fields.begin(), fields.end());
  std::string text = csv_line(header);
  std::map<std::string, int> instance;
  for (const auto& row : rows_) {
    // One event per CSV line: the importer merges the patient fields of a
    // patient's rows and refuses two different values of one field.
    // redcap_repeat_instrument: empty on the (non-repeating) patient form.
    const std::string form = row.group == FieldGroup::patient ? "" : redcap_form(row.group);
    std::vector<std::string> cells{row.id, "line " + std::to_string(row.csv_line), form,
                                   form.empty() ? "" : std::to_string(++instance[row.id + "/" + form])};
    for (const auto& f : fields) {
      const auto it = row.cells.find(f);
      cells.push_back(it == row.cells.end() ? "" : it->second.value);
    }
    text += csv_line(cells);
  }
  return io::CsvTable::parse(text, data_.source() + " (as mapped by " + m_.source + ")");
}

DataDictionary RedcapForm::dictionary() const {
  // The sirtkit REDCap template, reduced to the mapped fields; the record id
  // (the CSV's patient identifier) and the birth date are identifiers.
  const io::CsvTable t = io::CsvTable::parse(catalogue_dictionary_csv(), "the sirtkit REDCap template");
  const std::size_t c_name = t.column_index("Variable / Field Name"), c_ident = t.column_index("Identifier?");
  std::string text = csv_line(t.header());
  auto row_of = [&](std::size_t r) {
    std::vector<std::string> cells;
    for (std::size_t c = 0; c < t.columns(); ++c) cells.push_back(t.cell(r, c));
    return cells;
  };
  std::vector<std::string> template_row;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& name = t.cell(r, c_name);
    if (name == export_record_id) {
      auto cells = row_of(r);
      cells[c_ident] = "y";
      text += csv_line(cells);
      template_row = row_of(r);
    } else if (fields_.count(name)) {
      text += csv_line(row_of(r));
    }
  }
  if (fields_.count("birth_date")) {  // not in the template: it is never stored
    auto cells = template_row;
    cells[c_name] = "birth_date";
    cells[t.column_index("Field Label")] = "birth date";
    cells[t.column_index("Text Validation Type OR Show Slider Number")] = "date_ymd";
    cells[t.column_index("Required Field?")] = "";
    cells[c_ident] = "y";
    text += csv_line(cells);
  }
  return DataDictionary::from_table(io::CsvTable::parse(text, "the sirtkit REDCap template"));
}

ImportProblem RedcapForm::translate(const ImportProblem& p, const io::CsvTable& form, const std::string& dict_source) const {
  ImportProblem out = p;
  // "(data dictionary the sirtkit REDCap template line 12)" says nothing about the user's files.
  if (const auto at = out.message.find(" (data dictionary " + dict_source); at != std::string::npos) {
    const auto close = out.message.find(')', at);
    out.message.erase(at, close == std::string::npos ? std::string::npos : close - at + 1);
  }
  if (const auto at = out.message.find("(required field in the data dictionary)"); at != std::string::npos)
    out.message.replace(at, 39, "(required for every record of its kind)");
  if (p.file == dict_source) {
    out.file = m_.source;
    out.line = 0;
    return out;
  }
  if (p.file != form.source()) return out;
  out.file = data_.source();
  if (p.line <= 1) return out;
  // Lines of the form's rows increase with the row: binary search.
  std::size_t lo = 0, hi = form.rows();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (form.line_of_row(mid) < p.line) lo = mid + 1;
    else hi = mid;
  }
  if (lo == form.rows() || form.line_of_row(lo) != p.line) return out;
  const FormRow* row = &rows_[lo];
  out.line = row->csv_line;
  if (p.column == export_record_id) {
    out.column = m_.patient_id;
  } else if (const auto it = row->cells.find(p.column); it != row->cells.end()) {
    out.column = it->second.column;
    if (p.value == it->second.value && !it->second.original.empty() && !is_identifier_field(p.column) && safe_to_show(it->second.original)) {
      out.value = it->second.original;
      if (!it->second.converted.empty()) out.message += " (converted: " + it->second.converted + ")";
    }
  } else {
    // A field the row has no value for (merged patient fields, required fields): name its column if one is mapped.
    for (const auto& c : m_.columns)
      if (c.field == p.column) {
        out.column = c.column;
        break;
      }
  }
  return out;
}

void RedcapForm::adjust(ImportSummary& s) const {
  s.dropped_identifiers = {m_.patient_id + " (pseudonymised)"};
  for (const auto& i : m_.identifiers) s.dropped_identifiers.push_back(i);
  for (const auto& c : m_.columns)
    if (c.field == "birth_date") s.dropped_identifiers.push_back(c.column + " (age only)");
  s.dropped_free_text.clear();
  s.dropped_other = m_.drop;
}

std::vector<ImportProblem> sorted(std::vector<ImportProblem> v) {
  std::stable_sort(v.begin(), v.end(), [](const ImportProblem& a, const ImportProblem& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  return v;
}

// The mapper's problems, then the importer's on the cells the mapper let through.
std::vector<ImportProblem> check(Store& store, const RedcapForm& form, const io::CsvTable& table, const DataDictionary& dict,
                                 const PseudonymKey& key, const ImportOptions& options) {
  std::vector<ImportProblem> all = form.problems();
  if (!form.columns_fit()) return all;
  std::set<std::pair<std::size_t, std::string>> reported;
  for (const auto& p : all) reported.insert({p.line, p.column});
  ImportOptions with_ids = options;
  with_ids.identifier_values = form.identifier_values();
  for (const auto& p : validate_redcap(store, table, dict, key, with_ids)) {
    ImportProblem t = form.translate(p, table, dict.source());
    if (!reported.count({t.line, t.column})) all.push_back(std::move(t));
  }
  return sorted(std::move(all));
}

[[noreturn]] void fail(std::vector<ImportProblem> problems, const std::string& source) {
  std::string msg = std::to_string(problems.size()) + " problem" + (problems.size() == 1 ? "" : "s") + " in " + source +
                    "; nothing was imported:";
  for (const auto& p : problems) msg += "\n  " + p.to_string();
  throw ImportError(std::move(problems), msg);
}

}  // namespace

std::vector<ImportProblem> validate_mapped_csv(Store& store, const io::CsvTable& data, const CsvMapping& mapping,
                                               const PseudonymKey& key, const ImportOptions& options) {
  require_current_schema(store);
  const RedcapForm form(data, mapping);
  const io::CsvTable table = form.table();
  return check(store, form, table, form.dictionary(), key, options);
}

ImportSummary import_mapped_csv(Store& store, const io::CsvTable& data, const CsvMapping& mapping, const PseudonymKey& key,
                                const ImportOptions& options) {
  require_current_schema(store);
  const RedcapForm form(data, mapping);
  const io::CsvTable table = form.table();
  const DataDictionary dict = form.dictionary();
  if (auto problems = check(store, form, table, dict, key, options); !problems.empty()) fail(std::move(problems), data.source());
  try {
    ImportOptions with_ids = options;
    with_ids.identifier_values = form.identifier_values();
    ImportSummary s = import_redcap(store, table, dict, key, with_ids);
    form.adjust(s);
    return s;
  } catch (const ImportError& e) {  // validated above; only a concurrent writer gets here
    std::vector<ImportProblem> problems;
    for (const auto& p : e.problems()) problems.push_back(form.translate(p, table, dict.source()));
    fail(sorted(std::move(problems)), data.source());
  }
}

}  // namespace sirtkit::registry
