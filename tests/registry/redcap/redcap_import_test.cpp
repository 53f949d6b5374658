// Import of a REDCap export + data dictionary, on both stores: values land
// de-identified, every problem is reported with line and column, and a bad
// file changes nothing.

#include "registry/redcap/redcap_import.h"

#include <gtest/gtest.h>

#include "clinical/date.h"
#include "registry/store/schema.h"
#include "redcap_fixture.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;
using testing::dump;

const auto key = PseudonymKey::from_bytes("registry-test-key-0123456789abcdef");

DataDictionary dictionary() { return DataDictionary::from_table(io::CsvTable::parse(testing::redcap_dictionary_csv(), "dict.csv")); }
io::CsvTable table(const std::string& csv) { return io::CsvTable::parse(csv, "export.csv"); }

// Rows in the data tables (the audit log not counted).
long long total_rows(Store& s) {
  long long n = 0;
  for (const auto& t : data_tables()) n += s.count(t.name);
  return n;
}

class ImportTest : public StoreTest {};
SIRTKIT_BOTH_STORES(ImportTest);

TEST_P(ImportTest, ImportsDeidentifiedValues) {
  auto s = migrated_store();
  const ImportSummary sum = import_redcap(*s, table(testing::two_patient_export().csv()), dictionary(), key, {"DOSI", "alice", {}});
  EXPECT_EQ(sum.patients, 2u);
  EXPECT_EQ(sum.measurements, 2u);
  EXPECT_EQ(s->count("patients"), 2);
  EXPECT_EQ(s->count("baseline"), 2);
  EXPECT_EQ(s->count("lesions"), 1);
  EXPECT_EQ(s->count("lesion_measurements"), 2);
  EXPECT_EQ(s->count("treatments"), 2);
  EXPECT_EQ(s->count("labs"), 2);
  EXPECT_EQ(s->count("adverse_events"), 1);
  EXPECT_EQ(s->count("followup_events"), 3);
  EXPECT_EQ(s->count("sites"), 2);
  EXPECT_EQ(s->count("arms"), 2);
  // One audit INSERT per data row, by the importing actor.
  EXPECT_EQ(s->count("audit_log"), total_rows(*s));
  EXPECT_EQ(*s->scalar("SELECT COUNT(DISTINCT actor) FROM audit_log"), "1");
  EXPECT_EQ(*s->scalar("SELECT actor FROM audit_log"), "alice");

  const std::string p1 = key.pseudonym("MRN-99817263");
  const ResultSet pat = s->query(
      "SELECT p.id, p.index_date_shifted, p.sex, p.age_years, si.code AS site, a.code AS arm, b.ecog, b.child_pugh_class, "
      "b.bclc_stage, b.diagnosis, b.portal_vein_invasion FROM patients p JOIN sites si ON si.id = p.site_id "
      "JOIN arms a ON a.id = p.arm_id JOIN baseline b ON b.patient_id = p.id WHERE p.pseudonym = ?",
      {p1});
  ASSERT_EQ(pat.size(), 1u);
  const int shift = key.date_shift_days("MRN-99817263");
  EXPECT_EQ(*pat.at(0, "index_date_shifted"),
            clinical::to_iso(clinical::Date{clinical::parse_date("2021-03-01", "d").days + shift}));
  EXPECT_EQ(*pat.at(0, "sex"), "male");
  EXPECT_EQ(*pat.at(0, "age_years"), "73");  // born 1947-03-18, index 2021-03-01: birthday not yet reached
  EXPECT_EQ(*pat.at(0, "site"), "Paris");
  EXPECT_EQ(*pat.at(0, "arm"), "personalised");
  EXPECT_EQ(*pat.at(0, "ecog"), "0");
  EXPECT_EQ(*pat.at(0, "child_pugh_class"), "A");
  EXPECT_EQ(*pat.at(0, "bclc_stage"), "C");
  EXPECT_EQ(*pat.at(0, "diagnosis"), "hcc");
  EXPECT_EQ(*pat.at(0, "portal_vein_invasion"), "1");
  const std::string id = *pat.at(0, "id");
  // Study days from the index date (2021-03-01 = day 0).
  const ResultSet m = s->query("SELECT m.day, m.longest_diameter_mm, l.kind, l.label FROM lesion_measurements m JOIN lesions l ON l.id = m.lesion_id "
                               "WHERE l.patient_id = ? ORDER BY m.day", {id});
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(*m.at(0, "day"), "-9");
  EXPECT_EQ(*m.at(1, "day"), "92");
  EXPECT_DOUBLE_EQ(std::stod(*m.at(1, "longest_diameter_mm")), 41.5);
  EXPECT_EQ(*m.at(0, "kind"), "target");
  const ResultSet t = s->query("SELECT kind, device, start_day, delivered_activity_gbq, verified_tumour_dose_gy FROM treatments WHERE patient_id = ?", {id});
  EXPECT_EQ(*t.at(0, "kind"), "sirt");
  EXPECT_EQ(*t.at(0, "device"), "glass");
  EXPECT_EQ(*t.at(0, "start_day"), "0");
  EXPECT_DOUBLE_EQ(std::stod(*t.at(0, "verified_tumour_dose_gy")), 231.4);
  EXPECT_EQ(*s->scalar("SELECT day FROM followup_events WHERE kind = 'death' AND patient_id = ?", {id}), "397");
  EXPECT_EQ(*s->scalar("SELECT unit FROM labs WHERE patient_id = ?", {id}), "mg/dL");
  // Dropped fields are reported.
  EXPECT_NE(std::find(sum.dropped_identifiers.begin(), sum.dropped_identifiers.end(), "patient_name"), sum.dropped_identifiers.end());
  EXPECT_NE(std::find(sum.dropped_free_text.begin(), sum.dropped_free_text.end(), "comments"), sum.dropped_free_text.end());
}

