// Import of a plain CSV with a mapping file, on both stores: units converted
// to the registry's (the stored numbers are checked), every problem reported
// on the CSV's own line and column, a bad file changes nothing, and the
// patient identifier, name and birth date never reach the registry or a message.

#include "registry/import/mapped_import.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <set>

#include "clinical/date.h"
#include "registry/import/date_format.h"
#include "registry/store/schema.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;
using testing::dump;

const auto key = PseudonymKey::from_bytes("registry-test-key-0123456789abcdef");
const std::string examples = std::string(SIRTKIT_SOURCE_DIR) + "/examples/registry/";

CsvMapping example_mapping() { return read_csv_mapping(examples + "plain_csv_mapping.toml"); }

double number(Store& s, const std::string& sql, const std::string& pseudonym) {
  const Value v = s.scalar(sql, {pseudonym});
  EXPECT_TRUE(v) << sql;
  return v ? std::strtod(v->c_str(), nullptr) : NAN;
}

class MappedImportTest : public StoreTest {};
SIRTKIT_BOTH_STORES(MappedImportTest);

TEST(DateFormat, ReadsPatternsStrictly) {
  EXPECT_EQ(clinical::to_iso(*parse_date_in_format("01/03/2021", "DD/MM/YYYY")), "2021-03-01");
  EXPECT_EQ(clinical::to_iso(*parse_date_in_format("3/1/2021", "MM/DD/YYYY")), "2021-03-01");
  EXPECT_EQ(clinical::to_iso(*parse_date_in_format("20210301", "YYYYMMDD")), "2021-03-01");
  EXPECT_FALSE(parse_date_in_format("31/02/2021", "DD/MM/YYYY"));  // no such day
  EXPECT_FALSE(parse_date_in_format("01-03-2021", "DD/MM/YYYY"));
  EXPECT_FALSE(parse_date_in_format("01/03/21", "DD/MM/YYYY"));
  EXPECT_FALSE(is_date_format("DD/MM/YY"));
}

TEST_P(MappedImportTest, ExampleImportsWithUnitsConverted) {
  auto s = migrated_store();
  const io::CsvTable data = io::CsvTable::read(examples + "plain_export.csv");
  const ImportSummary sum = import_mapped_csv(*s, data, example_mapping(), key, {"DEMO", "alice", {}});
  EXPECT_EQ(sum.patients, 2u);
  EXPECT_EQ(s->count("patients"), 2);
  EXPECT_EQ(s->count("baseline"), 2);
  EXPECT_EQ(s->count("lesions"), 2);
  EXPECT_EQ(s->count("lesion_measurements"), 4);
  EXPECT_EQ(s->count("treatments"), 2);
  EXPECT_EQ(s->count("followup_events"), 3);
  EXPECT_EQ(s->count("audit_log"), testing::data_and_audit_rows(*s) - s->count("audit_log"));
  EXPECT_EQ(sum.dropped_identifiers.front(), "Hospital number (pseudonymised)");

  const std::string p1 = key.pseudonym("H-1001");
  auto baseline = [&](const std::string& col) { return number(*s, "SELECT b." + col + " FROM baseline b JOIN patients p ON p.id = b.patient_id WHERE p.pseudonym = ?", p1); };
  EXPECT_NEAR(baseline("bilirubin_umol_l"), 1.2 * 17.1, 1e-9);  // 20.52 µmol/L
  EXPECT_NEAR(baseline("albumin_g_l"), 36.0, 1e-9);
  EXPECT_EQ(baseline("ecog"), 0);
  EXPECT_NEAR(number(*s, "SELECT t.delivered_activity_gbq FROM treatments t JOIN patients p ON p.id = t.patient_id WHERE p.pseudonym = ?", p1),
              54 * 0.037, 1e-9);  // 1.998 GBq
  EXPECT_EQ(*s->scalar("SELECT t.kind FROM treatments t JOIN patients p ON p.id = t.patient_id WHERE p.pseudonym = ?", {p1}), "sirt");
  EXPECT_EQ(*s->scalar("SELECT t.start_day FROM treatments t JOIN patients p ON p.id = t.patient_id WHERE p.pseudonym = ?", {p1}), "0");
  const ResultSet m = s->query(
      "SELECT m.day, m.longest_diameter_mm, l.organ, l.kind FROM lesion_measurements m JOIN lesions l ON l.id = m.lesion_id "
      "JOIN patients p ON p.id = l.patient_id WHERE p.pseudonym = ? ORDER BY m.day", {p1});
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(*m.at(0, "day"), "-9");  // 20/02/2021, nine days before the SIRT of 01/03/2021
  EXPECT_NEAR(std::stod(*m.at(0, "longest_diameter_mm")), 62.0, 1e-9);
  EXPECT_NEAR(std::stod(*m.at(1, "longest_diameter_mm")), 41.0, 1e-9);
  EXPECT_EQ(*m.at(0, "organ"), "liver");
  EXPECT_EQ(*m.at(0, "kind"), "target");
  const ResultSet pat = s->query("SELECT sex, age_years, index_date_shifted FROM patients WHERE pseudonym = ?", {p1});
  EXPECT_EQ(*pat.at(0, "sex"), "female");
  EXPECT_EQ(*pat.at(0, "age_years"), "70");  // born 12/04/1950, SIRT 01/03/2021
  EXPECT_EQ(*pat.at(0, "index_date_shifted"),
            clinical::to_iso(clinical::Date{clinical::parse_date("2021-03-01", "d").days + key.date_shift_days("H-1001")}));
  EXPECT_EQ(*s->scalar("SELECT f.kind FROM followup_events f JOIN patients p ON p.id = f.patient_id WHERE p.pseudonym = ? AND f.day > 500",
                       {key.pseudonym("H-1002")}),
            "last_contact");

  const std::string all = dump(*s);
  for (const std::string planted : {"H-1001", "H-1002", "Jane Example", "John", "12/04/1950", "1950-04-12", "liver only", "2021-03-01"})
    EXPECT_EQ(all.find(planted), std::string::npos) << planted;
}

