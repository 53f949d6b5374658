// Error messages of the registry never echo a value of an identifier, date or
// text column (issue 12 item 4), on both stores: each error path is triggered
// with planted values (none of them an identifier pattern, so that only the
// message construction can leak them) and the message is searched for them.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "registry/redcap/redcap_import.h"
#include "registry/store/schema.h"
#include "registry/derived/tumour_response.h"
#include "redcap_fixture.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;

const auto key = PseudonymKey::from_bytes("registry-test-key-0123456789abcdef");

// The fixture's dictionary with an UNFLAGGED record id, site as text and a
// longitudinal export (redcap_event_name).
DataDictionary dictionary() {
  std::string d = testing::redcap_dictionary_csv();
  auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = d.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    d.replace(at, from.size(), to);
  };
  replace("mrn,demographics,,text,Hospital record number,,,,,,y,", "mrn,demographics,,text,Hospital record number,,,,,,,");
  replace("site,demographics,,dropdown,Site,\"1, Paris | 2, Lyon\",,,,,,,y,", "site,demographics,,text,Site,,,,,,,,y,");
  return DataDictionary::from_table(io::CsvTable::parse(d, "dict.csv"));
}

// Planted values: a record number, a birth date, and text values that no
// pattern recognises (so the import accepts them where they are valid).
const std::string mrn = "RECORD7Q";
const std::vector<std::string> planted = {mrn, "1947-03-18", "1948-04-19", "Quasimodo", "Esmeralda", "Frollo", "Gringoire",
                                          "2021-03-01", "2021-02-20", "2021-03-05"};

void expect_clean(const std::string& message) {
  EXPECT_FALSE(message.empty());
  for (const auto& p : planted) EXPECT_EQ(message.find(p), std::string::npos) << "'" << p << "' in:\n" << message;
}

std::string refusal(Store& s, const testing::RedcapExport& e, bool update = false) {
  ImportOptions o{"DOSI", "alice", update};
  try {
    import_redcap(s, io::CsvTable::parse(e.csv(), "export.csv"), dictionary(), key, o);
  } catch (const ImportError& err) {
    std::string all = err.what();
    for (const auto& p : err.problems()) all += "\n" + p.value + "|" + p.column + "|" + p.message;
    return all;
  }
  ADD_FAILURE() << "accepted";
  return "";
}

testing::RedcapExport base() {
  testing::RedcapExport e;
  e.row(mrn, "", {{"birth_date", "1947-03-18"}, {"site", "Quasimodo"}, {"index_date", "2021-03-01"}, {"sex", "1"}});
  return e;
}

class ErrorMessageTest : public StoreTest {};
SIRTKIT_BOTH_STORES(ErrorMessageTest);

TEST_P(ErrorMessageTest, ImportProblemsNameLinesAndColumnsNotValues) {
  auto s = migrated_store();
  // A birth date after the index date; two measurements of one lesion on one
  // day; another organ for the same lesion; an end before the start.
  testing::RedcapExport e;
  e.row(mrn, "", {{"birth_date", "2021-03-05"}, {"site", "Quasimodo"}, {"index_date", "2021-03-01"}, {"sex", "Frollo"}, {"albumin_g_l", "Gringoire"}})
      .row(mrn, "lesion_measurements", {{"lesion_label", "Esmeralda"}, {"lesion_organ", "Frollo"}, {"lesion_kind", "1"}, {"scan_date", "2021-02-20"}})
      .row(mrn, "lesion_measurements", {{"lesion_label", "Esmeralda"}, {"lesion_organ", "Gringoire"}, {"lesion_kind", "1"}, {"scan_date", "2021-02-20"}})
      .row(mrn, "treatments", {{"treatment_type", "3"}, {"treatment_start_date", "2021-03-05"}, {"drug", "Quasimodo"}})
      .row(mrn, "adverse_events", {{"ae_term", "Frollo"}, {"ae_grade", "Esmeralda"}, {"ae_onset_date", "1948-04-19"}});
  const std::string msg = refusal(*s, e);
  for (const char* column : {"birth_date", "sex", "albumin_g_l", "scan_date", "lesion_kind", "ae_grade", "ae_onset_date"})
    EXPECT_NE(msg.find(column), std::string::npos) << column << " not reported:\n" << msg;
  expect_clean(msg);
}

