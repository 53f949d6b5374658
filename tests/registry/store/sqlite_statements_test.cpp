// SqliteStore keeps each SQL text's prepared statement (registry/store/sqlite_store.h):
// a kept statement must answer as a fresh one would, and must not hold the
// file's lock, a bound value or a failed state between two uses.

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "registry/store/sqlite_store.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

std::string fresh_file(const std::string& name) {
  const auto path = testing::scratch_dir() / (name + ".sqlite");
  std::filesystem::remove(path);
  return path.string();
}

TEST(SqliteStatements, AKeptQuerySeesLaterWritesAndItsNewParameters) {
  SqliteStore store(fresh_file("kept-writes"), true);
  store.execute_script("CREATE TABLE t (k TEXT, v TEXT)");
  const std::string select = "SELECT v FROM t WHERE k = ? ORDER BY v";
  EXPECT_TRUE(store.query(select, {"a"}).rows.empty());
  store.execute("INSERT INTO t (k, v) VALUES (?, ?)", {"a", "1"});
  store.execute("INSERT INTO t (k, v) VALUES (?, ?)", {"b", "2"});
  ASSERT_EQ(store.query(select, {"a"}).rows.size(), 1u);
  EXPECT_EQ(store.query(select, {"a"}).rows[0][0], "1");
  EXPECT_EQ(store.query(select, {"b"}).rows[0][0], "2");
  // A NULL after a value: the earlier binding is not reused (k = NULL matches nothing).
  EXPECT_TRUE(store.query(select, {std::nullopt}).rows.empty());
  // The same insert text with NULL then a value writes each as given.
  store.execute("INSERT INTO t (k, v) VALUES (?, ?)", {"c", std::nullopt});
  store.execute("INSERT INTO t (k, v) VALUES (?, ?)", {"c", "3"});
  const ResultSet c = store.query("SELECT v FROM t WHERE k = 'c' ORDER BY v");
  ASSERT_EQ(c.rows.size(), 2u);
  EXPECT_FALSE(c.rows[0][0].has_value());
  EXPECT_EQ(c.rows[1][0], "3");
}

TEST(SqliteStatements, AnotherConnectionWritesBetweenTwoUses) {
  const std::string file = fresh_file("kept-lock");
  SqliteStore reader(file, true);
  reader.execute_script("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3);");
  EXPECT_EQ(reader.query("SELECT v FROM t ORDER BY v").rows.size(), 3u);
  // Another connection writes at once: the reader's kept statement holds no shared lock
  // (with one, the writer's commit would wait out its busy timeout and fail).
  SqliteStore writer(file, false);
  writer.execute("INSERT INTO t VALUES (4)");
  EXPECT_EQ(reader.query("SELECT v FROM t ORDER BY v").rows.size(), 4u);
}

TEST(SqliteStatements, AFailedStepLeavesTheStatementUsable) {
  SqliteStore store(fresh_file("kept-failure"), true);
  store.execute_script("CREATE TABLE t (k TEXT PRIMARY KEY)");
  const std::string insert = "INSERT INTO t (k) VALUES (?)";
  store.execute(insert, {"x"});
  try {
    store.execute(insert, {"x"});
    FAIL() << "duplicate key accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("UNIQUE"), std::string::npos) << e.what();
  }
  store.execute(insert, {"y"});
  EXPECT_EQ(store.query("SELECT count(*) FROM t").rows[0][0], "2");
}

TEST(SqliteStatements, ManyDistinctTextsAndSchemaChangesStillAnswer) {
  SqliteStore store(fresh_file("kept-many"), true);
  store.execute_script("CREATE TABLE t (v INTEGER)");
  // More distinct texts than the store keeps: every one still answers its own value.
  for (int i = 0; i < 300; ++i) EXPECT_EQ(store.query("SELECT " + std::to_string(i) + " + 0").rows[0][0], std::to_string(i));
  const std::string select = "SELECT * FROM t";
  EXPECT_EQ(store.query(select).columns.size(), 1u);
  // The table changes shape after its statement was kept: the statement answers the new shape.
  store.execute_script("ALTER TABLE t ADD COLUMN w TEXT; INSERT INTO t VALUES (1, 'one');");
  const ResultSet r = store.query(select);
  ASSERT_EQ(r.columns.size(), 2u);
  EXPECT_EQ(r.rows.at(0)[1], "one");
  EXPECT_THROW(store.query("  "), Error);  // no statement in the text
}

}  // namespace
}  // namespace sirtkit::registry
