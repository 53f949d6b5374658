// Downloads of the de-identified data sets (issue 13 item 3, "data export by
// role"): the REDCap-shaped registry CSV and its dictionary (as `sirtkit
// registry export`), ADaM ADTTE and ADRS (as `sirtkit registry derive`), each
// holding only the patients of the user's sites; a statistician's without any
// calendar date (pipelines/registry/registry_downloads.h). Admins, data managers and
// statisticians (route_table.cpp); any other role 403.
#include "pipelines/registry/registry_downloads.h"
#include "server/routes/request_fields.h"
#include "server/routes/route_table.h"
#include "server/auth/site_scope.h"

namespace sirtkit::server {
namespace {

ApiResponse csv(const pipelines::Download& d) {
  ApiResponse out;
  out.raw_body = d.csv;
  out.content_type = "text/csv; charset=utf-8";
  out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + d.filename + "\"");
  return out;
}

bool without_dates(const ApiRequest& rq) { return rq.session->user.role == Role::statistician; }

}  // namespace

ApiResponse handle_export_registry(ApiRequest& rq) {
  return csv(pipelines::download_registry(*rq.store, site_scope(rq.session->user), without_dates(rq)));
}

ApiResponse handle_export_dictionary(ApiRequest&) { return csv(pipelines::download_dictionary()); }

ApiResponse handle_export_adtte(ApiRequest& rq) {
  std::string endpoint = choice_param(rq, "endpoint", {"os", "pfs", "ttp"});
  if (endpoint.empty()) endpoint = "os";
  const bool months = choice_param(rq, "months", {"0", "1"}) == "1";
  return csv(pipelines::download_adtte(*rq.store, site_scope(rq.session->user), endpoint, months, without_dates(rq)));
}

ApiResponse handle_export_adrs(ApiRequest& rq) {
  std::string criteria = choice_param(rq, "criteria", {"recist", "mrecist"});
  if (criteria.empty()) criteria = "recist";
  return csv(pipelines::download_adrs(*rq.store, site_scope(rq.session->user), criteria, without_dates(rq)));
}

}  // namespace sirtkit::server
