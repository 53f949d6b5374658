#pragma once
// A REDCap data dictionary (the CSV REDCap exports from "Dictionary"): one row
// per field with its form, type, validation, range, identifier flag and
// required flag. Column names as REDCap writes them (REDCap 13/14), e.g.
// "Variable / Field Name", "Form Name", "Field Type",
// "Choices, Calculations, OR Slider Labels", "Text Validation Type OR Show Slider Number",
// "Text Validation Min", "Text Validation Max", "Identifier?", "Required Field?".

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "io/text_formats/csv_table.h"

namespace sirtkit::registry {

struct DictionaryField {
  std::string name;        // variable name (lower case, as REDCap requires)
  std::string form;        // instrument
  std::string type;        // text, notes, dropdown, radio, yesno, truefalse, checkbox, calc, descriptive, ...
  std::string validation;  // integer, number*, date_ymd, date_dmy, datetime_*, ... or empty
  std::string min, max;    // validation range as written (may be empty)
  std::string note;        // Field Note (where REDCap templates state the unit)
  bool identifier = false;
  bool required = false;
  std::vector<std::pair<std::string, std::string>> choices;  // code, label
  std::size_t line = 0;    // line in the dictionary file, for messages

  bool is_date() const { return validation.rfind("date", 0) == 0; }  // date_* and datetime_*
  bool is_integer() const { return validation == "integer"; }
  bool is_number() const { return validation.rfind("number", 0) == 0; }
  bool is_free_text() const { return type == "notes" || (type == "text" && validation.empty()); }
  // Label of a choice code; nullptr when the code is not listed.
  const std::string* choice_label(const std::string& code) const;
};

class DataDictionary {
 public:
  // Bad input (naming file, line, column and value) for a malformed dictionary.
  static DataDictionary from_table(const io::CsvTable& table);
  static DataDictionary read(const std::filesystem::path& path) { return from_table(io::CsvTable::read(path)); }

  const std::string& source() const { return source_; }
  const std::vector<DictionaryField>& fields() const { return fields_; }
  // REDCap's record identifier is the first field of the dictionary.
  const DictionaryField& record_id() const { return fields_.front(); }
  const DictionaryField* find(const std::string& name) const;

 private:
  std::string source_;
  std::vector<DictionaryField> fields_;
};

}  // namespace sirtkit::registry
