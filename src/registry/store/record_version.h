#pragma once
// The version of a registry record, for optimistic concurrency of edits
// (`sirtkit serve`): the number of audit_log entries that inserted or updated
// the row. The audit triggers write one entry for every INSERT and UPDATE,
// whatever the write path (server, import --update, purge of a value), so the
// version moves on every change of the row and no writer can forget to bump
// it. An edit reads the version inside its transaction and refuses to write
// when it is not the one the editor saw (SQLite: BEGIN IMMEDIATE serialises
// writers; PostgreSQL: SERIALIZABLE turns a race into a retried transaction).

#include <map>
#include <string>
#include <vector>

#include "registry/store/store.h"

namespace sirtkit::registry {

long long record_version(Store& store, const std::string& table, long long row_id);
// The versions of several rows of one table (rows without an entry are absent).
std::map<long long, long long> record_versions(Store& store, const std::string& table, const std::vector<long long>& row_ids);

}  // namespace sirtkit::registry
