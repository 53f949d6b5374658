// GET /api/audit: the registry's audit trail (admin, monitor), filterable.
#include <regex>

#include "pipelines/registry/registry_browse.h"
#include "report/registry/registry_browse.h"
#include "server/routes/request_fields.h"
#include "server/routes/route_table.h"

namespace sirtkit::server {

ApiResponse handle_audit(ApiRequest& rq) {
  registry::AuditFilter f;
  f.actor = rq.param("user");
  f.table = rq.param("table");
  f.from = rq.param("from");
  f.to = rq.param("to");
  static const std::regex table_rx("[a-z_]{1,40}");
  if (!f.table.empty() && !std::regex_match(f.table, table_rx))
    throw ApiError(400, "bad_field", "a table name (lower-case letters and _)", "table");
  // ISO 8601 date or UTC timestamp as audit_log.at stores it (2026-12-05 or 2026-12-05T10:00:00Z).
  static const std::regex when_rx(R"(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?)?)");
  for (const auto& [name, v] : {std::pair<std::string, std::string>{"from", f.from}, {"to", f.to}})
    if (!v.empty() && !std::regex_match(v, when_rx))
      throw ApiError(400, "bad_field", "an ISO 8601 date (YYYY-MM-DD) or UTC time (YYYY-MM-DDThh:mm:ssZ)", name,
                     safe_echo(v));
  if (f.actor.size() > 256) throw ApiError(400, "bad_field", "at most 256 characters", "user");
  f.patient_id = int_param(rq, "patient", 0, 0, 1'000'000'000'000);
  f.limit = int_param(rq, "limit", 200, 1, 1000);
  f.offset = int_param(rq, "offset", 0, 0, 1000000000);
  ApiResponse out;
  out.body = report::audit_page_json(pipelines::browse_audit(*rq.store, f));
  return out;
}

}  // namespace sirtkit::server