TEST_P(ErrorMessageTest, RecordIdOfAnAlreadyImportedOrIncompleteRecordIsNotShown) {
  auto s = migrated_store();
  import_redcap(*s, io::CsvTable::parse(base().csv(), "export.csv"), dictionary(), key);
  expect_clean(refusal(*s, base()));  // already imported, unflagged record id
  testing::RedcapExport orphan;
  orphan.row("ORPHAN55", "followup", {{"followup_type", "1"}, {"followup_date", "2021-03-05"}});
  const std::string msg = refusal(*s, orphan);  // no patient row
  EXPECT_EQ(msg.find("ORPHAN55"), std::string::npos) << msg;
  expect_clean(msg);
}

TEST_P(ErrorMessageTest, LongitudinalConflictAndUpdateConflictShowNoValues) {
  auto s = migrated_store();
  // Two event rows of one patient with different sites (merged patient fields).
  const std::string csv = "mrn,redcap_event_name,site,index_date,sex\n" + mrn + ",baseline_arm_1,Quasimodo,2021-03-01,1\n" + mrn +
                          ",month_3_arm_1,Gringoire,2021-03-01,1\n";
  try {
    import_redcap(*s, io::CsvTable::parse(csv, "export.csv"), dictionary(), key);
    ADD_FAILURE() << "accepted";
  } catch (const ImportError& err) {
    EXPECT_NE(std::string(err.what()).find("a patient field has one value"), std::string::npos) << err.what();
    expect_clean(err.what());
  }
  // An update giving a stored lesion another organ.
  testing::RedcapExport first = base();
  first.row(mrn, "lesion_measurements", {{"lesion_label", "Esmeralda"}, {"lesion_organ", "Frollo"}, {"lesion_kind", "1"}, {"scan_date", "2021-02-20"}});
  import_redcap(*s, io::CsvTable::parse(first.csv(), "export.csv"), dictionary(), key, {"DOSI", "alice", {}});
  testing::RedcapExport update;
  update.row(mrn, "lesion_measurements", {{"lesion_label", "Esmeralda"}, {"lesion_organ", "Gringoire"}, {"lesion_kind", "1"}, {"scan_date", "2021-03-05"}});
  const std::string msg = refusal(*s, update, true);
  EXPECT_NE(msg.find("organ and kind stored"), std::string::npos) << msg;
  expect_clean(msg);
}

// Database errors: PostgreSQL's DETAIL line would quote the failing row.
TEST_P(ErrorMessageTest, ConstraintViolationsDoNotQuoteTheRow) {
  auto s = migrated_store();
  import_redcap(*s, io::CsvTable::parse(base().csv(), "export.csv"), dictionary(), key);
  const std::string patient = *s->scalar("SELECT id FROM patients");
  Transaction tx(*s, "test");
  try {
    // sirtkit's SQL carries values as parameters only (the statement text is quoted in messages).
    s->execute("INSERT INTO lesions (patient_id, label, organ, kind) VALUES (?, ?, ?, ?)", {patient, "Esmeralda", "Frollo", "Quasimodo"});
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    expect_clean(e.what());
  }
}

// derive: the reason a patient is excluded names no lesion label, organ or date.
TEST_P(ErrorMessageTest, DerivedResponseExclusionsShowNoLabelsOrDates) {
  auto s = migrated_store();
  testing::RedcapExport e = base();
  e.row(mrn, "lesion_measurements", {{"lesion_label", "Esmeralda"}, {"lesion_organ", "Frollo"}, {"lesion_kind", "1"}, {"scan_date", "2021-02-20"},
                                     {"longest_diameter_mm", "4"}})  // a target under 10 mm at baseline
      .row(mrn, "lesion_measurements", {{"lesion_label", "Esmeralda"}, {"lesion_organ", "Frollo"}, {"lesion_kind", "1"}, {"scan_date", "2021-06-01"},
                                        {"longest_diameter_mm", "3"}});
  import_redcap(*s, io::CsvTable::parse(e.csv(), "export.csv"), dictionary(), key);
  ResponseDerivationOptions o;
  const ResponseDataSet d = derive_tumour_response(*s, o);
  ASSERT_EQ(d.excluded.size(), 1u);
  expect_clean(d.excluded[0].second);
  // Shifted dates are not shown either.
  const std::string shifted = *s->scalar("SELECT index_date_shifted FROM patients");
  EXPECT_EQ(d.excluded[0].second.find(shifted.substr(0, 4) + "-"), std::string::npos) << d.excluded[0].second;
}

}  // namespace
}  // namespace sirtkit::registry
