#include "registry/redcap/redcap_dictionary.h"

#include <algorithm>

#include "core/error.h"
#include "core/text.h"

namespace sirtkit::registry {
namespace {



// "1, Male | 2, Female" (REDCap's choice syntax: code, label separated by '|').
std::vector<std::pair<std::string, std::string>> parse_choices(const std::string& text, const std::string& where) {
  std::vector<std::pair<std::string, std::string>> out;
  if (trim(text).empty()) return out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t bar = text.find('|', start);
    const std::string item = trim(text.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    const std::size_t comma = item.find(',');
    if (comma == std::string::npos || trim(item.substr(0, comma)).empty())
      fail_input(where, "Choices, Calculations, OR Slider Labels", item, "'code, label' items separated by '|'");
    out.emplace_back(trim(item.substr(0, comma)), trim(item.substr(comma + 1)));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return out;
}

}  // namespace

const std::string* DictionaryField::choice_label(const std::string& code) const {
  for (const auto& [c, l] : choices)
    if (c == code) return &l;
  return nullptr;
}

DataDictionary DataDictionary::from_table(const io::CsvTable& t) {
  DataDictionary d;
  d.source_ = t.source();
  const std::size_t c_name = t.column_index("Variable / Field Name"), c_form = t.column_index("Form Name"),
                    c_type = t.column_index("Field Type");
  auto opt = [&](const char* name) { return t.has_column(name) ? static_cast<long>(t.column_index(name)) : -1L; };
  const long c_choices = opt("Choices, Calculations, OR Slider Labels"),
             c_valid = opt("Text Validation Type OR Show Slider Number"), c_min = opt("Text Validation Min"),
             c_max = opt("Text Validation Max"), c_ident = opt("Identifier?"), c_req = opt("Required Field?"),
             c_note = opt("Field Note");
  auto get = [&](std::size_t row, long col) { return col < 0 ? std::string() : trim(t.cell(row, static_cast<std::size_t>(col))); };
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string where = t.source() + " line " + std::to_string(t.line_of_row(r));
    DictionaryField f;
    f.line = t.line_of_row(r);
    f.name = trim(t.cell(r, c_name));
    f.form = trim(t.cell(r, c_form));
    f.type = ascii_lower(trim(t.cell(r, c_type)));
    f.validation = ascii_lower(get(r, c_valid));
    f.min = get(r, c_min);
    f.max = get(r, c_max);
    f.note = get(r, c_note);
    f.identifier = ascii_lower(get(r, c_ident)) == "y";
    f.required = ascii_lower(get(r, c_req)) == "y";
    if (f.name.empty()) fail_input(where, "Variable / Field Name", "(empty)", "a field name");
    if (f.form.empty()) fail_input(where, "Form Name", "(empty)", "the instrument of " + f.name);
    if (d.find(f.name)) fail_input(where, "Variable / Field Name", f.name, "each field listed once");
    static const char* types[] = {"text", "notes", "dropdown", "radio", "checkbox", "yesno", "truefalse",
                                  "calc", "descriptive", "slider", "file", "sql"};
    if (std::find(std::begin(types), std::end(types), f.type) == std::end(types))
      fail_input(where, "Field Type", f.type, "a REDCap field type (text, notes, dropdown, radio, checkbox, yesno, truefalse, calc, ...)");
    if (f.type == "dropdown" || f.type == "radio" || f.type == "checkbox") {
      f.choices = parse_choices(get(r, c_choices), where);
      if (f.choices.empty()) fail_input(where, "Choices, Calculations, OR Slider Labels", "(empty)", "the choices of " + f.name);
    }
    if (f.type == "descriptive") continue;  // no data column
    d.fields_.push_back(std::move(f));
  }
  if (d.fields_.empty()) fail_input(t.source(), "fields", "(none)", "at least the record identifier field");
  return d;
}

const DictionaryField* DataDictionary::find(const std::string& name) const {
  for (const auto& f : fields_)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace sirtkit::registry
