#include "registry/store/sqlite_store.h"

#include <sqlite3.h>

#include <filesystem>

#include "core/error.h"

namespace sirtkit::registry {
namespace {

// The actor of the current transaction, for the audit triggers. A connection
// that did not register this function (e.g. the sqlite3 shell) cannot write
// to audited tables at all: the trigger fails with "no such function".
void actor_function(sqlite3_context* ctx, int, sqlite3_value**) {
  auto* store = static_cast<SqliteStore*>(sqlite3_user_data(ctx));
  const std::string& a = store->actor();
  if (a.empty()) {
    sqlite3_result_error(ctx, "sirtkit: write outside a Transaction (no actor for the audit trail)", -1);
    return;
  }
  sqlite3_result_text(ctx, a.c_str(), static_cast<int>(a.size()), SQLITE_TRANSIENT);
}

// 1 while sirtkit's purge runs (SqliteStore::set_audit_purge), else 0.
void purging_function(sqlite3_context* ctx, int, sqlite3_value**) {
  auto* store = static_cast<SqliteStore*>(sqlite3_user_data(ctx));
  sqlite3_result_int(ctx, store->audit_purge() ? 1 : 0);
}

// The reason of the current transaction's writes (NULL when none given).
void reason_function(sqlite3_context* ctx, int, sqlite3_value**) {
  auto* store = static_cast<SqliteStore*>(sqlite3_user_data(ctx));
  const std::string& r = store->reason();
  if (r.empty()) sqlite3_result_null(ctx);
  else sqlite3_result_text(ctx, r.c_str(), static_cast<int>(r.size()), SQLITE_TRANSIENT);
}

// A kept statement between two uses: reset (which ends its read of the file,
// releasing the lock) and without its bound values, whatever way the use ended.
struct StatementUse {
  sqlite3_stmt* stmt;
  ~StatementUse() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

// Statements kept at most; past it the cache starts again (a bound on memory
// for callers that build many distinct SQL texts).
constexpr std::size_t kMaxKeptStatements = 128;

}  // namespace

SqliteStore::SqliteStore(const std::string& path, bool create) : path_(path) {
  std::error_code ec;
  if (!create && !std::filesystem::is_regular_file(path, ec))
    fail_io(path, "no such registry file (create it with: sirtkit registry init " + path + ")");
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    fail_io(path, "cannot open SQLite registry: " + msg);
  }
  sqlite3_busy_timeout(db_, 5000);
  sqlite3_create_function(db_, "sirtkit_actor", 0, SQLITE_UTF8, this, actor_function, nullptr, nullptr);
  sqlite3_create_function(db_, "sirtkit_reason", 0, SQLITE_UTF8, this, reason_function, nullptr, nullptr);
  sqlite3_create_function(db_, "sirtkit_purging", 0, SQLITE_UTF8, this, purging_function, nullptr, nullptr);
  // A non-database file fails here, on the first read of its header.
  execute_script("PRAGMA foreign_keys = ON; PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;");
}

SqliteStore::~SqliteStore() {
  for (const auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  if (in_tx_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close_v2(db_);
}

sqlite3_stmt* SqliteStore::prepared(const std::string& sql) {
  if (const auto it = statements_.find(sql); it != statements_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    fail(rc, sql);
  }
  if (!stmt) throw Error(ErrorCategory::internal, path_ + ": no SQL statement in: " + sql.substr(0, 120));
  if (statements_.size() >= kMaxKeptStatements) {
    for (const auto& [text, kept] : statements_) sqlite3_finalize(kept);
    statements_.clear();
  }
  statements_.emplace(sql, stmt);
  return stmt;
}

void SqliteStore::fail(int rc, const std::string& sql) const {
  const std::string msg = std::string(sqlite3_errmsg(db_)) + " (in: " + sql.substr(0, 120) + ")";
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      throw Error(ErrorCategory::bad_input, path_ + ": " + msg);
    case SQLITE_BUSY: case SQLITE_LOCKED: case SQLITE_IOERR: case SQLITE_CORRUPT: case SQLITE_FULL:
    case SQLITE_CANTOPEN: case SQLITE_NOTADB: case SQLITE_READONLY: case SQLITE_PERM:
      fail_io(path_, msg);
    default:
      throw Error(ErrorCategory::internal, path_ + ": " + msg);
  }
}

ResultSet SqliteStore::query(const std::string& sql, const Params& params) {
  const StatementUse s{prepared(sql)};
  int rc = SQLITE_OK;
  if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(s.stmt))
    throw Error(ErrorCategory::internal, "parameter count mismatch in: " + sql);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int idx = static_cast<int>(i) + 1;
    rc = params[i] ? sqlite3_bind_text(s.stmt, idx, params[i]->c_str(), static_cast<int>(params[i]->size()), SQLITE_TRANSIENT)
                   : sqlite3_bind_null(s.stmt, idx);
    if (rc != SQLITE_OK) fail(rc, sql);
  }
  ResultSet r;
  rc = sqlite3_step(s.stmt);
  // The columns after the first step: a kept statement whose tables changed
  // shape is prepared again by that step (sqlite3_prepare_v2's contract).
  const int n = sqlite3_column_count(s.stmt);
  for (int c = 0; c < n; ++c) r.columns.emplace_back(sqlite3_column_name(s.stmt, c));
  for (; rc == SQLITE_ROW; rc = sqlite3_step(s.stmt)) {
    std::vector<Value> row(n);
    for (int c = 0; c < n; ++c) {
      if (sqlite3_column_type(s.stmt, c) == SQLITE_NULL) continue;
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, c));
      row[c] = std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s.stmt, c)));
    }
    r.rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) fail(rc, sql);
  return r;
}

void SqliteStore::execute(const std::string& sql, const Params& params) { (void)query(sql, params); }

void SqliteStore::execute_script(const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    sqlite3_free(err);
    fail(rc, sql);
  }
}

long long SqliteStore::insert_returning_id(const std::string& sql, const Params& params) {
  execute(sql, params);
  return sqlite3_last_insert_rowid(db_);
}

void SqliteStore::begin() {
  // IMMEDIATE takes the write lock now, so a concurrent writer waits (busy
  // timeout) instead of failing half-way through an import.
  execute_script("BEGIN IMMEDIATE");
  in_tx_ = true;
}

void SqliteStore::commit() {
  execute_script("COMMIT");
  in_tx_ = false;
  purging_ = false;
  actor_.clear();
  reason_.clear();
}

void SqliteStore::rollback() {
  in_tx_ = false;
  purging_ = false;
  actor_.clear();
  reason_.clear();
  if (!sqlite3_get_autocommit(db_)) execute_script("ROLLBACK");
}

}  // namespace sirtkit::registry
