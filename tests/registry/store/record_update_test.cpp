// Updating records already in the registry (ImportOptions::update_existing),
// on both stores: corrected values replace the stored ones and the audit trail
// holds each UPDATE with the old and the new row; new visits are added; day 0,
// a lesion's kind and the study cannot change; without the option a known
// record is refused as before.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "registry/redcap/redcap_import.h"
#include "registry/store/schema.h"
#include "../redcap/redcap_fixture.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;

const auto key = PseudonymKey::from_bytes("registry-test-key-0123456789abcdef");

DataDictionary dictionary() { return DataDictionary::from_table(io::CsvTable::parse(testing::redcap_dictionary_csv(), "dict.csv")); }
io::CsvTable table(const std::string& csv) { return io::CsvTable::parse(csv, "update.csv"); }

ImportOptions updating() {
  ImportOptions o{"DOSI", "bob", {}};
  o.update_existing = true;
  return o;
}

class RecordUpdateTest : public StoreTest {
 protected:
  std::unique_ptr<Store> registry_with_two_patients() {
    auto s = migrated_store();
    import_redcap(*s, table(testing::two_patient_export().csv()), dictionary(), key, {"DOSI", "alice", {}});
    return s;
  }
  std::string p1 = key.pseudonym("MRN-99817263");
};
SIRTKIT_BOTH_STORES(RecordUpdateTest);

// A correction (ECOG 0 → 1, T1 on 2021-06-01 41.5 → 40 mm) and a new scan.
testing::RedcapExport correction(const std::string& index_date = "2021-03-01") {
  testing::RedcapExport e;
  e.row("MRN-99817263", "", {{"site", "1"}, {"index_date", index_date}, {"ecog", "1"}})  // site: required on its form
      .row("MRN-99817263", "lesion_measurements", {{"lesion_label", "T1"}, {"lesion_organ", "liver"}, {"lesion_kind", "1"}, {"scan_date", "2021-06-01"}, {"longest_diameter_mm", "40"}})
      .row("MRN-99817263", "lesion_measurements", {{"lesion_label", "T1"}, {"lesion_organ", "liver"}, {"lesion_kind", "1"}, {"scan_date", "2021-09-01"}, {"longest_diameter_mm", "30"}});
  return e;
}

TEST_P(RecordUpdateTest, KnownRecordIsRefusedWithoutUpdate) {
  auto s = registry_with_two_patients();
  const long long before = testing::data_and_audit_rows(*s);
  EXPECT_THROW(import_redcap(*s, table(correction().csv()), dictionary(), key, {"DOSI", "bob", {}}), ImportError);
  EXPECT_EQ(testing::data_and_audit_rows(*s), before);
}

