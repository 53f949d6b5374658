// Purging a value from the registry and its audit trail (registry/store/purge.h), on
// both stores: afterwards no table (audit trail included) and, for SQLite, no
// byte of the database file holds the value; the purge itself is recorded
// without it; the audit trail stays append-only for everything else.

#include "registry/store/purge.h"

#include <gtest/gtest.h>

#include "registry/redcap/redcap_import.h"
#include "registry/store/schema.h"
#include "../redcap/redcap_fixture.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;
using testing::dump;

const auto key = PseudonymKey::from_bytes("registry-test-key-0123456789abcdef");

// A value the import checks cannot recognise (an unusual word), entered by
// mistake into a lesion label and an adverse-event term, then corrected
// by an update: the audit trail keeps it in old_row.
const std::string planted = "Xylophagous";

DataDictionary dictionary() { return DataDictionary::from_table(io::CsvTable::parse(testing::redcap_dictionary_csv(), "dict.csv")); }

class PurgeTest : public StoreTest {
 protected:
  std::string loc;
  std::unique_ptr<Store> s;
  std::string pseudonym = key.pseudonym("MRN-99817263");
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    loc = fresh_location();
    s = open(loc);
    migrate(*s, "test");
    testing::RedcapExport e;
    e.row("MRN-99817263", "", {{"site", "1"}, {"index_date", "2021-03-01"}, {"sex", "1"}})
        .row("MRN-99817263", "lesion_measurements", {{"lesion_label", planted}, {"lesion_organ", "liver"}, {"lesion_kind", "1"},
                                                     {"scan_date", "2021-02-20"}, {"longest_diameter_mm", "62"}})
        .row("MRN-99817263", "adverse_events", {{"ae_term", planted + " rash"}, {"ae_grade", "2"}, {"ae_onset_date", "2021-03-10"}});
    import_redcap(*s, io::CsvTable::parse(e.csv(), "export.csv"), dictionary(), key, {"DOSI", "alice", {}});
    // An update of the adverse event's grade: the audit trail now holds the
    // term in the INSERT's new_row and in the UPDATE's old_row and new_row.
    testing::RedcapExport u;
    u.row("MRN-99817263", "adverse_events", {{"ae_term", planted + " rash"}, {"ae_grade", "3"}, {"ae_onset_date", "2021-03-10"}});
    ImportOptions o{"DOSI", "bob", true};
    import_redcap(*s, io::CsvTable::parse(u.csv(), "update.csv"), dictionary(), key, o);
    ASSERT_NE(dump(*s).find(planted), std::string::npos);
  }
  std::string row_id(const std::string& sql) { return *s->scalar(sql, {pseudonym}); }
};
SIRTKIT_BOTH_STORES(PurgeTest);

TEST_P(PurgeTest, RemovesTheValueFromRowsAuditTrailAndFile) {
  const std::string ae = row_id("SELECT a.id FROM adverse_events a JOIN patients p ON p.id = a.patient_id WHERE p.pseudonym = ?");
  const std::string lesion = row_id("SELECT l.id FROM lesions l JOIN patients p ON p.id = l.patient_id WHERE p.pseudonym = ?");
  const long long audit_before = s->count("audit_log");
  EXPECT_EQ(*s->scalar("SELECT COUNT(*) FROM audit_log WHERE table_name = 'adverse_events' AND row_id = ?", {ae}), "2");  // INSERT, UPDATE

  PurgeRequest by_record{"adverse_events", "term", std::nullopt, pseudonym, "name of a relative typed as term", "carol"};
  const PurgeResult r1 = purge_value(*s, by_record);
  EXPECT_EQ(r1.rows, 1u);
  EXPECT_EQ(r1.audit_entries, 3u);  // INSERT, UPDATE, and the purge's own UPDATE
  EXPECT_EQ(r1.replacement, "[purged <row id>]");  // term is NOT NULL
  PurgeRequest by_row{"lesions", "label", std::stoll(lesion), "", "patient's name entered as lesion label", "carol"};
  const PurgeResult r2 = purge_value(*s, by_row);
  EXPECT_EQ(r2.rows, 1u);
  EXPECT_EQ(r2.audit_entries, 2u);  // INSERT and the purge's UPDATE
  if (GetParam() == Dialect::sqlite) EXPECT_TRUE(r2.rewritten);

  // The rows hold placeholders; every other value stays.
  EXPECT_EQ(*s->scalar("SELECT term FROM adverse_events WHERE id = ?", {ae}), "[purged " + ae + "]");
  EXPECT_EQ(*s->scalar("SELECT grade FROM adverse_events WHERE id = ?", {ae}), "3");
  EXPECT_EQ(*s->scalar("SELECT label FROM lesions WHERE id = ?", {lesion}), "[purged " + lesion + "]");
  EXPECT_EQ(*s->scalar("SELECT organ FROM lesions WHERE id = ?", {lesion}), "liver");
  // The audit trail: one more entry per purge (its UPDATE), by carol, the
  // purged column blanked in every entry of the row.
  EXPECT_EQ(s->count("audit_log"), audit_before + 2);
  EXPECT_EQ(*s->scalar("SELECT COUNT(*) FROM audit_log WHERE table_name = 'adverse_events' AND row_id = ? AND actor = 'carol'", {ae}), "1");
  EXPECT_EQ(*s->scalar("SELECT COUNT(*) FROM audit_log WHERE table_name = 'adverse_events' AND row_id = ? AND old_row LIKE '%[purged]%'", {ae}), "2");
  // purge_log: who, when, why, where; not the value.
  const ResultSet log = s->query("SELECT actor, at, table_name, row_id, column_name, reason, audit_entries FROM purge_log ORDER BY id");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(*log.at(0, "actor"), "carol");
  EXPECT_EQ(*log.at(0, "table_name"), "adverse_events");
  EXPECT_EQ(*log.at(0, "row_id"), ae);
  EXPECT_EQ(*log.at(0, "column_name"), "term");
  EXPECT_EQ(*log.at(0, "reason"), "name of a relative typed as term");
  EXPECT_EQ(*log.at(0, "audit_entries"), "3");
  EXPECT_EQ(log.at(0, "at")->size(), 24u);  // 2026-12-04T23:01:02.345Z
  EXPECT_EQ(*log.at(1, "column_name"), "label");

  // No trace in any table, nor in any byte of the SQLite file.
  const std::string all = dump(*s) + [&] {
    std::string p;
    for (const auto& row : s->query("SELECT * FROM purge_log").rows)
      for (const auto& v : row) p += v.value_or("NULL") + "|";
    return p;
  }();
  EXPECT_EQ(all.find(planted), std::string::npos);
  EXPECT_EQ(all.find("xylophagous"), std::string::npos);
  if (GetParam() == Dialect::sqlite) {
    s.reset();
    const std::string bytes = testing::slurp(loc);
    ASSERT_GT(bytes.size(), 4096u);
    EXPECT_EQ(bytes.find(planted), std::string::npos);
    EXPECT_EQ(bytes.find("Xylophag"), std::string::npos);
  }
}

