// POST /api/patients/{id}/randomise: eligibility check and allocation of one patient
// (pipelines/trial/randomisation_jobs.h) by an investigator of the patient's site or an admin.
// The answer holds the arm and the allocation's number, time and author; never the seed,
// the scheme's state, the minimisation scores or probabilities (from which the next
// allocation could be guessed). A patient outside the user's sites answers 404.
#include "core/error.h"
#include "pipelines/trial/randomisation_jobs.h"
#include "report/trial/randomisation.h"
#include "server/routes/request_fields.h"
#include "server/routes/route_table.h"
#include "server/auth/site_scope.h"

namespace sirtkit::server {
namespace {

std::map<std::string, std::string> string_map(const ApiRequest& rq, const std::string& name) {
  std::map<std::string, std::string> out;
  if (!rq.body.contains(name)) return out;
  const auto& j = rq.body.at(name);
  if (!j.is_object()) throw ApiError(400, "bad_field", "an object of names to text values", name);
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string() || k.empty() || k.size() > 64 || v.get<std::string>().size() > 64)
      throw ApiError(400, "bad_field", "names and values are text of 1 to 64 characters", name);
    out[k] = v.get<std::string>();
  }
  return out;
}

}  // namespace

ApiResponse handle_randomise(ApiRequest& rq) {
  const User& u = rq.session->user;
  only_fields(rq, {"scheme", "levels", "values"});
  pipelines::RandomiseRequest r;
  r.patient_id = path_id(rq, "id");
  if (!u.all_sites()) {
    std::vector<long long> ids;
    for (const auto& s : u.sites) ids.push_back(s.id);
    r.scope = ids;
  }
  r.scheme = optional_body_string(rq, "scheme").value_or("");
  r.levels = string_map(rq, "levels");
  r.values = string_map(rq, "values");
  r.actor = u.username;
  pipelines::RandomiseOutcome o;
  try {
    o = pipelines::randomise_patient(*rq.store, r);
  } catch (const Error& e) {
    const std::string what = e.what();
    if (e.category() != ErrorCategory::bad_input || what.find(" (in: ") != std::string::npos) throw;  // store refusals: no SQL to the client
    if (what.find("patient = (not shown)") != std::string::npos)
      throw ApiError(404, "not_found", "no such patient in your sites", "id", std::to_string(r.patient_id));
    throw ApiError(400, "bad_input", what);
  }
  // Only admins and investigators reach this handler (route table): both may be told the
  // arm of an existing allocation of a patient of their sites.
  const bool authorised = u.role == Role::admin || u.role == Role::investigator;
  ApiResponse out;
  out.body = report::outcome_json(o, authorised);
  using S = pipelines::RandomiseOutcome::Status;
  if (o.status == S::already_randomised) out.status = 409;
  if (o.status == S::not_eligible || o.status == S::undetermined) out.status = 422;
  if (o.status != S::allocated) {
    out.body["error"] = report::randomise_status_name(o.status);
    out.body["message"] = report::outcome_text(o, authorised);
  }
  return out;
}

// GET /api/patients/{id}/eligibility: the patient's verdict and criteria under the
// rule set of every randomisation scheme of its study, from the registry record
// (what an allocation would check first); any role of the patient's sites.
ApiResponse handle_patient_eligibility(ApiRequest& rq) {
  const long long id = path_id(rq, "id");
  ApiResponse out;
  try {
    out.body = report::eligibility_json(pipelines::patient_eligibility(*rq.store, id, site_scope(rq.session->user)));
  } catch (const Error& e) {
    const std::string what = e.what();
    if (e.category() == ErrorCategory::bad_input && what.find("patient = (not shown)") != std::string::npos)
      throw ApiError(404, "not_found", "no such patient in your sites", "id", std::to_string(id));
    throw;
  }
  return out;
}

}  // namespace sirtkit::server