TEST_P(ImportTest, NoPlantedIdentifierReachesTheDatabase) {
  const std::string loc = fresh_location();
  {
    auto s = open(loc);
    migrate(*s, "test");
    import_redcap(*s, table(testing::two_patient_export().csv()), dictionary(), key);
    const std::string all = dump(*s);
    for (const auto& id : testing::planted_identifiers()) EXPECT_EQ(all.find(id), std::string::npos) << id;
  }
  if (GetParam() == Dialect::sqlite) {  // the raw file too (free pages, journal leftovers)
    const std::string bytes = testing::slurp(loc);
    ASSERT_GT(bytes.size(), 4096u);
    for (const auto& id : testing::planted_identifiers()) EXPECT_EQ(bytes.find(id), std::string::npos) << id;
  }
}

TEST_P(ImportTest, ReportsEveryProblemWithLineAndColumnAndWritesNothing) {
  auto s = migrated_store();
  testing::RedcapExport e;
  e.row("A1", "", {{"site", "1"}, {"index_date", "2021-02-30"}, {"ecog", "7"}})                         // line 2: bad date, bad code
      .row("A1", "adverse_events", {{"ae_term", "Fatigue"}, {"ae_onset_date", "2021-03-02"}})         // line 3: grade missing
      .row("A1", "labs", {{"lab_date", "2021-03-02"}, {"lab_test", "bilirubin"}, {"lab_value", "12"}, {"lab_unit", "mmol/L"}})  // line 4: unit
      .row("A1", "treatments", {{"treatment_type", "1"}, {"treatment_start_date", "2021-03-02"}, {"lesion_label", "T1"}})  // line 5: wrong form
      .row("A2", "", {{"site", "3"}, {"index_date", "2021-01-01"}, {"albumin_g_l", "abc"}})          // line 6: site code, number
      .row("A2", "followup", {{"followup_type", "4"}, {"followup_date", "2021-06-01"}})
      .row("A2", "followup", {{"followup_type", "4"}, {"followup_date", "2021-07-01"}})              // line 8: second death
      .row("A3", "treatments", {{"treatment_type", "1"}, {"treatment_start_date", "2091-03-02"}});   // line 9: future; no base row
  try {
    import_redcap(*s, table(e.csv()), dictionary(), key);
    FAIL() << "bad import accepted";
  } catch (const ImportError& err) {
    EXPECT_EQ(err.category(), ErrorCategory::bad_input);
    auto has = [&](std::size_t line, const std::string& column, const std::string& value) {
      for (const auto& p : err.problems())
        if (p.line == line && p.column == column && p.value == value && p.file == "export.csv") return true;
      return false;
    };
    // Values of date, text and identifier columns are never shown; plain
    // numbers, dictionary codes and known units are.
    EXPECT_TRUE(has(2, "index_date", "(not shown)")) << err.what();
    EXPECT_TRUE(has(2, "ecog", "7")) << err.what();
    EXPECT_TRUE(has(3, "ae_grade", "(empty)")) << err.what();
    EXPECT_TRUE(has(4, "lab_unit", "mmol/L")) << err.what();
    EXPECT_TRUE(has(5, "lesion_label", "(not shown)")) << err.what();
    EXPECT_TRUE(has(6, "site", "3")) << err.what();
    EXPECT_TRUE(has(6, "albumin_g_l", "(not shown)")) << err.what();  // not a number: could be anything
    EXPECT_TRUE(has(8, "followup_type", "death")) << err.what();
    EXPECT_TRUE(has(9, "treatment_start_date", "(not shown)")) << err.what();
    EXPECT_TRUE(has(9, "mrn", "(record id, not shown)")) << err.what();
    for (const char* value : {"2021-02-30", "2091-03-02", "abc", "A3", "2021-07-01"})
      EXPECT_EQ(std::string(err.what()).find(value), std::string::npos) << value << " in " << err.what();
    EXPECT_NE(std::string(err.what()).find("export.csv line 4, column lab_unit = 'mmol/L'"), std::string::npos) << err.what();
    EXPECT_NE(std::string(err.what()).find("nothing was imported"), std::string::npos);
  }
  EXPECT_EQ(total_rows(*s), 0);
  EXPECT_EQ(s->count("audit_log"), 0);
  EXPECT_EQ(s->count("registry_meta"), 0);
}

