// Schema, migrations, transactions and the audit trail, on both stores.

#include "registry/store/schema.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;

class SchemaTest : public StoreTest {};
SIRTKIT_BOTH_STORES(SchemaTest);

TEST_P(SchemaTest, MigratesEmptyDatabaseToLatestOnceAndStepwise) {
  auto store = open(fresh_location());
  EXPECT_EQ(schema_version(*store), 0);
  EXPECT_EQ(migrate(*store, "test", 1), 1);
  EXPECT_EQ(schema_version(*store), 1);
  EXPECT_THROW(require_current_schema(*store), Error);  // version 1 is not current
  EXPECT_EQ(migrate(*store, "test"), latest_schema_version() - 1);
  EXPECT_EQ(schema_version(*store), latest_schema_version());
  EXPECT_EQ(migrate(*store, "test"), 0);  // idempotent
  EXPECT_NO_THROW(require_current_schema(*store));
  EXPECT_EQ(store->count("schema_migrations"), latest_schema_version());
  for (const auto& t : data_tables()) EXPECT_EQ(store->count(t.name), 0) << t.name;
  EXPECT_EQ(store->count("audit_log"), 0);
}

TEST_P(SchemaTest, RefusesNewerSchemaAndForeignDatabase) {
  auto store = open(fresh_location());
  migrate(*store, "test");
  {
    Transaction tx(*store, "test");
    store->execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (99, 'future', 'x')");
    tx.commit();
  }
  try {
    migrate(*store, "test");
    FAIL() << "newer schema accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("99"), std::string::npos) << e.what();
  }
  auto other = open(fresh_location());
  other->execute_script("CREATE TABLE something_else (x INTEGER)");
  EXPECT_THROW(migrate(*other, "test"), Error);
  EXPECT_EQ(other->count("something_else"), 0);
}

TEST_P(SchemaTest, UncommittedTransactionLeavesNothing) {
  auto store = open(fresh_location());
  migrate(*store, "test");
  {
    Transaction tx(*store, "test");
    store->execute("INSERT INTO studies (code, title) VALUES (?, ?)", {"S1", "one"});
    EXPECT_EQ(store->count("studies"), 1);
  }  // no commit
  EXPECT_EQ(store->count("studies"), 0);
  EXPECT_EQ(store->count("audit_log"), 0);
  // A failed statement (constraint) inside a transaction; the rollback still works.
  {
    Transaction tx(*store, "test");
    store->execute("INSERT INTO studies (code, title) VALUES (?, ?)", {"S1", "one"});
    EXPECT_THROW(store->execute("INSERT INTO studies (code, title) VALUES (?, ?)", {"S1", "dup"}), Error);
  }
  EXPECT_EQ(store->count("studies"), 0);
}

TEST_P(SchemaTest, DatabaseRefusesOutOfRangeValues) {
  auto store = open(fresh_location());
  migrate(*store, "test");
  Transaction tx(*store, "test");
  const long long study = store->insert_returning_id("INSERT INTO studies (code) VALUES (?)", {"S"});
  const long long pat = store->insert_returning_id(
      "INSERT INTO patients (study_id, pseudonym, index_date_shifted) VALUES (?, ?, ?)", {std::to_string(study), "P1", "2020-01-01"});
  const std::string p = std::to_string(pat);
  EXPECT_THROW(store->execute("INSERT INTO adverse_events (patient_id, term, grade, onset_day) VALUES (?, 'x', 7, 0)", {p}), Error);
  tx.commit();
}

TEST_P(SchemaTest, AuditTrailRecordsWhoWhatOldAndNew) {
  auto store = open(fresh_location());
  migrate(*store, "setup");
  long long id = 0;
  {
    Transaction tx(*store, "alice");
    id = store->insert_returning_id("INSERT INTO studies (code, title) VALUES (?, ?)", {"DOSI", "first title"});
    tx.commit();
  }
  {
    Transaction tx(*store, "bob");
    store->execute("UPDATE studies SET title = ? WHERE id = ?", {"second title", std::to_string(id)});
    tx.commit();
  }
  {
    Transaction tx(*store, "carol");
    store->execute("DELETE FROM studies WHERE id = ?", {std::to_string(id)});
    tx.commit();
  }
  const ResultSet r = store->query("SELECT actor, table_name, row_id, action, old_row, new_row, at FROM audit_log ORDER BY id");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(*r.at(0, "actor"), "alice");
  EXPECT_EQ(*r.at(0, "action"), "INSERT");
  EXPECT_EQ(*r.at(0, "table_name"), "studies");
  EXPECT_EQ(*r.at(0, "row_id"), std::to_string(id));
  EXPECT_FALSE(r.at(0, "old_row").has_value());
  EXPECT_NE(r.at(0, "new_row")->find("first title"), std::string::npos);
  EXPECT_EQ(*r.at(1, "actor"), "bob");
  EXPECT_EQ(*r.at(1, "action"), "UPDATE");
  EXPECT_NE(r.at(1, "old_row")->find("first title"), std::string::npos);
  EXPECT_NE(r.at(1, "new_row")->find("second title"), std::string::npos);
  EXPECT_EQ(*r.at(2, "actor"), "carol");
  EXPECT_EQ(*r.at(2, "action"), "DELETE");
  EXPECT_NE(r.at(2, "old_row")->find("second title"), std::string::npos);
  EXPECT_FALSE(r.at(2, "new_row").has_value());
  EXPECT_EQ(r.at(0, "at")->size(), 24u) << *r.at(0, "at");  // 2026-11-23T08:48:09.123Z
  EXPECT_EQ(r.at(0, "at")->back(), 'Z');
}