TEST_P(MappedImportTest, BadFileListsEveryProblemOnItsLineAndColumnAndChangesNothing) {
  auto s = migrated_store();
  import_mapped_csv(*s, io::CsvTable::read(examples + "plain_export.csv"), example_mapping(), key, {"DEMO", "alice", {}});
  const long long before = testing::data_and_audit_rows(*s);
  const std::string before_dump = dump(*s);
  const std::string header =
      "Hospital number,Name,Date of birth,Sex,Arm,SIRT date,Bilirubin (mg/dL),Albumin (g/dL),ECOG,Activity (mCi),Scan date,Lesion,"
      "Diameter (cm),Event,Event date,Comments\n";
  const std::string bad = header +
      "MRN-31337,Zelda Planted,07/07/1949,X,standard,31/02/2021,abc,3.2,1,40,,,,,,\n"   // line 2: sex not recoded, no such date, not a number
      "MRN-31337,,,,,,,,,,05/02/2021,T1,60,,,\n"                                         // line 3: 600 mm out of range
      "MRN-31337,,,,,,,,,,05/05/2021,,3.0,,,\n"                                          // line 4: lesion label missing
      "MRN-31337,,,,,,,,,,,,,Moved away,01/01/2022,\n"                                   // line 5: event not recoded
      "MRN-31337,,,,,,,,9,,,,,,,\n";                                                    // line 6: ECOG 9
  const io::CsvTable data = io::CsvTable::parse(bad, "bad.csv");
  try {
    import_mapped_csv(*s, data, example_mapping(), key, {"DEMO", "alice", {}});
    FAIL() << "imported a bad file";
  } catch (const ImportError& e) {
    const auto& p = e.problems();
    auto has = [&](std::size_t line, const std::string& column, const std::string& value) {
      for (const auto& x : p)
        if (x.file == "bad.csv" && x.line == line && x.column == column && x.value == value) return true;
      return false;
    };
    EXPECT_TRUE(has(2, "Sex", "X")) << e.what();
    // Dates and anything that is not a plain number are not shown (they may be patient data).
    EXPECT_TRUE(has(2, "SIRT date", "(not shown)")) << e.what();
    EXPECT_TRUE(has(2, "Bilirubin (mg/dL)", "(not shown)")) << e.what();
    EXPECT_TRUE(has(3, "Diameter (cm)", "60")) << e.what();  // shown as written, checked in mm
    EXPECT_TRUE(has(4, "Lesion", "(empty)")) << e.what();
    EXPECT_TRUE(has(5, "Event", "(not shown)")) << e.what();
    EXPECT_TRUE(has(6, "ECOG", "9")) << e.what();
    const std::string msg = e.what();
    for (const std::string planted : {"MRN-31337", "Zelda", "07/07/1949", "1949-07-07", "31/02/2021", "Moved away", "abc"})
      EXPECT_EQ(msg.find(planted), std::string::npos) << planted;
    for (const auto& x : p) EXPECT_EQ(x.value.find("MRN-31337"), std::string::npos);
  }
  EXPECT_EQ(testing::data_and_audit_rows(*s), before);
  EXPECT_EQ(dump(*s), before_dump);
  EXPECT_EQ(dump(*s).find("MRN-31337"), std::string::npos);
}