TEST_P(ImportTest, UnknownColumnAndAlreadyImportedAndOtherKeyAreRefused) {
  auto s = migrated_store();
  const std::string csv = testing::two_patient_export().csv();
  import_redcap(*s, table(csv), dictionary(), key);
  const long long rows = total_rows(*s), audit = s->count("audit_log");
  try {
    import_redcap(*s, table(csv), dictionary(), key);
    FAIL();
  } catch (const ImportError& err) {
    ASSERT_EQ(err.problems().size(), 2u) << err.what();
    EXPECT_EQ(err.problems()[0].column, "mrn");
    EXPECT_EQ(err.problems()[0].line, 2u);
    EXPECT_EQ(err.problems()[1].line, 10u);
  }
  try {
    import_redcap(*s, table(testing::synthetic_export(1).csv()), dictionary(), PseudonymKey::from_bytes(std::string(40, 'z')));
    FAIL();
  } catch (const ImportError& err) {
    ASSERT_EQ(err.problems().size(), 1u) << err.what();
    EXPECT_EQ(err.problems()[0].file, "key");
  }
  try {
    import_redcap(*s, table("mrn,favourite_colour\nX1,blue\n"), dictionary(), key);
    FAIL();
  } catch (const ImportError& err) {
    EXPECT_EQ(err.problems()[0].line, 1u);
    EXPECT_EQ(err.problems()[0].column, "favourite_colour");
  }
  EXPECT_EQ(total_rows(*s), rows);
  EXPECT_EQ(s->count("audit_log"), audit);
  // A further, new cohort with the same key is accepted and links to the same study.
  import_redcap(*s, table(testing::synthetic_export(3).csv()), dictionary(), key);
  EXPECT_EQ(s->count("patients"), 5);
  EXPECT_EQ(s->count("studies"), 1);
}

// Without an index_date field, day 0 is the earliest date of each patient.
TEST_P(ImportTest, WithoutIndexDateFieldDayZeroIsEarliestDate) {
  auto s = migrated_store();
  std::string dict = testing::redcap_dictionary_csv();
  const auto b = dict.find("index_date,"), e = dict.find('\n', b);
  dict.erase(b, e - b + 1);
  const io::CsvTable full = table(testing::two_patient_export().csv());
  const std::size_t drop = full.column_index("index_date");
  std::string csv;
  for (std::size_t r = 0; r <= full.rows(); ++r) {
    std::string line;
    for (std::size_t c = 0; c < full.columns(); ++c) {
      if (c == drop) continue;
      std::string v = r == 0 ? full.header()[c] : full.cell(r - 1, c);
      if (v.find(',') != std::string::npos) v = "\"" + v + "\"";
      line += (line.empty() ? "" : ",") + v;
    }
    csv += line + "\n";
  }
  const ImportSummary sum = import_redcap(*s, table(csv), DataDictionary::from_table(io::CsvTable::parse(dict, "dict.csv")), key);
  EXPECT_EQ(sum.patients, 2u);
  EXPECT_NE(sum.index_date_rule.find("earliest"), std::string::npos);
  // Patient 1: earliest date is the first scan, 2021-02-20 (day 0); death 2022-04-02 is day 406.
  const std::string id = *s->scalar("SELECT id FROM patients WHERE pseudonym = ?", {key.pseudonym("MRN-99817263")});
  EXPECT_EQ(*s->scalar("SELECT MIN(m.day) FROM lesion_measurements m JOIN lesions l ON l.id = m.lesion_id WHERE l.patient_id = ?", {id}), "0");
  EXPECT_EQ(*s->scalar("SELECT day FROM followup_events WHERE kind = 'death' AND patient_id = ?", {id}), "406");
  // Age still from the birth date, at the new day 0 (1947-03-18 → 2021-02-20: 73).
  EXPECT_EQ(*s->scalar("SELECT age_years FROM patients WHERE id = ?", {id}), "73");
}

