#pragma once
// The default registry store: one SQLite file. Rollback-journal mode with
// synchronous=FULL (SQLite's documented defaults for durable atomic commit,
// https://www.sqlite.org/atomiccommit.html), foreign keys on, and the
// application function sirtkit_actor() that the audit triggers call.

#include <string>
#include <unordered_map>

#include "registry/store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sirtkit::registry {

class SqliteStore final : public Store {
 public:
  // Opens (create = true: creates) the file; io error naming the path otherwise.
  SqliteStore(const std::string& path, bool create);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Dialect dialect() const override { return Dialect::sqlite; }
  std::string location() const override { return path_; }
  void execute(const std::string& sql, const Params& params = {}) override;
  void execute_script(const std::string& sql) override;
  ResultSet query(const std::string& sql, const Params& params = {}) override;
  long long insert_returning_id(const std::string& sql, const Params& params) override;
  void begin() override;
  void commit() override;
  void rollback() override;
  bool in_transaction() const override { return in_tx_; }
  void set_actor(const std::string& actor) override { actor_ = actor; }
  const std::string& actor() const { return actor_; }
  // While on (inside one transaction), the audit_log trigger lets a purge
  // blank values (migration 4); off again at commit or rollback.
  void set_audit_purge(bool on) override { purging_ = on && in_tx_; }
  void set_reason(const std::string& reason) override { reason_ = reason; }
  const std::string& reason() const { return reason_; }
  bool audit_purge() const { return purging_; }

 private:
  [[noreturn]] void fail(int rc, const std::string& sql) const;
  // The prepared statement of `sql`, prepared on its first use and kept: the
  // server asks the same few queries on every request (its session and user),
  // and preparing them was a tenth of a what-if's CPU (issue 14).
  sqlite3_stmt* prepared(const std::string& sql);
  std::string path_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  bool in_tx_ = false;
  std::string actor_;
  bool purging_ = false;
  std::string reason_;
};

}  // namespace sirtkit::registry