TEST_P(RecordUpdateTest, CorrectsValuesAddsVisitsAndAuditsOldAndNew) {
  auto s = registry_with_two_patients();
  const long long audit_before = s->count("audit_log");
  const ImportSummary sum = import_redcap(*s, table(correction().csv()), dictionary(), key, updating());
  EXPECT_EQ(sum.patients, 0u);
  EXPECT_EQ(sum.patients_updated, 1u);
  EXPECT_EQ(sum.rows_updated, 2u);   // baseline ECOG, one measurement
  EXPECT_EQ(sum.measurements, 1u);   // the new scan
  EXPECT_EQ(s->count("patients"), 2);
  EXPECT_EQ(s->count("lesions"), 1);
  EXPECT_EQ(s->count("lesion_measurements"), 3);
  EXPECT_EQ(*s->scalar("SELECT b.ecog FROM baseline b JOIN patients p ON p.id = b.patient_id WHERE p.pseudonym = ?", {p1}), "1");
  // Values the update did not give stay as they were.
  EXPECT_EQ(*s->scalar("SELECT b.bclc_stage FROM baseline b JOIN patients p ON p.id = b.patient_id WHERE p.pseudonym = ?", {p1}), "C");
  EXPECT_EQ(*s->scalar("SELECT sex FROM patients WHERE pseudonym = ?", {p1}), "male");
  const ResultSet m = s->query("SELECT m.day, m.longest_diameter_mm FROM lesion_measurements m ORDER BY m.day");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_DOUBLE_EQ(std::stod(*m.at(1, "longest_diameter_mm")), 40.0);  // 2021-06-01, day 92
  EXPECT_EQ(*m.at(1, "day"), "92");
  EXPECT_EQ(*m.at(2, "day"), "184");
  // The audit trail: two UPDATEs with old and new rows and one INSERT, by bob.
  EXPECT_EQ(s->count("audit_log") - audit_before, 3);
  const ResultSet upd = s->query("SELECT table_name, old_row, new_row, actor FROM audit_log WHERE action = 'UPDATE' ORDER BY id");
  ASSERT_EQ(upd.size(), 2u);
  EXPECT_EQ(*upd.at(0, "table_name"), "baseline");
  EXPECT_EQ(nlohmann::json::parse(*upd.at(0, "old_row"))["ecog"], 0) << *upd.at(0, "old_row");
  EXPECT_EQ(nlohmann::json::parse(*upd.at(0, "new_row"))["ecog"], 1) << *upd.at(0, "new_row");
  EXPECT_EQ(*upd.at(1, "table_name"), "lesion_measurements");
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(*upd.at(1, "old_row"))["longest_diameter_mm"].get<double>(), 41.5);
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(*upd.at(1, "new_row"))["longest_diameter_mm"].get<double>(), 40.0);
  EXPECT_EQ(*upd.at(1, "actor"), "bob");
  // The same update again changes nothing.
  const long long before = testing::data_and_audit_rows(*s);
  const ImportSummary again = import_redcap(*s, table(correction().csv()), dictionary(), key, updating());
  EXPECT_EQ(again.rows_updated, 0u);
  EXPECT_EQ(again.measurements, 0u);
  EXPECT_EQ(testing::data_and_audit_rows(*s), before);
}

TEST_P(RecordUpdateTest, NewVisitsWithoutThePatientRow) {
  auto s = registry_with_two_patients();
  testing::RedcapExport e;
  e.row("MRN-55501234", "labs", {{"lab_date", "2021-08-01"}, {"lab_test", "albumin"}, {"lab_value", "3.4"}, {"lab_unit", "g/dL"}})
      .row("MRN-55501234", "followup", {{"followup_type", "4"}, {"followup_date", "2023-06-01"}});
  const ImportSummary sum = import_redcap(*s, table(e.csv()), dictionary(), key, updating());
  EXPECT_EQ(sum.labs, 1u);
  EXPECT_EQ(sum.followup_events, 1u);
  // Day 0 is the stored index date (2021-05-10): 2021-08-01 is day 83.
  EXPECT_EQ(*s->scalar("SELECT l.day FROM labs l JOIN patients p ON p.id = l.patient_id WHERE p.pseudonym = ? AND l.value > 3.3",
                       {key.pseudonym("MRN-55501234")}),
            "83");
}

TEST_P(RecordUpdateTest, DayZeroLesionKindAndDeathCannotChange) {
  auto s = registry_with_two_patients();
  const long long before = testing::data_and_audit_rows(*s);
  testing::RedcapExport e = correction("2021-03-02");
  e.row("MRN-99817263", "lesion_measurements", {{"lesion_label", "T1"}, {"lesion_organ", "liver"}, {"lesion_kind", "2"}, {"scan_date", "2021-12-01"}, {"longest_diameter_mm", "30"}})
      .row("MRN-99817263", "followup", {{"followup_type", "4"}, {"followup_date", "2022-05-02"}});
  try {
    import_redcap(*s, table(e.csv()), dictionary(), key, updating());
    FAIL() << "accepted";
  } catch (const ImportError& err) {
    std::set<std::string> columns;
    for (const auto& p : err.problems()) columns.insert(p.column);
    EXPECT_TRUE(columns.count("index_date")) << err.what();
    EXPECT_TRUE(columns.count("lesion_kind")) << err.what();
    EXPECT_TRUE(columns.count("followup_date")) << err.what();
    EXPECT_EQ(std::string(err.what()).find("MRN-99817263"), std::string::npos);
  }
  EXPECT_EQ(testing::data_and_audit_rows(*s), before);
}

}  // namespace
}  // namespace sirtkit::registry
