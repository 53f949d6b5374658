// Identifiers planted in the text fields of REDCap exports and mapped plain
// CSV imports (issue 12 item 4), on both stores: the import is refused with
// file, line, column and the kind of pattern, the value never appears in a
// message, and nothing is written.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "registry/import/field_catalog.h"
#include "registry/import/identifier_scan.h"
#include "registry/import/mapped_import.h"
#include "registry/redcap/redcap_import.h"
#include "registry/store/schema.h"
#include "../redcap/redcap_fixture.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;
using testing::dump;

const auto key = PseudonymKey::from_bytes("registry-test-key-0123456789abcdef");

// The fixture's dictionary with site and arm as plain text fields (as many
// projects have them) and the record id NOT flagged as an identifier.
DataDictionary text_dictionary() {
  std::string d = testing::redcap_dictionary_csv();
  auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = d.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    d.replace(at, from.size(), to);
  };
  replace("site,demographics,,dropdown,Site,\"1, Paris | 2, Lyon\",,,,,,,y,", "site,demographics,,text,Site,,,,,,,,y,");
  replace("arm,demographics,,radio,Arm,\"1, personalised | 2, standard\",,,,,,,,", "arm,demographics,,text,Arm,,,,,,,,,");
  replace("mrn,demographics,,text,Hospital record number,,,,,,y,", "mrn,demographics,,text,Hospital record number,,,,,,,");
  return DataDictionary::from_table(io::CsvTable::parse(d, "dict.csv"));
}

const char* form_of(FieldGroup g) {
  switch (g) {
    case FieldGroup::lesion: return "lesion_measurements";
    case FieldGroup::treatment: return "treatments";
    case FieldGroup::lab: return "labs";
    case FieldGroup::adverse_event: return "adverse_events";
    case FieldGroup::followup: return "followup";
    case FieldGroup::patient: return "";
  }
  return "";
}

// One patient with a record of every kind; `field` = `value` in the row of
// its kind. Returns the CSV and the line that row is on.
std::pair<std::string, std::size_t> export_with(const std::string& field, const std::string& value) {
  std::map<std::string, std::map<std::string, std::string>> rows = {
      {"", {{"patient_name", "Zebulon Quixote"}, {"birth_date", "1947-03-18"}, {"site", "Rennes"}, {"arm", "standard"},
            {"index_date", "2021-03-01"}, {"sex", "1"}}},
      {"lesion_measurements", {{"lesion_label", "T1"}, {"lesion_organ", "liver"}, {"lesion_kind", "1"}, {"scan_date", "2021-02-20"}, {"longest_diameter_mm", "62"}}},
      {"treatments", {{"treatment_type", "3"}, {"treatment_start_date", "2021-03-01"}, {"drug", "sorafenib"}}},
      {"labs", {{"lab_date", "2021-02-25"}, {"lab_test", "bilirubin"}, {"lab_value", "0.9"}, {"lab_unit", "mg/dL"}}},
      {"adverse_events", {{"ae_term", "Fatigue"}, {"ae_grade", "2"}, {"ae_onset_date", "2021-03-10"}}},
  };
  const std::string form = form_of(find_field(field)->group);
  rows[form][field] = value;
  testing::RedcapExport e;
  std::size_t line = 0, n = 1;
  for (const char* f : {"", "lesion_measurements", "treatments", "labs", "adverse_events"}) {
    e.row("MRN-99817263", f, rows[f]);
    if (form == f) line = n + 1;
    ++n;
  }
  return {e.csv(), line};
}

// Every text field of the catalogue: the import checks all of them.
std::vector<std::string> text_fields() {
  std::vector<std::string> v;
  for (const auto& f : field_catalog())
    if (f.kind == FieldKind::text) v.push_back(f.name);
  return v;
}

class ImportIdentifierCheckTest : public StoreTest {};
SIRTKIT_BOTH_STORES(ImportIdentifierCheckTest);