TEST_P(SchemaTest, AuditLogIsAppendOnly) {
  auto store = open(fresh_location());
  migrate(*store, "setup");
  {
    Transaction tx(*store, "alice");
    store->execute("INSERT INTO studies (code) VALUES ('S')");
    tx.commit();
  }
  {
    Transaction tx(*store, "mallory");
    EXPECT_THROW(store->execute("UPDATE audit_log SET actor = 'nobody'"), Error);
  }
  {
    Transaction tx(*store, "mallory");
    EXPECT_THROW(store->execute("DELETE FROM audit_log"), Error);
  }
  EXPECT_EQ(*store->scalar("SELECT actor FROM audit_log"), "alice");
}

// PostgreSQL only: the data-entry role can write data (audited with its login
// name) but has no right to change or even insert into the audit log.
TEST(PostgresRoles, EntryRoleCannotRewriteAuditLog) {
  auto& server = testing::PostgresServer::instance();
  ASSERT_TRUE(server.ok()) << "PostgreSQL test server could not be started: " << server.error();
  const std::string loc = server.new_database();
  const std::string dbname = loc.substr(loc.find("dbname=") + 7, loc.find(' ', loc.find("dbname=")) - loc.find("dbname=") - 7);
  {
    PostgresStore admin(loc);
    migrate(admin, "setup");
    admin.execute_script(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'clerk') THEN CREATE ROLE clerk LOGIN IN ROLE sirtkit_enter; END IF; "
        "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') THEN CREATE ROLE reader LOGIN IN ROLE sirtkit_read; END IF; END $$;");
    Transaction tx(admin, "setup");
    admin.execute("INSERT INTO studies (code) VALUES ('S')");
    tx.commit();
  }
  PostgresStore clerk(server.conninfo(dbname, "clerk"));
  {
    Transaction tx(clerk, "clerk-app");
    clerk.execute("INSERT INTO patients (study_id, pseudonym, index_date_shifted) SELECT id, 'P1', '2020-01-01' FROM studies");
    tx.commit();
  }
  EXPECT_EQ(*clerk.scalar("SELECT db_user FROM audit_log WHERE table_name = 'patients'"), "clerk");
  EXPECT_EQ(*clerk.scalar("SELECT actor FROM audit_log WHERE table_name = 'patients'"), "clerk-app");
  for (const std::string sql : {"DELETE FROM audit_log", "UPDATE audit_log SET actor = 'x'", "TRUNCATE audit_log",
                                "INSERT INTO audit_log (at, actor, table_name, action) VALUES ('x', 'x', 'x', 'INSERT')",
                                "INSERT INTO studies (code) VALUES ('S2')", "DROP TABLE audit_log"}) {
    Transaction tx(clerk, "clerk-app");
    try {
      clerk.execute(sql);
      ADD_FAILURE() << "clerk could run: " << sql;
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::bad_input) << sql << ": " << e.what();
    }
  }
  PostgresStore reader(server.conninfo(dbname, "reader"));
  EXPECT_EQ(reader.count("patients"), 1);
  Transaction tx(reader, "reader");
  EXPECT_THROW(reader.execute("DELETE FROM patients"), Error);
}

}  // namespace
}  // namespace sirtkit::registry

// SQLite has no roles: the audit triggers call sirtkit_actor(), which only
// sirtkit's connection provides, so another program cannot change audited
// tables behind the audit trail's back.
#include <sqlite3.h>
namespace sirtkit::registry {
namespace {
TEST(SqliteAudit, OtherProgramsCannotWriteAuditedTables) {
  const std::string path = (testing::scratch_dir() / "foreign.sqlite").string();
  {
    SqliteStore s(path, true);
    migrate(s, "setup");
    Transaction tx(s, "alice");
    s.execute("INSERT INTO studies (code) VALUES ('S')");
    tx.commit();
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  for (const char* sql : {"UPDATE studies SET code = 'X'", "DELETE FROM studies", "INSERT INTO studies (code) VALUES ('Y')",
                          "DELETE FROM audit_log"}) {
    char* err = nullptr;
    EXPECT_NE(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << sql;
    sqlite3_free(err);
  }
  sqlite3_close(db);
  SqliteStore s(path, false);
  EXPECT_EQ(*s.scalar("SELECT code FROM studies"), "S");
  EXPECT_EQ(s.count("audit_log"), 1);
}
}  // namespace
}  // namespace sirtkit::registry
