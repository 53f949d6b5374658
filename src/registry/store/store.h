#pragma once
// One interface over the two registry stores: SQLite (the default, one file,
// no server) and PostgreSQL via libpq (multi-site). Everything above this
// interface (schema, migrations, import, export) is written once.
//
// SQL is written with `?` placeholders; the PostgreSQL store rewrites them to
// $1, $2, ... . Values travel as text (std::nullopt = SQL NULL) and the
// database converts them to the column type, so both stores see the same data.
//
// Every write happens inside a transaction (DESIGN.md: "every write in a
// transaction"); Transaction rolls back in its destructor unless committed.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sirtkit::registry {

using Value = std::optional<std::string>;
using Params = std::vector<Value>;

struct ResultSet {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;

  std::size_t size() const { return rows.size(); }
  bool empty() const { return rows.empty(); }
  // Index of a named column; internal error if the query did not select it.
  std::size_t column(const std::string& name) const;
  const Value& at(std::size_t row, const std::string& name) const { return rows[row][column(name)]; }
};

enum class Dialect { sqlite, postgres };

class Store {
 public:
  virtual ~Store() = default;
  virtual Dialect dialect() const = 0;
  // Where the data lives, for messages (file path, or the connection without password).
  virtual std::string location() const = 0;

  virtual void execute(const std::string& sql, const Params& params = {}) = 0;
  // Runs several statements separated by ';' without parameters (schema scripts).
  virtual void execute_script(const std::string& sql) = 0;
  virtual ResultSet query(const std::string& sql, const Params& params = {}) = 0;
  // Inserts one row and returns its generated integer key (column `id`).
  virtual long long insert_returning_id(const std::string& sql, const Params& params) = 0;

  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual bool in_transaction() const = 0;

  // Names the person or program responsible for the writes of the current
  // transaction; the audit triggers record it. Must be called inside a transaction.
  virtual void set_actor(const std::string& actor) = 0;
  // SQLite: lets the purge of the current transaction blank a value inside
  // audit_log (registry/store/purge.h). PostgreSQL does this in the SECURITY
  // DEFINER function sirtkit_purge_audit(); there it is a no-op.
  virtual void set_audit_purge(bool) {}
  // Why the writes of the current transaction are made (an edit of saved
  // data gives its reason); the audit triggers record it in audit_log.reason
  // (migration 6). Empty = no reason. Must be called inside a transaction;
  // cleared at commit and rollback.
  virtual void set_reason(const std::string& reason) = 0;

  // Single value of a one-row, one-column query (nullopt when no row).
  Value scalar(const std::string& sql, const Params& params = {});
  long long count(const std::string& table);
};

// RAII transaction: begin() on construction, rollback() unless commit() ran.
class Transaction {
 public:
  Transaction(Store& store, const std::string& actor);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Store& store_;
  bool done_ = false;
};

// Opens a store from a location: "postgresql://..." / "postgres://..." or a
// libpq keyword string containing "dbname=" → PostgreSQL; anything else is the
// path of an SQLite file. `create` allows making a new SQLite file.
std::unique_ptr<Store> open_store(const std::string& location, bool create);
bool is_postgres_location(const std::string& location);

}  // namespace sirtkit::registry