// Every text column of every data table is either fed by a catalogue text
// field (checked on import, below), a controlled vocabulary (choice field),
// or written by sirtkit itself. A new text column without a catalogue entry
// fails here instead of slipping past the checks.
TEST(ImportIdentifierCheck, EveryTextColumnOfTheSchemaIsCheckedOrControlled) {
  const std::set<std::string> written_by_sirtkit = {"studies.code", "studies.title", "patients.pseudonym", "patients.index_date_shifted"};
  int text_columns = 0, checked = 0;
  for (const auto& t : data_tables())
    for (const auto& c : t.columns) {
      if (c.type != ColumnType::text) continue;
      ++text_columns;
      const FieldSpec* fed = nullptr;
      for (const auto& f : field_catalog())
        if (f.table == t.name && f.column == c.name) fed = &f;
      const std::string name = t.name + "." + c.name;
      if (!fed || fed->kind == FieldKind::date) {  // the shifted index date is written by sirtkit
        EXPECT_TRUE(written_by_sirtkit.count(name)) << name << " has no catalogue field and is not written by sirtkit";
        continue;
      }
      if (fed->kind == FieldKind::text) ++checked;
      else EXPECT_TRUE(fed->kind == FieldKind::choice && !fed->values.empty()) << name << " is fed by " << fed->name;
    }
  EXPECT_EQ(checked, static_cast<int>(text_fields().size()));
  EXPECT_GE(checked, 7);  // site, arm, lesion_label, lesion_organ, drug, lab_unit, ae_term
  EXPECT_GT(text_columns, checked);
}

TEST_P(ImportIdentifierCheckTest, EveryTextFieldRefusesEveryKindOfIdentifier) {
  auto s = migrated_store();
  const std::string before = dump(*s);
  // Patterns, and values of the record's own identifier columns (its name,
  // its unflagged record number, its birth date written otherwise).
  const std::vector<std::pair<std::string, std::string>> planted = {
      {"zq@example.org", "an e-mail address"},
      {"+44 20 7946 0958", "a phone number"},
      {"06 12 34 56 78", "a phone number"},
      {"IPP 4521", "a record number"},
      {"55501234", "a record number"},
      {"18 March 1947", "a date"},
      {"03/18/47", "a date"},
      {"pacs.chu-nord.fr", "a URL or host name"},
      {"Quixote", "the record's own identifier"},
      {"T1 zebulon", "the record's own identifier"},
      {"mrn 99817263", "a record number"},
      {"Dr Quixote", "a person's name"},
      {"078-05-1120", "a national identification number"},
      {"943 476 5919", "a national identification number"},
      {"3 mars 1956", "a date"},
      {"12 Baker Street", "a street address"},
      {"John Smith", "a person's name"},
      {"aged 93", "an age over 89"},
      {"10.2.33.107", "a URL or host name"},
      {"S/N 88431", "a serial, lot, licence or plate number"},
  };
  const io::CsvTable ok = io::CsvTable::parse(export_with("lesion_label", "T1").first, "export.csv");
  EXPECT_TRUE(validate_redcap(*s, ok, text_dictionary(), key).empty());  // the clean file imports
  // The checks run before any write, the same for both stores: the whole
  // matrix on SQLite, three kinds on PostgreSQL (each refused import costs a round trip).
  const std::size_t kinds = GetParam() == Dialect::sqlite ? planted.size() : 3;
  for (const auto& field : text_fields()) {
    for (std::size_t k = 0; k < kinds; ++k) {
      const auto& [value, kind] = planted[k];
      const auto [csv, line] = export_with(field, value);
      try {
        import_redcap(*s, io::CsvTable::parse(csv, "export.csv"), text_dictionary(), key);
        ADD_FAILURE() << field << " = " << value << " was imported";
      } catch (const ImportError& e) {
        bool found = false;
        for (const auto& p : e.problems()) {
          found |= p.file == "export.csv" && p.line == line && p.column == field && p.value == not_shown &&
                   p.message.find("without identifiers") != std::string::npos &&
                   (p.message.find(kind) != std::string::npos ||
                    (kind == "the record's own identifier" && p.message.find("own identifier") != std::string::npos));
          EXPECT_EQ(p.value.find(value), std::string::npos);
        }
        EXPECT_TRUE(found) << field << " = " << value << " (" << kind << "):\n" << e.what();
        const std::string msg = e.what();
        EXPECT_EQ(msg.find(value), std::string::npos) << msg;
        EXPECT_EQ(msg.find("MRN-99817263"), std::string::npos) << msg;
      }
    }
  }
  EXPECT_EQ(dump(*s), before);  // nothing written by any refused import
}

