#pragma once
// Insert-or-update of one row by its natural key, for imports that update
// records already in the registry (ImportOptions::update_existing). The audit
// triggers (schema.h, migration 2) record every UPDATE with the old and the
// new row, so a correction is traceable to who made it and what it replaced.

#include <string>
#include <utility>
#include <vector>

#include "registry/store/store.h"

namespace sirtkit::registry {

using Columns = std::vector<std::pair<std::string, Value>>;

enum class UpsertResult { inserted, updated, unchanged };

// Finds the row of `table` whose `key` columns equal the given (non-null)
// values. None: inserts key + values. One: sets the columns of `values` whose
// value differs from the stored one; a null in `values` leaves the stored
// value as it is (an update adds and corrects, it never erases). Numbers
// compare by value (SQLite prints 62.0 where PostgreSQL prints 62). More than
// one: bad input naming the table and key (the registry holds duplicates the
// update cannot tell apart). `id` receives the row's id.
UpsertResult upsert_row(Store& store, const std::string& table, const Columns& key, const Columns& values, long long* id = nullptr);

}  // namespace sirtkit::registry