// Without the purge, SQLite's freed pages would still hold the bytes: the
// byte scan above can fail (it is not vacuous).
TEST_P(PurgeTest, PlainUpdateLeavesTheBytesInTheFile) {
  if (GetParam() != Dialect::sqlite) GTEST_SKIP() << "a byte scan of the file is SQLite's";
  const std::string ae = row_id("SELECT a.id FROM adverse_events a JOIN patients p ON p.id = a.patient_id WHERE p.pseudonym = ?");
  {
    Transaction tx(*s, "test");
    s->execute("UPDATE adverse_events SET term = 'Rash' WHERE id = ?", {ae});
    tx.commit();
  }
  s.reset();
  EXPECT_NE(testing::slurp(loc).find(planted), std::string::npos);
}

TEST_P(PurgeTest, AuditTrailStaysAppendOnlyOutsideAPurge) {
  // Blanking a value outside the purge, or changing who/when, is refused.
  {
    Transaction tx(*s, "mallory");
    EXPECT_THROW(s->execute("UPDATE audit_log SET old_row = NULL WHERE table_name = 'adverse_events'"), Error);
  }
  {
    Transaction tx(*s, "mallory");
    s->set_audit_purge(true);  // SQLite: even in purge mode only old_row/new_row may change
    EXPECT_THROW(s->execute("UPDATE audit_log SET actor = 'nobody' WHERE table_name = 'adverse_events'"), Error);
  }
  EXPECT_NE(dump(*s).find(planted), std::string::npos);
  // purge_log cannot be changed either.
  purge_value(*s, {"lesions", "organ", std::nullopt, pseudonym, "test", "carol"});
  ASSERT_EQ(s->count("purge_log"), 1);
  {
    Transaction tx(*s, "mallory");
    EXPECT_THROW(s->execute("DELETE FROM purge_log"), Error);
  }
  {
    Transaction tx(*s, "mallory");
    EXPECT_THROW(s->execute("UPDATE purge_log SET reason = 'other'"), Error);
  }
  EXPECT_EQ(*s->scalar("SELECT reason FROM purge_log"), "test");
}

TEST_P(PurgeTest, RefusesBadRequestsWithoutWritingOrEchoing) {
  const std::string before = dump(*s);
  auto refused = [&](PurgeRequest rq, const std::string& expected) {
    try {
      purge_value(*s, rq);
      ADD_FAILURE() << "accepted: " << expected;
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::bad_input);
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("MRN-99817263"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find("zq@example"), std::string::npos) << e.what();
    }
  };
  refused({"nope", "term", 1, "", "x", "t"}, "--table");
  refused({"adverse_events", "nope", 1, "", "x", "t"}, "--field");
  refused({"adverse_events", "patient_id", 1, "", "x", "t"}, "keys");
  refused({"adverse_events", "grade", 1, "", "x", "t"}, "holds no free text");
  refused({"adverse_events", "term", std::nullopt, "", "x", "t"}, "one of them");
  refused({"adverse_events", "term", 999999, "", "x", "t"}, "--row");
  refused({"adverse_events", "term", std::nullopt, "MRN-99817263", "x", "t"}, "pseudonym of a patient");
  refused({"adverse_events", "term", std::nullopt, pseudonym, "  ", "t"}, "--reason");
  refused({"adverse_events", "term", std::nullopt, pseudonym, "asked by zq@example.org", "t"}, "an e-mail address");
  refused({"sites", "code", std::nullopt, pseudonym, "x", "t"}, "--row for sites");
  EXPECT_EQ(dump(*s), before);
}

// An optional column becomes NULL.
TEST_P(PurgeTest, OptionalColumnBecomesNull) {
  const std::string lesion = row_id("SELECT l.id FROM lesions l JOIN patients p ON p.id = l.patient_id WHERE p.pseudonym = ?");
  const PurgeResult r = purge_value(*s, {"lesions", "organ", std::nullopt, pseudonym, "organ held a name", "carol"});
  EXPECT_EQ(r.replacement, "NULL");
  EXPECT_FALSE(s->scalar("SELECT organ FROM lesions WHERE id = ?", {lesion}));
  EXPECT_EQ(s->query("SELECT id FROM audit_log WHERE table_name = 'lesions' AND (old_row LIKE '%liver%' OR new_row LIKE '%liver%')").size(), 0u);
}

}  // namespace
}  // namespace sirtkit::registry