TEST_P(ImportIdentifierCheckTest, MappedCsvRefusesIdentifiersInTextColumnsAndConstants) {
  auto s = migrated_store();
  const std::string before = dump(*s);
  const std::string header = "Hospital number,Name,Contact,Sex,SIRT date,Scan date,Lesion,Diameter (cm)\n";
  const std::string mapping = R"TOML(
patient_id = "Hospital number"
date_format = "DD/MM/YYYY"
drop = ["Name"]
identifiers = ["Contact"]
[columns."Sex"]
field = "sex"
recode = { F = "female", M = "male" }
[columns."SIRT date"]
field = ["index_date", "treatment_start_date"]
[columns."Scan date"]
field = "scan_date"
[columns."Lesion"]
field = "lesion_label"
[columns."Diameter (cm)"]
field = "longest_diameter_mm"
unit = "cm"
[constants]
treatment_type = "sirt"
lesion_kind = "target"
lesion_organ = "liver"
)TOML";
  const CsvMapping m = parse_csv_mapping(mapping, "map.toml");
  auto rows = [&](const std::string& lesion) {
    return header + "H-77,Ophelia Grunewald,Maurice Leblanc,F,01/03/2021,,,\n" + "H-77,,,,,20/02/2021," + lesion + ",6.2\n";
  };
  EXPECT_TRUE(validate_mapped_csv(*s, io::CsvTable::parse(rows("T1"), "plain.csv"), m, key).empty());
  for (const std::string lesion : {"Grunewald T1", "ophelia", "leblanc", "H-77", "T1 o.grunewald@chu.fr", "tel 0612345678", "20/02/2021"}) {
    try {
      import_mapped_csv(*s, io::CsvTable::parse(rows(lesion), "plain.csv"), m, key);
      ADD_FAILURE() << lesion << " was imported";
    } catch (const ImportError& e) {
      bool found = false;
      for (const auto& p : e.problems())
        found |= p.file == "plain.csv" && p.line == 3 && p.column == "Lesion" && p.message.find("without identifiers") != std::string::npos;
      EXPECT_TRUE(found) << lesion << ":\n" << e.what();
      const std::string msg = e.what();
      for (const std::string planted : {lesion, std::string("Grunewald"), std::string("Leblanc"), std::string("H-77")})
        EXPECT_EQ(msg.find(planted), std::string::npos) << planted << " in " << msg;
    }
  }
  // A constant of the mapping is checked like a cell.
  std::string bad_constant = mapping;
  bad_constant.replace(bad_constant.find("lesion_organ = \"liver\""), 22, "lesion_organ = \"see dr.house@chu.fr\"");
  try {
    import_mapped_csv(*s, io::CsvTable::parse(rows("T1"), "plain.csv"), parse_csv_mapping(bad_constant, "map.toml"), key);
    ADD_FAILURE() << "an e-mail constant was imported";
  } catch (const ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("constants.lesion_organ"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("an e-mail address"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("house@chu"), std::string::npos) << e.what();
  }
  EXPECT_EQ(dump(*s), before);
}

}  // namespace
}  // namespace sirtkit::registry