TEST_P(ImportTest, DictionaryUnitMustMatchTheRegistryField) {
  auto s = migrated_store();
  std::string dict = testing::redcap_dictionary_csv();
  dict.replace(dict.find("Albumin,,g/L"), 12, "Albumin,,g/dL");  // line 16
  dict.replace(dict.find("Activity,,GBq"), 13, "Activity,,mCi");  // line 27
  try {
    import_redcap(*s, table(testing::two_patient_export().csv()), DataDictionary::from_table(io::CsvTable::parse(dict, "dict.csv")), key);
    FAIL();
  } catch (const ImportError& e) {
    ASSERT_EQ(e.problems().size(), 2u) << e.what();
    EXPECT_EQ(e.problems()[0].file, "dict.csv");
    EXPECT_EQ(e.problems()[0].line, 16u);
    EXPECT_EQ(e.problems()[0].value, "g/dL");
    EXPECT_EQ(e.problems()[1].line, 27u);
    EXPECT_EQ(e.problems()[1].column, "Field Note");
  }
  EXPECT_EQ(total_rows(*s), 0);
}

// A longitudinal REDCap export: one row per record and event; non-repeating
// forms of later events come without a repeat instrument.
TEST_P(ImportTest, LongitudinalExportMergesEventRows) {
  auto s = migrated_store();
  const std::string csv =
      "mrn,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,site,index_date,ecog,lab_date,lab_test,lab_value,lab_unit,followup_type,followup_date\n"
      "L1,baseline_arm_1,,,1,2021-01-04,,,,,,,\n"                                    // line 2
      "L1,month3_arm_1,,,,,,2021-04-01,albumin,35,g/L,,\n"                           // line 3: a lab record
      "L1,month3_arm_1,followup,1,,,,,,,,1,2021-04-20\n"                             // line 4
      "L1,month6_arm_1,,,,,1,,,,,,\n";                                               // line 5: baseline form in a later event
  const ImportSummary sum = import_redcap(*s, table(csv), dictionary(), key);
  EXPECT_EQ(sum.patients, 1u);
  EXPECT_EQ(sum.labs, 1u);
  EXPECT_EQ(sum.followup_events, 1u);
  EXPECT_EQ(*s->scalar("SELECT day FROM labs"), "87");
  EXPECT_EQ(*s->scalar("SELECT ecog FROM baseline"), "1");
  // A patient field with two different values across events is refused.
  const std::string conflict =
      "mrn,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,site,index_date,ecog\n"
      "L2,baseline_arm_1,,,1,2021-01-04,0\n"
      "L2,month6_arm_1,,,,,1\n";
  try {
    import_redcap(*s, table(conflict), dictionary(), key);
    FAIL();
  } catch (const ImportError& e) {
    ASSERT_EQ(e.problems().size(), 1u) << e.what();
    EXPECT_EQ(e.problems()[0].line, 3u);
    EXPECT_EQ(e.problems()[0].column, "ecog");
  }
  // Without the event column two non-repeating rows of one record are an error.
  const std::string classic = "mrn,site,index_date\nL3,1,2021-01-04\nL3,2,2021-01-04\n";
  EXPECT_THROW(import_redcap(*s, table(classic), dictionary(), key), ImportError);
  EXPECT_EQ(s->count("patients"), 1);
}

TEST(RedcapDictionary, MalformedDictionaryNamesLineAndColumn) {
  std::string d = testing::redcap_dictionary_csv();
  d.replace(d.find("yesno"), 5, "gizmo");
  try {
    DataDictionary::from_table(io::CsvTable::parse(d, "dict.csv"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("dict.csv line 18"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("gizmo"), std::string::npos) << e.what();
  }
  EXPECT_THROW(DataDictionary::from_table(io::CsvTable::parse("Variable / Field Name,Field Type\nx,text\n", "d.csv")), Error);
}

}  // namespace
}  // namespace sirtkit::registry
