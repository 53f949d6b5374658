#include "registry/redcap/redcap_import.h"

#include "core/text.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "clinical/date.h"
#include "clinical/units.h"
#include "registry/import/field_catalog.h"
#include "registry/import/field_check.h"
#include "registry/import/identifier_scan.h"
#include "registry/store/row_upsert.h"
#include "registry/store/schema.h"

namespace sirtkit::registry {
namespace {


// REDCap exports dates as YYYY-MM-DD whatever the display format (date_dmy,
// date_mdy), and datetimes as "YYYY-MM-DD HH:MM[:SS]": the date part counts.
std::optional<clinical::Date> parse_redcap_date(const std::string& s, bool datetime) {
  std::string d = s;
  if (datetime) {
    if (s.size() < 16 || s[10] != ' ') return std::nullopt;
    d = s.substr(0, 10);
  }
  if (d.size() != 10) return std::nullopt;
  try {
    return clinical::parse_date(d, "date");
  } catch (const Error&) {
    return std::nullopt;
  }
}

// The unit a catalogue field is named after (canonical_unit spelling), or nullptr.
const std::string* field_unit(const std::string& name) {
  static const std::vector<std::pair<std::string, std::string>> suffix = {
      {"_gbq", "gbq"}, {"_gy", "gy"}, {"_mm", "mm"}, {"_pct", "%"}, {"_ng_ml", "ng/ml"}, {"_g_l", "g/l"}, {"_umol_l", "umol/l"}, {"_mg", "mg"}};
  for (const auto& [suf, unit] : suffix)
    if (name.size() > suf.size() && name.compare(name.size() - suf.size(), suf.size(), suf) == 0) return &unit;
  return nullptr;
}

// Units recognised in a Field Note; any other note is free text and ignored.
bool is_known_unit(const std::string& u) {
  static const std::set<std::string> known = {"gbq", "mbq", "mci", "gy", "cgy", "mm", "cm", "%", "ng/ml", "ug/l", "iu/ml",
                                              "g/l", "g/dl", "umol/l", "mg/dl", "mg", "g", "ml"};
  return known.count(u) > 0;
}

bool is_pseudonym(const std::string& id) {
  if (id.size() != 21 || id[0] != 'P') return false;
  return id.find_first_not_of("0123456789abcdef", 1) == std::string::npos;
}

// What messages show instead of a record id (it may be a hospital record number).
const char* const record_id_not_shown = "(record id, not shown)";

struct Row {
  std::size_t line = 0;
  FieldGroup group = FieldGroup::patient;
  std::map<std::string, std::string> v;  // catalogue field → canonical value
  bool has(const std::string& f) const { return v.count(f) > 0; }
  const std::string& get(const std::string& f) const { return v.at(f); }
};

struct Record {
  std::optional<clinical::Date> index;  // day 0
  std::string id;
  std::size_t first_line = 0;
  std::optional<Row> base;
  std::vector<Row> children;
};

// A field's value in a row, or NULL when the row does not have it.
Value optional_value(const Row& r, const std::string& f) { return r.has(f) ? Value(r.get(f)) : std::nullopt; }

class Importer {
 public:
  // key == nullptr: the record ids are sirtkit pseudonyms already (an export
  // being imported again) and the dates are already shifted.
  Importer(Store& store, const io::CsvTable& data, const DataDictionary& dict, const PseudonymKey* key)
      : store_(store), data_(data), dict_(dict), key_(key) {}

  void set_options(const ImportOptions& options) { options_ = options; }
  std::vector<ImportProblem> validate();
  ImportSummary write();

 private:
  // The value is shown only when it cannot be patient data (see shown_value).
  void problem(std::size_t line, const std::string& column, const std::string& value, const std::string& message,
               const std::string& file = "") {
    problems_.push_back({file.empty() ? data_.source() : file, line, column, shown_value(column, value), message});
  }
  std::string shown_value(const std::string& column, const std::string& value) const;
  void dict_problem(const DictionaryField& f, const std::string& column, const std::string& value, const std::string& message) {
    problems_.push_back({dict_.source(), f.line, column, value, message});
  }
  void check_header();
  void check_dictionary_against_catalogue();
  void check_row(std::size_t r);
  bool check_dictionary_value(const DictionaryField& f, const std::string& checkbox_code, const std::string& value,
                              std::size_t line, const std::string& column);
  std::optional<std::string> registry_value(const FieldSpec& s, const DictionaryField& f, const std::string& value,
                                            std::size_t line);
  void check_record(Record& rec);
  std::size_t write_row(const std::string& table, const std::vector<std::pair<std::string, Value>>& cols, long long* id);
  // Writes one row: a new patient's rows are inserted; a stored patient's
  // (update_existing, updating_) are matched by their key and updated or added.
  // True when a row was inserted.
  bool put(const std::string& table, const Columns& key, const Columns& values, long long* id);
  // The rows of one record's repeating instruments (lesions and their
  // measurements, treatments, labs, adverse events, follow-up events) of patient row `patient`.
  void write_children(const Record& rec, const std::string& patient, clinical::Date index);
  bool updating_ = false;

