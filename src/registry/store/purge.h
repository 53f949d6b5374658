#pragma once
// Purging a value that should never have entered the registry (a name typed
// into a lesion label, an MRN in an adverse-event term): the value is removed
// from its row AND from the audit trail, where updates keep old values, and
// the purge itself is recorded (purge_log: when, who, table, row, column,
// why; never the value). Nothing else of the audit trail can change: the
// audit_log triggers let a purge blank the purged column inside old_row and
// new_row and refuse every other update (schema migration 4).
//
// The value becomes NULL; in a NOT NULL text column (lesion label, adverse
// event term, lab unit, site/arm code) it becomes "[purged <row id>]". Columns
// that hold no free text (ids, study days, controlled codes) cannot be purged.
//
// Afterwards the SQLite file is rewritten (secure_delete during the purge,
// then VACUUM), so no freed page keeps the bytes; on PostgreSQL the table and
// audit_log are rewritten with VACUUM FULL and re-analysed when the role may
// (the owner); WAL segments and backups keep the old value until they are
// recycled (docs/registry.md).

#include <cstddef>
#include <optional>
#include <string>

#include "registry/store/purge_result.h"
#include "registry/store/store.h"

namespace sirtkit::registry {

struct PurgeRequest {
  std::string table;                 // a data table (schema.h)
  std::string column;                // the column whose value is removed
  std::optional<long long> row_id;   // one row by its id ...
  std::string pseudonym;             // ... or every row of this patient in `table`
  std::string reason;                // required; recorded in purge_log (must hold no identifier itself)
  std::string actor = "sirtkit-purge";
};

// Bad input (nothing written) for an unknown table or column, a column that
// cannot be purged, no row selector or both, an unknown row or pseudonym, a
// missing reason or one that looks like an identifier. One transaction.
PurgeResult purge_value(Store& store, const PurgeRequest& request);

}  // namespace sirtkit::registry
