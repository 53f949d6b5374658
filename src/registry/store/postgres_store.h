#pragma once
// The multi-site registry store: PostgreSQL through libpq. `?` placeholders are
// rewritten to $n; parameters are sent as text with unspecified types so the
// server converts them to the column types, as SQLite does.

#include <string>

#include "registry/store/store.h"

struct pg_conn;

namespace sirtkit::registry {

class PostgresStore final : public Store {
 public:
  // `conninfo`: a postgresql:// URI or a libpq keyword string.
  explicit PostgresStore(const std::string& conninfo);
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  Dialect dialect() const override { return Dialect::postgres; }
  std::string location() const override { return shown_; }
  void execute(const std::string& sql, const Params& params = {}) override;
  void execute_script(const std::string& sql) override;
  ResultSet query(const std::string& sql, const Params& params = {}) override;
  long long insert_returning_id(const std::string& sql, const Params& params) override;
  void begin() override;
  void commit() override;
  void rollback() override;
  bool in_transaction() const override { return in_tx_; }
  void set_actor(const std::string& actor) override;
  void set_reason(const std::string& reason) override;

 private:
  pg_conn* conn_ = nullptr;
  std::string shown_;
  bool in_tx_ = false;
};

// `?` → `$1`, `$2`, ... outside single-quoted literals.
std::string number_placeholders(const std::string& sql);

}  // namespace sirtkit::registry