TEST_P(MappedImportTest, UnlistedColumnIsRefusedUnread) {
  auto s = migrated_store();
  const std::string csv =
      "Hospital number,Name,Date of birth,Sex,Arm,SIRT date,Bilirubin (mg/dL),Albumin (g/dL),ECOG,Activity (mCi),Scan date,Lesion,"
      "Diameter (cm),Event,Event date,Comments,Home address\n"
      "H-7,A Person,01/01/1950,M,standard,01/03/2021,1,3,0,40,,,,,,,12 Secret Road\n";
  const auto problems = validate_mapped_csv(*s, io::CsvTable::parse(csv, "extra.csv"), example_mapping(), key);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 1u);
  EXPECT_EQ(problems[0].column, "Home address");
  EXPECT_EQ(s->count("patients"), 0);
}

// A wide row holding two lab records (bilirubin and albumin on one date): named
// records with their own constants; a shared date column alone makes no record.
TEST_P(MappedImportTest, NamedRecordsSplitAWideRow) {
  auto s = migrated_store();
  const std::string toml = R"(
patient_id = "id"
date_format = "YYYYMMDD"
[columns.day0]
field = "index_date"
[columns.labday]
field = "lab_date"
records = ["bili", "alb"]
[columns.bili]
field = "lab_value"
records = ["bili"]
[columns.alb]
field = "lab_value"
records = ["alb"]
[records.bili]
lab_test = "bilirubin"
lab_unit = "mg/dL"
[records.alb]
lab_test = "albumin"
lab_unit = "g/L"
)";
  const std::string csv = "id,day0,labday,bili,alb\n"
                          "K1,20210301,20210225,1.1,35\n"
                          "K1,,20210401,0.9,\n";  // no albumin that day: no albumin record
  const ImportSummary sum =
      import_mapped_csv(*s, io::CsvTable::parse(csv, "wide.csv"), parse_csv_mapping(toml, "wide.toml"), key, {"W", "test", {}});
  EXPECT_EQ(sum.labs, 3u);
  const ResultSet labs = s->query("SELECT day, test, value, unit FROM labs ORDER BY day, test");
  ASSERT_EQ(labs.size(), 3u);
  EXPECT_EQ(*labs.at(0, "test"), "albumin");
  EXPECT_EQ(*labs.at(0, "day"), "-4");
  EXPECT_NEAR(std::stod(*labs.at(0, "value")), 35, 1e-9);
  EXPECT_EQ(*labs.at(1, "test"), "bilirubin");
  EXPECT_EQ(*labs.at(1, "unit"), "mg/dL");
  EXPECT_EQ(*labs.at(2, "test"), "bilirubin");
  EXPECT_EQ(*labs.at(2, "day"), "31");
}

TEST(CsvMapping, ListsEveryMappingProblem) {
  const std::string toml = R"(
patient_id = "id"
date_format = "DD/MM/YY"
[columns.bili]
field = "bilirubin_umol_l"
unit = "g/L"
[columns.weight]
field = "weight_kg"
[columns.size]
field = "longest_diameter_mm"
unit = "inch"
[columns.lesion]
field = "lesion_label"
[constants]
lesion_kind = "target"
)";
  try {
    parse_csv_mapping(toml, "map.toml");
    FAIL() << "accepted a bad mapping";
  } catch (const ImportError& e) {
    std::set<std::string> keys;
    for (const auto& p : e.problems()) keys.insert(p.column);
    EXPECT_TRUE(keys.count("date_format")) << e.what();
    EXPECT_TRUE(keys.count("columns.\"bili\".unit")) << e.what();
    EXPECT_TRUE(keys.count("columns.\"weight\".field")) << e.what();
    EXPECT_TRUE(keys.count("columns.\"size\".unit")) << e.what();
    EXPECT_TRUE(keys.count("columns")) << e.what();  // no scan_date for the lesion record
    EXPECT_NE(std::string(e.what()).find("scan_date"), std::string::npos);
  }
}

}  // namespace
}  // namespace sirtkit::registry
