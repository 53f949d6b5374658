// GET /api/patients and GET /api/patients/{id}: site-scoped views of the
// registry (pipelines/registry/registry_browse.h), rendered by
// report/registry/registry_browse. A patient outside the user's sites
// answers 404, as one that does not exist.
#include "pipelines/registry/registry_browse.h"
#include "report/registry/registry_browse.h"
#include "server/routes/request_fields.h"
#include "server/auth/site_scope.h"
#include "server/routes/route_table.h"

namespace sirtkit::server {

ApiResponse handle_patients(ApiRequest& rq) {
  const User& u = rq.session->user;
  registry::PatientFilter f;
  f.scope = site_scope(u);
  f.site = rq.param("site");
  f.arm = rq.param("arm");
  f.status = choice_param(rq, "status", {"alive", "deceased"});
  f.search = rq.param("search");
  if (f.search.size() > 64) throw ApiError(400, "bad_field", "at most 64 characters", "search");
  f.limit = int_param(rq, "limit", 100, 1, 1000);
  f.offset = int_param(rq, "offset", 0, 0, 1000000000);
  ApiResponse out;
  out.body = report::patient_list_json(pipelines::browse_patients(*rq.store, f, u.role == Role::statistician));
  return out;
}

ApiResponse handle_patient(ApiRequest& rq) {
  const User& u = rq.session->user;
  const long long id = path_id(rq, "id");
  const auto patient = pipelines::browse_patient(*rq.store, id, site_scope(u), u.role == Role::statistician);
  if (!patient) throw ApiError(404, "not_found", "no such patient in your sites", "id", std::to_string(id));
  ApiResponse out;
  out.body = report::patient_detail_json(*patient);
  return out;
}

}  // namespace sirtkit::server
