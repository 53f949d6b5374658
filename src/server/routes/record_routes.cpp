// Data entry (issue 13 item 3): GET /api/forms, POST /api/patients,
// PATCH /api/patients/{id}, PUT /api/patients/{id}/baseline, and POST/PATCH
// of treatments, lesion measurements, labs, adverse events and follow-up
// events. The work is pipelines/registry/registry_entry.h, the rendering
// report/registry/registry_entry_json.h; here only the mapping of its refusals
// to HTTP: a bad or missing field 400 naming it, a patient or record outside the
// user's sites 404, a stale version 409 with both versions.
#include <sodium.h>

#include "pipelines/registry/registry_entry.h"
#include "report/registry/registry_entry_json.h"
#include "server/routes/request_fields.h"
#include "server/auth/site_scope.h"
#include "server/routes/route_table.h"

namespace sirtkit::server {
namespace {

pipelines::EntryUser entry_user(const ApiRequest& rq) { return {rq.session->user.username, site_scope(rq.session->user)}; }

template <typename F>
ApiResponse answer(F&& f, int status_ok = 200) {
  ApiResponse out;
  try {
    out.body = report::saved_record_json(f());
    out.status = status_ok;
  } catch (const pipelines::EntryRefused& e) {
    const auto& r = e.refusal();
    using K = pipelines::EntryRefusal::Kind;
    out.status = report::is_field_refusal(r.kind) ? 400 : r.kind == K::not_found ? 404 : 409;
    out.body = report::entry_refusal_json(r);
  }
  return out;
}

std::uint32_t uniform(std::uint32_t n) { return randombytes_uniform(n); }

}  // namespace

ApiResponse handle_forms(ApiRequest& rq) {
  ApiResponse out;
  out.body = report::entry_forms_json(pipelines::entry_forms(*rq.store, entry_user(rq)));
  return out;
}

ApiResponse handle_create_patient(ApiRequest& rq) {
  return answer([&] { return pipelines::create_patient(*rq.store, entry_user(rq), rq.body, uniform); }, 201);
}

ApiResponse handle_edit_patient(ApiRequest& rq) {
  const long long id = path_id(rq, "id");
  return answer([&] { return pipelines::edit_record(*rq.store, entry_user(rq), "patient", id, id, rq.body); });
}

ApiResponse handle_put_baseline(ApiRequest& rq) {
  const long long id = path_id(rq, "id");
  return answer([&] { return pipelines::put_baseline(*rq.store, entry_user(rq), id, rq.body); });
}

Handler record_add_handler(const std::string& form) {
  return [form](ApiRequest& rq) {
    const long long id = path_id(rq, "id");
    return answer([&] { return pipelines::add_record(*rq.store, entry_user(rq), form, id, rq.body); }, 201);
  };
}

Handler record_edit_handler(const std::string& form) {
  return [form](ApiRequest& rq) {
    const long long id = path_id(rq, "id");
    const long long record = path_id(rq, "record");
    return answer([&] { return pipelines::edit_record(*rq.store, entry_user(rq), form, id, record, rq.body); });
  };
}

}  // namespace sirtkit::server
