#include "registry/store/store.h"

#include "core/error.h"
#include "registry/store/postgres_store.h"
#include "registry/store/sqlite_store.h"

namespace sirtkit::registry {

std::size_t ResultSet::column(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  throw Error(ErrorCategory::internal, "query result has no column '" + name + "'");
}

Value Store::scalar(const std::string& sql, const Params& params) {
  const ResultSet r = query(sql, params);
  if (r.rows.empty() || r.rows[0].empty()) return std::nullopt;
  return r.rows[0][0];
}

long long Store::count(const std::string& table) {
  const Value v = scalar("SELECT COUNT(*) FROM " + table);
  return v ? std::stoll(*v) : 0;
}

Transaction::Transaction(Store& store, const std::string& actor) : store_(store) {
  store_.begin();
  try {
    store_.set_actor(actor);
  } catch (...) {
    store_.rollback();
    throw;
  }
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      store_.rollback();
    } catch (...) {  // never throw from a destructor; the connection will be dropped
    }
  }
}

void Transaction::commit() {
  store_.commit();
  done_ = true;
}

bool is_postgres_location(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0 ||
         location.find("dbname=") != std::string::npos;
}

std::unique_ptr<Store> open_store(const std::string& location, bool create) {
  if (location.empty()) fail_input("registry", "location", "(empty)", "an SQLite file path or a postgresql:// URI");
  if (is_postgres_location(location)) return std::make_unique<PostgresStore>(location);
  return std::make_unique<SqliteStore>(location, create);
}

}  // namespace sirtkit::registry
