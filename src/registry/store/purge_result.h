#pragma once
// What a purge of a value (registry/store/purge.h) did. Rendered through
// report::PurgeCounts, which the pipeline fills: report/ includes no registry header.

#include <cstddef>
#include <string>

namespace sirtkit::registry {

struct PurgeResult {
  std::size_t rows = 0;           // rows whose value was removed
  std::size_t audit_entries = 0;  // audit_log entries rewritten
  bool rewritten = false;         // the file / tables were rewritten (VACUUM) so no freed page keeps the value
  std::string replacement;        // "NULL" or "[purged <id>]"
};

}  // namespace sirtkit::registry
