#pragma once
// Text and JSON of the registry's store jobs (`sirtkit registry init |
// import | export | purge | demo`, `sirtkit serve --demo`) from the values
// pipelines/registry/registry_jobs returns.

#include <cstddef>
#include <string>
#include <vector>

#include "report/command_output.h"

namespace sirtkit::report {

// A problem that refused an import (pipelines fill it from registry::ImportProblem).
struct ImportProblemRow {
  std::string file;
  std::size_t line = 0;  // 1-based line in the file (header = line 1); 0 = whole file
  std::string column, value;
  std::string expected;  // what the value should have been
};

// What an import wrote and dropped (pipelines fill it from registry::ImportSummary).
struct ImportCounts {
  std::size_t patients = 0, lesions = 0, measurements = 0, treatments = 0, labs = 0, adverse_events = 0, followup_events = 0;
  std::size_t patients_updated = 0, rows_updated = 0, rows_unchanged = 0;
  std::string index_date_rule;  // what day 0 is
  std::vector<std::string> dropped_identifiers, dropped_free_text, dropped_other;
};

// What a purge did (pipelines fill it from registry::PurgeResult).
struct PurgeCounts {
  std::size_t rows = 0, audit_entries = 0;
  bool rewritten = false;    // storage rewritten (VACUUM)
  std::string replacement;   // "NULL" or "[purged <id>]"
};

struct RegistryInit {
  std::string location;
  bool sqlite = true;  // else PostgreSQL
  int schema_version_before = 0, schema_version = 0, migrations_applied = 0;
};
CommandOutput registry_init_output(const RegistryInit& r);

// An import (or its dry run) either writes, validates, or is refused with
// every problem (then nothing is written and the exit code is 2).
struct RegistryImport {
  enum class Outcome { imported, validated, refused };
  Outcome outcome = Outcome::imported;
  std::string location, study;                  // imported
  ImportCounts summary;                         // imported
  std::string source;                           // validated: the data file
  std::size_t rows = 0;                         // validated
  std::string message;                          // refused: the error's message
  std::vector<ImportProblemRow> problems;       // refused
};
CommandOutput registry_import_output(const RegistryImport& r);

struct RegistryExport {
  std::string location, data, dictionary;
  std::size_t patients = 0, rows = 0;
  std::string study;  // "" = every study
};
CommandOutput registry_export_output(const RegistryExport& r);

struct RegistryPurge {
  std::string location, table, field, actor;
  PurgeCounts result;
};
CommandOutput registry_purge_output(const RegistryPurge& r);

// The demo cohort's files (registry demo --out DIR).
struct RegistryDemoFiles {
  std::string dir, data, dictionary, key;
  int patients = 0;
};
CommandOutput registry_demo_output(const RegistryDemoFiles& r);

// The demo cohort loaded into a registry (serve --demo), or not, when it already held patients.
struct RegistryDemoLoad {
  std::string location;
  long long patients = 0;     // in the registry after the call
  bool already_held = false;  // it held patients before: nothing imported
};
CommandOutput registry_demo_load_output(const RegistryDemoLoad& r);

}  // namespace sirtkit::report
