#pragma once
// The registry schema and its versioned migrations.
//
// Tables (docs/registry.md has the full column list):
//   studies, sites, arms                    — who and where
//   patients                                — one row per pseudonym; no direct identifier
//   baseline                                — one row per patient
//   lesions, lesion_measurements            — per lesion, per imaging time point
//   treatments                              — SIRT (plan + verification dosimetry), TACE, systemic
//   labs, adverse_events, followup_events   — dated by study day
//   audit_log                               — append-only trail of every insert/update/delete
//
// Dates are stored as study days relative to the patient's index date (day 0)
// plus the patient's shifted index date, never as real calendar dates.

#include <string>
#include <vector>

#include "registry/store/store.h"

namespace sirtkit::registry {

enum class ColumnType { integer, real, text };

struct ColumnDef {
  std::string name;
  ColumnType type;
  std::string constraint;  // extra SQL after the type (NOT NULL, CHECK ...), same for both dialects
};

struct TableDef {
  std::string name;
  std::vector<ColumnDef> columns;     // without the `id` primary key
  std::vector<std::string> table_constraints;  // UNIQUE / FOREIGN KEY clauses
};

// The audited data tables in dependency order (parents first).
const std::vector<TableDef>& data_tables();
const TableDef& table_def(const std::string& name);

struct Migration {
  int version;
  std::string description;
};
const std::vector<Migration>& migrations();
int latest_schema_version();

// 0 for an empty database; the highest applied migration otherwise.
int schema_version(Store& store);

// Applies every missing migration up to `target` (default: latest), each in its
// own transaction. A database newer than this program is refused (bad_input).
// Returns the number of migrations applied.
int migrate(Store& store, const std::string& actor, int target = -1);

// Refuses a database that is not a sirtkit registry at the latest schema version.
void require_current_schema(Store& store);

}  // namespace sirtkit::registry