  Store& store_;
  const io::CsvTable& data_;
  const DictionaryField* record_field_ = nullptr;
  const DataDictionary& dict_;
  const PseudonymKey* key_;
  // How a record id appears in messages: never (flagged or not, it may be a
  // hospital record number), except a sirtkit pseudonym of a pseudonymised import.
  std::string shown_id(const std::string& id) const { return !key_ && is_pseudonym(id) ? id : record_id_not_shown; }
  std::string pseudonym(const std::string& id) const { return key_ ? key_->pseudonym(id) : id; }
  int date_shift(const std::string& id) const { return key_ ? key_->date_shift_days(id) : 0; }
  std::vector<ImportProblem> problems_;
  // Identifier checks of the text fields: the values of each record's own
  // identifier columns, and the text values to look for them in (checked once
  // every row of the record has been read).
  struct TextCell {
    std::string id;
    std::size_t line;
    std::string column;
    std::string value;
  };
  std::map<std::string, IdentifierValues> own_identifiers_;
  std::vector<TextCell> text_cells_;
  std::string current_id_;
  void check_text_cells();
  std::size_t c_record_ = 0;
  long c_instrument_ = -1;
  long c_event_ = -1;
  std::set<std::string> repeating_;                       // instruments that appear in the data
  std::map<std::string, FieldGroup> form_group_;          // form → group of its catalogued fields
  std::vector<std::pair<const DictionaryField*, std::string>> column_field_;  // per column: field, checkbox code
  std::map<std::string, Record> records_;
  bool index_from_records_ = false;
  std::vector<std::string> order_;                        // record ids in file order
  ImportSummary summary_;
  std::size_t writes_ = 0;
  std::function<void(std::size_t)> on_write_;
  ImportOptions options_;
  // update_existing: the patients of the import already in the registry, by pseudonym.
  struct StoredPatient {
    std::string id, study;
    clinical::Date index;  // day 0 in the import's dates (unshifted with the key)
  };
  std::map<std::string, StoredPatient> stored_;
  const StoredPatient* stored(const std::string& id) const {
    const auto it = stored_.find(pseudonym(id));
    return it == stored_.end() ? nullptr : &it->second;
  }
  void check_against_stored(const Record& rec, const StoredPatient& sp);
};

std::string Importer::shown_value(const std::string& column, const std::string& v) const {
  static const std::set<std::string> placeholders = {"(empty)", "(missing)", "(no such field)", not_shown, record_id_not_shown};
  if (placeholders.count(v)) return v;
  if (record_field_ && column == record_field_->name) return shown_id(v);
  if (column == "redcap_repeat_instrument") {  // an instrument of the dictionary is no patient data
    for (const auto& f : dict_.fields())
      if (f.form == v) return v;
    return not_shown;
  }
  const std::string name = column.substr(0, column.find("___"));
  const DictionaryField* f = dict_.find(name);
  const FieldSpec* s = find_field(name);
  if (s && s->name == "lab_unit")  // a unit the registry knows is shown
    for (const auto& l : lab_catalog())
      for (const auto& u : l.units)
        if (!u.empty() && clinical::canonical_unit(v) == u) return v;
  if (s && s->kind == FieldKind::choice && std::find(s->values.begin(), s->values.end(), v) != s->values.end()) return v;  // the vocabulary
  const bool coded = f && (f->type == "dropdown" || f->type == "radio" || f->type == "checkbox" || f->type == "yesno" || f->type == "truefalse");
  if (f && (f->identifier || looks_like_identifier_column(f->name) || f->is_date() || (f->is_free_text() && !coded))) return not_shown;
  if (s && !coded && (s->kind == FieldKind::text || s->kind == FieldKind::date)) return not_shown;
  if (f && f->choice_label(v)) return v;  // a code listed in the dictionary
  return safe_to_show(v) ? v : not_shown;
}

void Importer::check_text_cells() {
  for (const auto& t : text_cells_)
    if (own_identifiers_[t.id].found_in(t.value))
      problem(t.line, t.column, t.value,
              std::string("short coded text without identifiers, but it holds ") + pattern_description(IdentifierPattern::own_identifier) +
                  " (the value is not shown; correct it in the source)");
}

void Importer::check_header() {
  const auto& header = data_.header();
  record_field_ = &dict_.record_id();
  if (!data_.has_column(record_field_->name)) {
    problem(1, record_field_->name, "(missing)", "the record identifier column (first field of the data dictionary)");
    return;
  }
  c_record_ = data_.column_index(record_field_->name);
  if (data_.has_column("redcap_repeat_instrument")) c_instrument_ = static_cast<long>(data_.column_index("redcap_repeat_instrument"));
  if (data_.has_column("redcap_event_name")) c_event_ = static_cast<long>(data_.column_index("redcap_event_name"));
  std::set<std::string> forms;
  for (const auto& f : dict_.fields()) forms.insert(f.form);
  column_field_.assign(header.size(), {nullptr, ""});
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string& h = header[c];
    if (h == "redcap_repeat_instrument" || h == "redcap_repeat_instance" || h == "redcap_event_name" ||
        h == "redcap_data_access_group" || h == "redcap_survey_identifier")
      continue;
    if (h.size() > 9 && h.substr(h.size() - 9) == "_complete" && forms.count(h.substr(0, h.size() - 9))) continue;
    if (const DictionaryField* f = dict_.find(h)) {
      if (f->type == "checkbox") problem(1, h, h, "checkbox fields are exported as " + h + "___<code> columns");
      column_field_[c] = {f, ""};
      continue;
    }
    const auto sep = h.find("___");
    if (sep != std::string::npos) {
      const DictionaryField* f = dict_.find(h.substr(0, sep));
      const std::string code = h.substr(sep + 3);
      if (f && f->type == "checkbox" && f->choice_label(code)) {
        column_field_[c] = {f, code};
        continue;
      }
    }
    problem(1, h, h, "a column of the data dictionary " + dict_.source() + " (unknown column)");
  }
  // Without an index_date field, day 0 of each patient is the earliest date of
  // the patient's records (reported in the summary).
  index_from_records_ = !dict_.find("index_date");
  summary_.index_date_rule = index_from_records_ ? "earliest dated record of each patient (no index_date field)" : "index_date";
  if (c_instrument_ >= 0)
    for (std::size_t r = 0; r < data_.rows(); ++r) {
      const std::string inst = trim(data_.cell(r, static_cast<std::size_t>(c_instrument_)));
      if (!inst.empty()) repeating_.insert(inst);
    }
  // Forms holding lesion, treatment, lab, adverse-event or follow-up fields are
  // repeating even when this export has no instance of them.
  for (const auto& f : dict_.fields())
    if (const FieldSpec* s = find_field(f.name); s && s->group != FieldGroup::patient) repeating_.insert(f.form);
  for (const auto& inst : repeating_)
    if (!forms.count(inst)) problem(0, "redcap_repeat_instrument", inst, "an instrument (Form Name) of the data dictionary");
}

void Importer::check_dictionary_against_catalogue() {
  for (const auto& f : dict_.fields()) {
    const FieldSpec* s = find_field(f.name);
    if (!s) continue;
    if (f.identifier && !s->table.empty()) {  // birth_date may be flagged: it is used, never stored
      dict_problem(f, "Identifier?", "y", f.name + " is a registry field, not an identifier; remove the flag or rename the field");
      continue;
    }
    bool ok = true;
    switch (s->kind) {
      case FieldKind::date: ok = f.is_date(); break;
      case FieldKind::integer: ok = f.is_integer() || f.type == "dropdown" || f.type == "radio" || f.type == "calc"; break;
      case FieldKind::real: ok = f.is_number() || f.is_integer() || f.type == "calc"; break;
      case FieldKind::flag: ok = f.type == "yesno" || f.type == "truefalse" || f.type == "radio" || f.type == "dropdown"; break;
      case FieldKind::choice: ok = f.type == "dropdown" || f.type == "radio" || f.type == "text"; break;
      case FieldKind::text: ok = f.type == "text" || f.type == "dropdown" || f.type == "radio"; break;
    }
    if (!ok)
      dict_problem(f, "Field Type", f.type + (f.validation.empty() ? "" : "/" + f.validation),
                   "a field type fitting the registry field " + f.name);
    // A unit stated in the dictionary (Field Note, as REDCap templates put it)
    // must be the unit the registry field is named after.
    if (const std::string* unit = field_unit(s->name); unit && !f.note.empty()) {
      const std::string stated = clinical::canonical_unit(f.note);
      if (is_known_unit(stated) && stated != *unit)
        dict_problem(f, "Field Note", f.note, "the unit " + *unit + " of the registry field " + f.name + " (convert the values or use another field)");
    }
    const auto it = form_group_.find(f.form);
    if (it == form_group_.end()) {
      form_group_[f.form] = s->group;
    } else if (it->second != s->group) {
      dict_problem(f, "Form Name", f.form,
                   std::string("one kind of record per instrument: ") + f.name + " is a " + group_name(s->group) +
                       " field but the form already holds " + group_name(it->second) + " fields");
    }
  }
  for (const auto& f : dict_.fields()) {
    if (&f == &dict_.record_id()) continue;
    if (find_field(f.name)) continue;
    if (f.identifier) summary_.dropped_identifiers.push_back(f.name);
    else if (f.is_free_text()) summary_.dropped_free_text.push_back(f.name);
    else summary_.dropped_other.push_back(f.name);
  }
  summary_.dropped_identifiers.insert(summary_.dropped_identifiers.begin(), dict_.record_id().name + " (pseudonymised)");
}

bool Importer::check_dictionary_value(const DictionaryField& f, const std::string& code, const std::string& v,
                                      std::size_t line, const std::string& column) {
  auto bad = [&](const std::string& expected) {
    // The values of identifier fields stay out of messages (they end up in logs).
    problem(line, column, v,
            expected + " (data dictionary " + dict_.source() + " line " + std::to_string(f.line) + ")");
    return false;
  };
  if (!code.empty() || f.type == "yesno" || f.type == "truefalse")
    return (v == "0" || v == "1") ? true : bad("0 or 1");
  if (f.type == "dropdown" || f.type == "radio") {
    if (f.choice_label(v)) return true;
    std::string codes;
    for (const auto& [c, l] : f.choices) codes += (codes.empty() ? "" : ", ") + c + " (" + l + ")";
    return bad("one of the codes " + codes);
  }
  if (f.is_date()) {
    const bool datetime = f.validation.rfind("datetime", 0) == 0;
    const auto d = parse_redcap_date(v, datetime);
    if (!d) return bad(datetime ? "a date and time YYYY-MM-DD HH:MM" : "a calendar date YYYY-MM-DD");
    const auto lo = parse_redcap_date(f.min, false), hi = parse_redcap_date(f.max, false);
    if ((lo && *d < *lo) || (hi && *d > *hi)) return bad("a date from " + f.min + " to " + f.max);
    return true;
  }
  if (f.is_integer() || f.is_number() || f.type == "calc") {
    const auto x = f.is_integer() ? std::optional<double>(parse_integer(v) ? static_cast<double>(*parse_integer(v)) : NAN) : parse_number(v);
    if (!x || std::isnan(*x)) return bad(f.is_integer() ? "an integer" : "a number");
    const auto lo = parse_number(f.min), hi = parse_number(f.max);
    if ((lo && *x < *lo) || (hi && *x > *hi))
      return bad("a value from " + (f.min.empty() ? "-inf" : f.min) + " to " + (f.max.empty() ? "inf" : f.max));
    return true;
  }
  return true;  // text, notes: any text
}

std::optional<std::string> Importer::registry_value(const FieldSpec& s, const DictionaryField& f, const std::string& v,
                                                    std::size_t line) {
  auto bad = [&](const std::string& expected) -> std::optional<std::string> {
    problem(line, f.name, v, expected);
    return std::nullopt;
  };
  // A dropdown/radio value is a code of the dictionary (checked above): its
  // label is the project's vocabulary, not patient data.
  const bool coded = f.type == "dropdown" || f.type == "radio";
  std::string text = v;
  if (s.kind == FieldKind::text && coded) text = *f.choice_label(v);
  if (s.kind == FieldKind::date) {  // REDCap datetimes count by their date part
    const auto d = parse_redcap_date(v, f.validation.rfind("datetime", 0) == 0);
    if (!d) return bad("a calendar date YYYY-MM-DD");
    text = clinical::to_iso(*d);
  }
  const FieldCheck c = check_field_value(s, text, coded, s.kind == FieldKind::choice ? f.choice_label(v) : nullptr);
  if (!c.ok()) return bad(c.expected);
  if (s.kind == FieldKind::text && !coded) text_cells_.push_back({current_id_, line, f.name, *c.value});  // the record's own identifiers: checked once all its rows are read
  return c.value;
}

void Importer::check_row(std::size_t r) {
  const std::size_t line = data_.line_of_row(r);
  const std::string id = trim(data_.cell(r, c_record_));
  if (id.empty()) {
    problem(line, record_field_->name, "(empty)", "the record identifier");
    return;
  }
  current_id_ = id;
  IdentifierValues& own = own_identifiers_[id];
  own.add(id);
  for (std::size_t c = 0; c < data_.columns(); ++c)  // names, birth date, address, ... flagged or recognisable by name
    if (const DictionaryField* f = column_field_[c].first; f && f != record_field_ && (f->identifier || looks_like_identifier_column(f->name)))
      if (const std::string v = trim(data_.cell(r, c)); !io::is_missing_cell(v)) own.add(v);
  std::string inst = c_instrument_ >= 0 ? trim(data_.cell(r, static_cast<std::size_t>(c_instrument_))) : "";
  // The instruments this row has values for. A row without a repeat instrument
  // whose values all belong to one lesion/treatment/lab/adverse-event/follow-up
  // form is a record of that form (longitudinal projects export non-repeating
  // forms of later events this way).
  std::set<std::string> forms_with_values;
  for (std::size_t c = 0; c < data_.columns(); ++c) {
    const auto& [f, code] = column_field_[c];
    const std::string v = trim(data_.cell(r, c));
    if (f && f != record_field_ && !io::is_missing_cell(v) && !(!code.empty() && v == "0")) forms_with_values.insert(f->form);
  }
  if (inst.empty() && forms_with_values.size() == 1 && repeating_.count(*forms_with_values.begin()))
    inst = *forms_with_values.begin();
  Row row;
  row.line = line;
  if (!inst.empty()) {
    const auto it = form_group_.find(inst);
    if (it == form_group_.end()) {
      row.group = FieldGroup::patient;  // a repeating form without registry fields: dropped below
    } else if (it->second == FieldGroup::patient) {
      problem(line, "redcap_repeat_instrument", inst, "a repeating instrument of lesions, treatments, labs, adverse events or follow-up (it holds patient fields)");
      return;
    } else {
      row.group = it->second;
    }
  }
  std::set<std::string> seen_checkbox_required;
  for (std::size_t c = 0; c < data_.columns(); ++c) {
    const auto& [f, code] = column_field_[c];
    if (!f || f == record_field_) continue;
    const std::string v = trim(data_.cell(r, c));
    const bool belongs = inst.empty() ? !repeating_.count(f->form) : f->form == inst;
    if (io::is_missing_cell(v) || (!code.empty() && v == "0" && !belongs)) {
      // REDCap enforces "required" for forms that were filled in: a form
      // without any value in this row is absent, not incomplete.
      if (f->required && belongs && code.empty() && forms_with_values.count(f->form))
        problem(line, f->name, "(empty)", "a value (required field in the data dictionary)");
      continue;
    }
    if (!belongs) {
      problem(line, data_.header()[c], v,
              "no value: the field belongs to instrument '" + f->form + "', this row to '" + (inst.empty() ? "(non-repeating)" : shown_value("redcap_repeat_instrument", inst)) + "'");
      continue;
    }
    if (!check_dictionary_value(*f, code, v, line, data_.header()[c])) continue;
    if (const FieldSpec* s = find_field(f->name); s && code.empty())
      if (auto val = registry_value(*s, *f, v, line)) row.v[s->name] = *val;
  }
  const bool registry_row = inst.empty() || form_group_.count(inst);
  if (registry_row && !inst.empty())  // patient fields: checked per record, after merging event rows
    for (const auto& s : field_catalog())
      if (s.group == row.group && s.required && !row.has(s.name) && !(s.name == "index_date" && index_from_records_)) {
        const DictionaryField* f = dict_.find(s.name);
        const bool reported = f && f->required;  // already reported as a dictionary-required field
        bool bad_value = false;
        for (const auto& p : problems_) bad_value |= p.line == line && p.column == s.name;
        if (!reported && !bad_value)
          problem(line, s.name, f ? "(empty)" : "(no such field)",
                  std::string("a value: required for every ") + group_name(s.group) + " record of the registry");
      }
  auto [it, inserted] = records_.try_emplace(id);
  Record& rec = it->second;
  if (inserted) {
    rec.id = id;
    rec.first_line = line;
    order_.push_back(id);
  }
  if (inst.empty()) {
    if (!rec.base) {
      rec.base = std::move(row);
    } else if (c_event_ < 0) {
      problem(line, record_field_->name, shown_id(id), "one non-repeating row per record (first on line " + std::to_string(rec.base->line) + ")");
    } else {  // one row per event: the patient fields are merged
      for (const auto& [k, v] : row.v) {
        auto [it2, ins] = rec.base->v.emplace(k, v);
        if (!ins && it2->second != v)
          problem(line, k, v, "the same value as in the row of line " + std::to_string(rec.base->line) + " (" + shown_value(k, it2->second) + "): a patient field has one value");
      }
    }
  } else if (registry_row) {
    rec.children.push_back(std::move(row));
  }
}

void Importer::check_record(Record& rec) {
  const StoredPatient* sp = stored(rec.id);
  if (!rec.base && sp) {  // an update may bring only new visits of a known patient
    rec.base = Row{};
    rec.base->line = rec.first_line;
  }
  if (!rec.base) {
    problem(rec.first_line, record_field_->name, shown_id(rec.id), "a non-repeating row (with index_date) for this record");
    return;
  }
  const Row& b = *rec.base;
  auto reported = [&](std::size_t line, const std::string& column) {
    for (const auto& p : problems_)
      if (p.line == line && p.column == column) return true;
    return false;
  };
  if (!b.has("index_date") && !index_from_records_ && !reported(b.line, "index_date") && !sp)
    problem(b.line, "index_date", "(empty)", "a value: day 0 of the patient (required for every patient record of the registry)");
  if (b.has("index_date")) {
    rec.index = clinical::parse_date(b.get("index_date"), "index_date");
    if (sp && *rec.index != sp->index)
      problem(b.line, "index_date", b.get("index_date"), "the index date stored for this patient: day 0 cannot change in an update");
  } else if (sp) {
    rec.index = sp->index;
  } else if (index_from_records_) {
    for (const Row* r : [&] {
           std::vector<const Row*> v{&b};
           for (const Row& c : rec.children) v.push_back(&c);
           return v;
         }())
      for (const auto& [name, value] : r->v)
        if (const FieldSpec* f = find_field(name); f && f->kind == FieldKind::date && !f->table.empty()) {
          const clinical::Date d = clinical::parse_date(value, name);
          if (!rec.index || d < *rec.index) rec.index = d;
        }
    if (!rec.index) problem(b.line, record_field_->name, shown_id(rec.id), "at least one dated record (there is no index_date field to anchor study days)");
  }
  std::optional<clinical::Date> birth;
  if (b.has("birth_date")) birth = clinical::parse_date(b.get("birth_date"), "birth_date");
  if (birth && rec.index) {  // a missing or bad index_date is reported already
    const clinical::Date index = *rec.index;
    if (*birth > index) problem(b.line, "birth_date", not_shown, "a birth date before index_date");
    else {
      int age = 0;
      const std::string bi = clinical::to_iso(*birth), ii = clinical::to_iso(index);
      age = std::stoi(ii.substr(0, 4)) - std::stoi(bi.substr(0, 4));
      if (ii.substr(5) < bi.substr(5)) --age;  // birthday not reached yet in the index year
      if (b.has("age_years") && std::stoi(b.get("age_years")) != age)
        problem(b.line, "age_years", b.get("age_years"), "the age at index_date computed from birth_date (" + std::to_string(age) + ")");
    }
  }
  auto check_date = [&](const Row& r, const std::string& field) -> std::optional<clinical::Date> {
    if (!r.has(field)) return std::nullopt;
    const clinical::Date d = clinical::parse_date(r.get(field), field);
    if (birth && d < *birth) problem(r.line, field, r.get(field), "a date after the patient's birth date");
    return d;
  };
  std::map<std::pair<std::string, int>, std::size_t> measured;  // (lesion, day) → line
  std::map<std::string, std::pair<std::pair<std::string, std::string>, std::size_t>> lesion_attr;  // label → (organ, kind), line
  std::optional<std::size_t> death_line;
  for (const Row& r : rec.children) {
    switch (r.group) {
      case FieldGroup::lesion: {
        const auto d = check_date(r, "scan_date");
        if (!r.has("lesion_label") || !d) break;
        const auto key = std::make_pair(r.get("lesion_label"), d->days);
        if (auto [it, ins] = measured.emplace(key, r.line); !ins)
          problem(r.line, "scan_date", r.get("scan_date"),
                  "one measurement per lesion and scan date (this lesion_label and scan_date are also on line " + std::to_string(it->second) + ")");
        const std::pair<std::string, std::string> attr{r.has("lesion_organ") ? r.get("lesion_organ") : "", r.has("lesion_kind") ? r.get("lesion_kind") : ""};
        if (auto [it, ins] = lesion_attr.emplace(r.get("lesion_label"), std::make_pair(attr, r.line)); !ins && it->second.first != attr)
          problem(r.line, "lesion_kind", attr.second,
                  "the same organ and kind for every measurement of a lesion (this lesion_label has another on line " + std::to_string(it->second.second) + ")");
        break;
      }
      case FieldGroup::treatment: {
        const auto s = check_date(r, "treatment_start_date"), e = check_date(r, "treatment_end_date");
        if (s && e && *e < *s) problem(r.line, "treatment_end_date", r.get("treatment_end_date"), "a date on or after treatment_start_date");
        break;
      }
      case FieldGroup::lab: {
        check_date(r, "lab_date");
        if (!r.has("lab_test") || !r.has("lab_value") || !r.has("lab_unit")) break;
        if (const auto p = check_lab_result(r.get("lab_test"), std::stod(r.get("lab_value")), r.get("lab_value"), r.get("lab_unit")))
          problem(r.line, p->field, p->field == "lab_unit" ? r.get("lab_unit") : r.get("lab_value"), p->expected);
        break;
      }
      case FieldGroup::adverse_event: {
        const auto s = check_date(r, "ae_onset_date"), e = check_date(r, "ae_resolved_date");
        if (s && e && *e < *s) problem(r.line, "ae_resolved_date", r.get("ae_resolved_date"), "a date on or after ae_onset_date");
        break;
      }
      case FieldGroup::followup: {
        check_date(r, "followup_date");
        if (r.has("followup_type") && r.get("followup_type") == "death") {
          if (death_line) problem(r.line, "followup_type", "death", "one death per patient (also on line " + std::to_string(*death_line) + ")");
          death_line = r.line;
        }
        break;
      }
      case FieldGroup::patient: break;
    }
  }
}

// An update must fit what the registry holds: the same study, the same organ
// and kind for each lesion, one death.
void Importer::check_against_stored(const Record& rec, const StoredPatient& sp) {
  if (sp.study != options_.study)
    problem(rec.first_line, record_field_->name, shown_id(rec.id), "the study of the stored patient (" + sp.study + "), not " + options_.study);
  std::map<std::string, std::pair<std::string, std::string>> lesions;
  for (const auto& row : store_.query("SELECT label, organ, kind FROM lesions WHERE patient_id = ?", {sp.id}).rows)
    lesions[*row[0]] = {row[1].value_or(""), *row[2]};
  const Value death = store_.scalar("SELECT day FROM followup_events WHERE patient_id = ? AND kind = 'death'", {sp.id});
  for (const Row& r : rec.children) {
    if (r.group == FieldGroup::lesion && r.has("lesion_label")) {
      const auto it = lesions.find(r.get("lesion_label"));
      const std::pair<std::string, std::string> attr{r.has("lesion_organ") ? r.get("lesion_organ") : "", r.has("lesion_kind") ? r.get("lesion_kind") : ""};
      if (it != lesions.end() && it->second != attr)
        problem(r.line, "lesion_kind", attr.second,
                "the organ and kind stored for this lesion_label (stored kind " + it->second.second + "; an update cannot change a lesion's organ or kind)");
    }
    if (r.group == FieldGroup::followup && death && r.has("followup_type") && r.get("followup_type") == "death" && r.has("followup_date") &&
        std::to_string(clinical::days_between(sp.index, clinical::parse_date(r.get("followup_date"), "followup_date"))) != *death)
      problem(r.line, "followup_date", r.get("followup_date"), "one death per patient (the registry holds one on another day)");
  }
}

std::vector<ImportProblem> Importer::validate() {
  check_header();
  if (!problems_.empty() && !data_.has_column(dict_.record_id().name)) return problems_;
  check_dictionary_against_catalogue();
  for (const auto& [id, values] : options_.identifier_values)
    for (const auto& v : values) own_identifiers_[id].add(v);
  for (std::size_t r = 0; r < data_.rows(); ++r) check_row(r);
  check_text_cells();
  if (options_.update_existing) {
    std::map<std::string, std::string> ours;  // pseudonym → record id of the import
    for (const auto& id : order_) ours[pseudonym(id)] = id;
    for (const auto& row : store_.query("SELECT p.id, p.pseudonym, p.index_date_shifted, st.code FROM patients p "
                                        "JOIN studies st ON st.id = p.study_id").rows)
      if (const auto it = ours.find(*row[1]); it != ours.end()) {
        clinical::Date index = clinical::parse_date(*row[2], "index_date_shifted");
        index.days -= date_shift(it->second);  // back to the import's own dates
        stored_[*row[1]] = {*row[0], *row[3], index};
      }
  }
  if (data_.rows() == 0) problem(0, "rows", "0", "at least one record");
  for (const auto& id : order_) check_record(records_.at(id));
  // The registry side: the same key as before, and no record imported twice
  // (unless updating).
  const Value fp = store_.scalar("SELECT value FROM registry_meta WHERE key = 'key_fingerprint'");
  if (key_ && fp && *fp != key_->fingerprint())
    problems_.push_back({"key", 0, "fingerprint", key_->fingerprint(),
                         "the key used for this registry (fingerprint " + *fp + "); a different key would split patients into new pseudonyms"});
  std::set<std::string> existing;
  for (const auto& row : store_.query("SELECT pseudonym FROM patients").rows) existing.insert(*row[0]);
  for (const auto& id : order_) {
    if (!key_ && !is_pseudonym(id))
      problem(records_.at(id).first_line, record_field_->name, shown_id(id), "a sirtkit pseudonym (P + 20 hex digits) when importing pseudonymised data");
    if (existing.count(pseudonym(id)) && !options_.update_existing)
      problem(records_.at(id).first_line, record_field_->name, shown_id(id),
              "a record not yet in the registry (already imported; --update updates it)");
    if (const StoredPatient* sp = stored(id)) check_against_stored(records_.at(id), *sp);
  }
  std::stable_sort(problems_.begin(), problems_.end(), [](const ImportProblem& a, const ImportProblem& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  return problems_;
}

std::size_t Importer::write_row(const std::string& table, const std::vector<std::pair<std::string, Value>>& cols, long long* id) {
  if (on_write_) on_write_(writes_);
  ++writes_;
  std::string names, marks;
  Params params;
  for (const auto& [c, v] : cols) {
    names += (names.empty() ? "" : ", ") + c;
    marks += marks.empty() ? "?" : ", ?";
    params.push_back(v);
  }
  const std::string sql = "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")";
  if (id) *id = store_.insert_returning_id(sql, params);
  else store_.execute(sql, params);
  return writes_;
}

bool Importer::put(const std::string& table, const Columns& key, const Columns& values, long long* id) {
  if (!updating_) {
    Columns all = key;
    all.insert(all.end(), values.begin(), values.end());
    write_row(table, all, id);
    return true;
  }
  if (on_write_) on_write_(writes_);
  ++writes_;
  const UpsertResult r = upsert_row(store_, table, key, values, id);
  if (r == UpsertResult::updated) ++summary_.rows_updated;
  if (r == UpsertResult::unchanged) ++summary_.rows_unchanged;
  return r == UpsertResult::inserted;
}

void Importer::write_children(const Record& rec, const std::string& p, clinical::Date index) {
  auto day = [&](const Row& r, const std::string& f) -> Value {
    if (!r.has(f)) return std::nullopt;
    return std::to_string(clinical::days_between(index, clinical::parse_date(r.get(f), f)));
  };
  std::map<std::string, std::string> lesions;
  for (const Row& r : rec.children) {
    switch (r.group) {
      case FieldGroup::lesion: {
        const std::string& label = r.get("lesion_label");
        if (!lesions.count(label)) {
          long long lid = 0;
          if (put("lesions", {{"patient_id", p}, {"label", label}}, {{"organ", optional_value(r, "lesion_organ")}, {"kind", r.get("lesion_kind")}}, &lid))
            ++summary_.lesions;
          lesions[label] = std::to_string(lid);
        }
        if (put("lesion_measurements", {{"lesion_id", lesions[label]}, {"day", day(r, "scan_date")}},
                {{"longest_diameter_mm", optional_value(r, "longest_diameter_mm")}, {"short_axis_mm", optional_value(r, "short_axis_mm")},
                 {"enhancing_diameter_mm", optional_value(r, "enhancing_diameter_mm")}},
                nullptr))
          ++summary_.measurements;
        break;
      }
      case FieldGroup::treatment: {
        Columns cols{{"end_day", day(r, "treatment_end_date")}};
        for (const auto& s : field_catalog())
          if (s.group == FieldGroup::treatment && s.kind != FieldKind::date && s.name != "treatment_type" && r.has(s.name))
            cols.emplace_back(s.column, r.get(s.name));
        if (put("treatments", {{"patient_id", p}, {"kind", r.get("treatment_type")}, {"start_day", day(r, "treatment_start_date")}}, cols, nullptr))
          ++summary_.treatments;
        break;
      }
      case FieldGroup::lab:
        if (put("labs", {{"patient_id", p}, {"day", day(r, "lab_date")}, {"test", r.get("lab_test")}},
                {{"value", r.get("lab_value")}, {"unit", r.get("lab_unit")}}, nullptr))
          ++summary_.labs;
        break;
      case FieldGroup::adverse_event:
        if (put("adverse_events", {{"patient_id", p}, {"term", r.get("ae_term")}, {"onset_day", day(r, "ae_onset_date")}},
                {{"grade", r.get("ae_grade")}, {"resolved_day", day(r, "ae_resolved_date")}, {"serious", optional_value(r, "ae_serious")}}, nullptr))
          ++summary_.adverse_events;
        break;
      case FieldGroup::followup:
        if (put("followup_events", {{"patient_id", p}, {"kind", r.get("followup_type")}, {"day", day(r, "followup_date")}}, {}, nullptr))
          ++summary_.followup_events;
        break;
      case FieldGroup::patient: break;
    }
  }
}

ImportSummary Importer::write() {
  const ImportOptions& options = options_;
  on_write_ = options.on_write;
  Transaction tx(store_, options.actor);
  if (key_ && !store_.scalar("SELECT value FROM registry_meta WHERE key = 'key_fingerprint'"))
    store_.execute("INSERT INTO registry_meta (key, value) VALUES ('key_fingerprint', ?)", {key_->fingerprint()});
  long long study = 0;
  if (const Value v = store_.scalar("SELECT id FROM studies WHERE code = ?", {options.study})) study = std::stoll(*v);
  else write_row("studies", {{"code", options.study}}, &study);
  const std::string study_s = std::to_string(study);
  std::map<std::string, std::string> sites, arms;
  auto lookup = [&](const std::string& table, std::map<std::string, std::string>& cache, const std::string& code) -> Value {
    if (auto it = cache.find(code); it != cache.end()) return it->second;
    long long id = 0;
    if (const Value v = store_.scalar("SELECT id FROM " + table + " WHERE study_id = ? AND code = ?", {study_s, code})) id = std::stoll(*v);
    else write_row(table, {{"study_id", study_s}, {"code", code}}, &id);
    return cache[code] = std::to_string(id);
  };
  for (const auto& id : order_) {
    const Record& rec = records_.at(id);
    const StoredPatient* sp = stored(id);
    updating_ = sp != nullptr;
    const Row& b = *rec.base;
    const clinical::Date index = *rec.index;
    Value age = optional_value(b, "age_years");
    if (!age && b.has("birth_date")) {
      const std::string bi = b.get("birth_date"), ii = clinical::to_iso(index);
      int a = std::stoi(ii.substr(0, 4)) - std::stoi(bi.substr(0, 4));
      if (ii.substr(5) < bi.substr(5)) --a;
      age = std::to_string(a);
    }
    long long patient = 0;
    const Columns patient_values{{"site_id", b.has("site") ? lookup("sites", sites, b.get("site")) : std::nullopt},
                                 {"arm_id", b.has("arm") ? lookup("arms", arms, b.get("arm")) : std::nullopt},
                                 {"sex", optional_value(b, "sex")},
                                 {"age_years", age}};
    if (sp) {
      put("patients", {{"id", sp->id}}, patient_values, &patient);
      ++summary_.patients_updated;
    } else {
      put("patients",
          {{"study_id", study_s}, {"pseudonym", pseudonym(id)}, {"index_date_shifted", clinical::to_iso(clinical::Date{index.days + date_shift(id)})}},
          patient_values, &patient);
      ++summary_.patients;
    }
    const std::string p = std::to_string(patient);
    Columns baseline;
    for (const auto& s : field_catalog())
      if (s.table == "baseline" && b.has(s.name)) baseline.emplace_back(s.column, b.get(s.name));
    if (!baseline.empty()) put("baseline", {{"patient_id", p}}, baseline, nullptr);
    write_children(rec, p, index);
  }
  if (on_write_) on_write_(writes_);  // just before COMMIT
  tx.commit();
  return summary_;
}

}  // namespace

namespace {
ImportSummary run_import(Store& store, const io::CsvTable& data, const DataDictionary& dict, const PseudonymKey* key,
                         const ImportOptions& options) {
  require_current_schema(store);
  Importer imp(store, data, dict, key);
  imp.set_options(options);
  auto problems = imp.validate();
  if (!problems.empty()) {
    std::string msg = std::to_string(problems.size()) + " problem" + (problems.size() == 1 ? "" : "s") + " in " + data.source() +
                      "; nothing was imported:";
    for (const auto& p : problems) msg += "\n  " + p.to_string();
    throw ImportError(std::move(problems), msg);
  }
  return imp.write();
}
}  // namespace

std::vector<ImportProblem> validate_redcap(Store& store, const io::CsvTable& data, const DataDictionary& dict,
                                           const PseudonymKey& key, const ImportOptions& options) {
  require_current_schema(store);
  Importer imp(store, data, dict, &key);
  imp.set_options(options);
  return imp.validate();
}

ImportSummary import_redcap(Store& store, const io::CsvTable& data, const DataDictionary& dict, const PseudonymKey& key,
                            const ImportOptions& options) {
  return run_import(store, data, dict, &key, options);
}

ImportSummary import_pseudonymised(Store& store, const io::CsvTable& data, const DataDictionary& dict,
                                   const ImportOptions& options) {
  return run_import(store, data, dict, nullptr, options);
}

}  // namespace sirtkit::registry
