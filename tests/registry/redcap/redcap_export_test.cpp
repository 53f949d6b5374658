// De-identified export: no planted identifier leaves, the round trip
// import → export → import → export is the identity, and both stores export
// the same bytes for the same import.

#include "registry/redcap/redcap_export.h"

#include <gtest/gtest.h>

#include "clinical/date.h"
#include "registry/redcap/redcap_import.h"
#include "registry/store/schema.h"
#include "redcap_fixture.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;

const auto key = PseudonymKey::from_bytes("export-test-key-0123456789abcdef-xyz");

DataDictionary dictionary() { return DataDictionary::from_table(io::CsvTable::parse(testing::redcap_dictionary_csv(), "dict.csv")); }

class ExportTest : public StoreTest {
 protected:
  std::unique_ptr<Store> imported() {
    auto s = migrated_store();
    import_redcap(*s, io::CsvTable::parse(testing::two_patient_export().csv(), "export.csv"), dictionary(), key);
    return s;
  }
};
SIRTKIT_BOTH_STORES(ExportTest);

TEST_P(ExportTest, ContainsNoPlantedIdentifier) {
  auto s = imported();
  const ExportResult e = export_redcap(*s);
  EXPECT_EQ(e.patients, 2u);
  EXPECT_EQ(e.rows, 2u + 7u + 3u);
  for (const auto& id : testing::planted_identifiers()) {
    EXPECT_EQ(e.data_csv.find(id), std::string::npos) << id;
    EXPECT_EQ(e.dictionary_csv.find(id), std::string::npos) << id;
  }
  EXPECT_EQ(e.data_csv.find("MRN"), std::string::npos);
  EXPECT_EQ(e.data_csv.find("patient_name"), std::string::npos);
  EXPECT_EQ(e.data_csv.find("birth_date"), std::string::npos);
  EXPECT_EQ(e.data_csv.find("comments"), std::string::npos);
  // What it does contain: pseudonyms and shifted dates with the intervals kept.
  const std::string p1 = key.pseudonym("MRN-99817263");
  EXPECT_NE(e.data_csv.find(p1 + ",,,Paris,personalised,"), std::string::npos) << e.data_csv;
  const int shift = key.date_shift_days("MRN-99817263");
  const std::string death = clinical::to_iso(clinical::Date{clinical::parse_date("2022-04-02", "d").days + shift});
  EXPECT_NE(e.data_csv.find(p1 + ",followup,2,") , std::string::npos);
  EXPECT_NE(e.data_csv.find("death," + death), std::string::npos) << e.data_csv;
  EXPECT_NE(e.data_csv.find(",41.5,"), std::string::npos);
  EXPECT_NE(e.data_csv.find(",231.4,"), std::string::npos);
}

TEST_P(ExportTest, RoundTripImportExportImportIsIdentity) {
  auto s = imported();
  const ExportResult first = export_redcap(*s);
  auto again = open(fresh_location());
  migrate(*again, "test");
  const ImportSummary sum = import_pseudonymised(*again, io::CsvTable::parse(first.data_csv, "deid.csv"),
                                                 DataDictionary::from_table(io::CsvTable::parse(first.dictionary_csv, "deid_dictionary.csv")));
  EXPECT_EQ(sum.patients, 2u);
  const ExportResult second = export_redcap(*again);
  EXPECT_EQ(second.data_csv, first.data_csv);
  for (const auto& t : data_tables())
    if (t.name != "studies") EXPECT_EQ(again->count(t.name), s->count(t.name)) << t.name;
  // Pseudonymised import refuses ids that are not pseudonyms.
  auto third = open(fresh_location());
  migrate(*third, "test");
  EXPECT_THROW(import_pseudonymised(*third, io::CsvTable::parse(testing::two_patient_export().csv(), "raw.csv"), dictionary()), ImportError);
  EXPECT_EQ(third->count("patients"), 0);
}

TEST(ExportBothStores, SameBytesFromSqliteAndPostgres) {
  auto& server = testing::PostgresServer::instance();
  ASSERT_TRUE(server.ok()) << "PostgreSQL test server could not be started: " << server.error();
  std::string out[2];
  const std::string locs[2] = {(testing::scratch_dir() / "same.sqlite").string(), server.new_database()};
  for (int i = 0; i < 2; ++i) {
    auto s = open_store(locs[i], true);
    migrate(*s, "test");
    import_redcap(*s, io::CsvTable::parse(testing::two_patient_export().csv(), "export.csv"), dictionary(), key);
    import_redcap(*s, io::CsvTable::parse(testing::synthetic_export(4).csv(), "syn.csv"), dictionary(), key);
    out[i] = export_redcap(*s).data_csv;
  }
  EXPECT_EQ(out[0], out[1]);
}

}  // namespace
}  // namespace sirtkit::registry
