// The planning workspace (issue 14): studies of the data root (--data), their
// volumes as NIfTI, the plan at the planner's optimum, and the what-if at one
// activity per injection (pipelines/planning/plan_workspace.h). The numbers are those
// of `sirtkit plan --json [--activity ...]`; this file only checks the request.
// Sign-off: a physicist approves the plan at chosen activities with the
// password re-entered (pipelines/planning/plan_signoff.h); approved versions and their
// documents are read back site-scoped by the registry patient they treat.
#if SIRTKIT_IMAGING
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <fmt/format.h>

#include "core/error.h"
#include "pipelines/planning/plan_signoff.h"
#include "pipelines/planning/plan_verification.h"
#include "pipelines/planning/plan_workspace.h"
#include "pipelines/registry/registry_entry.h"
#include "registry/store/plan_approval_store.h"
#include "report/planning/plan_approval.h"
#include "report/planning/plan_report.h"
#include "report/planning/plan_verification.h"
#include "server/http_server.h"
#include "server/routes/request_fields.h"
#include "server/routes/route_table.h"
#include "server/auth/site_scope.h"

namespace sirtkit::server {
namespace {

pipelines::PlanWorkspace& workspace(ApiRequest& rq) {
  pipelines::PlanWorkspace* w = rq.state->plans();
  if (!w) throw ApiError(404, "no_data_root", "this server has no planning data root (start it with --data DIR)");
  return *w;
}

bool is_study_id(const std::string& id) {
  return id.size() == 16 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Messages of the planner name the plan file by its path: shown from the data root down.
std::string without_root(std::string message, const std::string& root) {
  const std::string prefix = root + "/";
  for (std::size_t at; (at = message.find(prefix)) != std::string::npos;) message.erase(at, prefix.size());
  return message;
}

std::shared_ptr<const pipelines::PlanStudy> study_of(ApiRequest& rq) {
  const std::string id = rq.path_params.at("id");
  if (!is_study_id(id)) throw ApiError(404, "not_found", "no such planning study (ids are 16 hex digits, from GET /api/plans)", "id");
  pipelines::PlanWorkspace& w = workspace(rq);
  // Another site's study is answered as no study, before anything of it is read.
  const auto info = w.find(id);
  if (!info || !sees_site(rq.session->user, info->site)) throw ApiError(404, "not_found", "no such planning study in your sites", "id", id);
  std::shared_ptr<const pipelines::PlanStudy> s;
  try {
    s = w.open(*info);
  } catch (const Error& e) {
    // The study cannot be planned as it stands (bad plan file, missing image,
    // a path outside the data root, infeasible BSA): the physicist can fix it.
    if (e.category() == ErrorCategory::internal) throw;
    throw ApiError(422, "plan_refused", without_root(e.what(), w.root().string()), "plan", id);
  }
  return s;
}

nlohmann::json activities_json(const dosimetry::Evaluation& e) { return e.administered_gbq; }

// One activity per injection (GBq) from the body's activity_gbq, within the planner's range.
std::vector<double> activities_of(const ApiRequest& rq, const pipelines::PlanStudy& s) {
  const std::size_t n = s.spec.injections.size();
  const nlohmann::json& a = rq.body.contains("activity_gbq") ? rq.body["activity_gbq"] : nlohmann::json();
  if (!a.is_array() || a.size() != n)
    throw ApiError(400, "bad_field", fmt::format("an array of {} activities in GBq, one per injection in plan order", n), "activity_gbq",
                   a.is_array() ? std::optional<std::string>(fmt::format("{} values", a.size())) : std::nullopt);
  const auto& range = pipelines::kActivityRangeGbq;
  std::vector<double> gbq;
  for (std::size_t k = 0; k < n; ++k) {
    const std::string field = fmt::format("activity_gbq[{}]", k);
    // JSON has no NaN: a browser's JSON.stringify(NaN) sends null.
    if (!a[k].is_number()) throw ApiError(400, "bad_field", "a number of GBq", field);
    const double x = a[k].get<double>();
    if (!std::isfinite(x) || x < range.lo || x > range.hi)
      throw ApiError(400, "bad_field", fmt::format("an {} from {} to {} GBq", range.what, range.lo, range.hi), field,
                     std::isfinite(x) ? std::optional<std::string>(fmt::format("{}", x)) : std::nullopt);
    gbq.push_back(x);
  }
  return gbq;
}

// An integer body field in [lo, hi] (JSON number without fraction).
long long body_integer(const ApiRequest& rq, const std::string& name, long long lo, long long hi) {
  if (!rq.body.contains(name)) throw ApiError(400, "missing_field", fmt::format("an integer from {} to {}", lo, hi), name);
  const nlohmann::json& v = rq.body[name];
  if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
    throw ApiError(400, "bad_field", fmt::format("an integer from {} to {}", lo, hi), name,
                   v.is_number() ? std::optional<std::string>(v.dump()) : std::nullopt);
  return v.get<long long>();
}

}  // namespace

ApiResponse handle_plans(ApiRequest& rq) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : workspace(rq).list())
    if (sees_site(rq.session->user, s.site))
      list.push_back({{"id", s.id}, {"folder", s.folder}, {"plan_file", s.plan_file}, {"site", s.site.empty() ? nlohmann::json() : nlohmann::json(s.site)}});
  ApiResponse out;
  out.body = {{"studies", list}};
  return out;
}

ApiResponse handle_plan(ApiRequest& rq) {
  const auto s = study_of(rq);
  nlohmann::json legend = nlohmann::json::array();
  for (const auto& l : s->label_legend) legend.push_back({{"value", l.value}, {"name", l.name}, {"role", l.role}});
  nlohmann::json volumes = nlohmann::json::array();
  for (const auto& name : s->volume_names())
    volumes.push_back({{"name", name}, {"url", "/api/plans/" + s->info.id + "/volumes/" + name}});
  const Role role = rq.session->user.role;
  const report::PlanContext context = s->plan_context(s->optimum, s->prepare_s);
  const report::PlanView plan{context, s->prepared.model, s->optimum.result, s->optimum.vials, nullptr};
  ApiResponse out;
  out.body = {{"study", {{"id", s->info.id}, {"folder", s->info.folder}, {"plan_file", s->info.plan_file}}},
              {"plan", report::plan_json_value(plan)},
              {"optimum_gbq", activities_json(s->optimum.result.evaluation)},
              {"activity_range_gbq", {pipelines::kActivityRangeGbq.lo, pipelines::kActivityRangeGbq.hi}},
              {"label_map", legend},
              {"isodose_levels_gy", s->isodose_levels_gy},
              {"volumes", volumes},
              {"may_plan", role == Role::admin || role == Role::physicist},
              {"may_approve", role == Role::physicist},
              {"post_images", s->post_images}};
  return out;
}

ApiResponse handle_plan_volume(ApiRequest& rq) {
  const auto s = study_of(rq);
  const std::string name = rq.path_params.at("volume");
  const auto names = s->volume_names();
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw ApiError(404, "not_found", "no such volume: one of ct, spect, dose, labels, dose_per_gbq_K", "volume");
  std::string bytes;
  try {
    bytes = s->volume_nifti(name);
  } catch (const Error& e) {
    if (e.category() == ErrorCategory::internal) throw;
    throw ApiError(422, "plan_refused", without_root(e.what(), workspace(rq).root().string()), "volume", name);
  }
  ApiResponse out;
  out.raw_body = std::move(bytes);
  // A NIfTI-1 file sent gzip-compressed (its .nii.gz bytes): a browser inflates
  // it off the page's thread (issue 14: the plan page's first overlay); a
  // client that does not decode content codings, or refuses gzip, gets the .nii.gz file.
  out.content_type = "application/octet-stream";
  if (rq.accepts_gzip) out.headers.emplace_back("Content-Encoding", "gzip");
  return out;
}

// "answer": "changes" (the default, what the page asks): what the activities
// change, without the VOIs' radiobiology (sirtkit.what-if/1, a few kB);
// "plan": the whole document of `sirtkit plan --json --activity` (70-90 kB,
// with the voxel radiobiology that costs about half of the computation).
ApiResponse handle_plan_what_if(ApiRequest& rq) {
  only_fields(rq, {"activity_gbq", "answer"});
  const std::string answer = optional_body_string(rq, "answer").value_or("changes");
  if (answer != "changes" && answer != "plan")
    throw ApiError(400, "bad_field", "changes (what the activities change: sirtkit.what-if/1) or plan (the whole sirtkit.plan/1 document)",
                   "answer", safe_echo(answer));
  // The session was checked: the registry connection goes back to the pool for the computation.
  if (rq.release_store) rq.release_store();
  const auto s = study_of(rq);
  const std::vector<double> gbq = activities_of(rq, *s);
  // One what-if per core at a time, the others in arrival order (server/compute_gate.h).
  const ComputeGate::Pass turn(rq.state->what_if_gate());
  ApiResponse out;
  if (answer == "changes") {
    const pipelines::PlanDecision d = s->what_if(gbq, false);
    out.body = {{"what_if", report::what_if_json_value(report::PlanView{s->prepared.context, s->prepared.model, d.result, d.vials, nullptr})}};
    return out;
  }
  const auto start = std::chrono::steady_clock::now();
  const pipelines::PlanDecision d = s->what_if(gbq);
  const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const report::PlanContext context = s->plan_context(d, elapsed_s);
  out.body = {{"plan", report::plan_json_value(report::PlanView{context, s->prepared.model, d.result, d.vials, nullptr})}};
  return out;
}

ApiResponse handle_plan_verification(ApiRequest& rq) {
  only_fields(rq, {"delivered", "modality", "hours_after_injection", "register", "activity_gbq"});
  const auto s = study_of(rq);
  pipelines::VerificationRequest r;
  r.delivered = body_string(rq, "delivered");
  const std::string modality = optional_body_string(rq, "modality").value_or("spect");
  if (modality != "spect" && modality != "pet") throw ApiError(400, "bad_field", "spect or pet", "modality", safe_echo(modality));
  r.modality = modality == "pet" ? pipelines::PostModality::pet : pipelines::PostModality::spect;
  if (rq.body.contains("hours_after_injection") && !rq.body["hours_after_injection"].is_null()) {
    const auto& h = rq.body["hours_after_injection"];
    // Y-90 PET is read within about two weeks (5 half-lives of 64.1 h is 320 h).
    if (!h.is_number() || !(h.get<double>() >= 0) || h.get<double>() > 1000)
      throw ApiError(400, "bad_field", "hours from injection to the scan, 0 to 1000", "hours_after_injection");
    r.hours_after_injection = h.get<double>();
  }
  if (rq.body.contains("register")) {
    if (!rq.body["register"].is_boolean()) throw ApiError(400, "bad_field", "true or false", "register");
    r.register_images = rq.body["register"].get<bool>();
  }
  if (rq.body.contains("activity_gbq") && !rq.body["activity_gbq"].is_null()) r.activity_gbq = activities_of(rq, *s);
  pipelines::PlanWorkspace& w = workspace(rq);
  std::shared_ptr<const pipelines::StudyVerification> v;
  try {
    v = pipelines::verify_study(*s, w.root(), r);
  } catch (const Error& e) {
    if (e.category() == ErrorCategory::internal) throw;
    throw ApiError(422, "verify_refused", without_root(e.what(), w.root().string()), "delivered");
  }
  w.keep_verification(v);
  nlohmann::json volumes = nlohmann::json::array();
  for (const auto& name : pipelines::verification_volume_names())
    volumes.push_back({{"name", name}, {"url", fmt::format("/api/plans/{}/verification/{}/volumes/{}", s->info.id, v->id, name)}});
  ApiResponse out;
  out.body = {{"id", v->id}, {"verification", report::verification_json_value(v->view)}, {"volumes", volumes}};
  return out;
}

ApiResponse handle_plan_verification_volume(ApiRequest& rq) {
  const auto s = study_of(rq);
  const std::string id = rq.path_params.at("verification");
  const auto v = workspace(rq).verification(id);
  if (!v || v->study_id != s->info.id) throw ApiError(404, "not_found", "no such verification of this study (run POST .../verification again)", "verification");
  const auto it = v->volumes.find(rq.path_params.at("volume"));
  if (it == v->volumes.end())
    throw ApiError(404, "not_found", "no such volume: planned_dose, delivered_dose, dose_difference or registration_check", "volume");
  ApiResponse out;
  out.raw_body = it->second;
  out.content_type = "application/octet-stream";  // gzip-compressed NIfTI-1
  return out;
}

ApiResponse handle_plan_approve(ApiRequest& rq) {
  only_fields(rq, {"password", "activity_gbq", "patient_id", "treatment_day"});
  const std::string password = body_string(rq, "password");
  if (password.size() > 1024) throw ApiError(400, "bad_field", "too long", "password");
  const auto s = study_of(rq);
  const std::vector<double> gbq = activities_of(rq, *s);
  pipelines::PlanApprovalRequest request;
  request.patient_id = body_integer(rq, "patient_id", 1, std::numeric_limits<std::int32_t>::max());
  // A study day within a century either side of the index date.
  request.treatment_day = body_integer(rq, "treatment_day", -36525, 36525);
  const User& user = rq.session->user;
  request.signed_by = user.username;
  request.role = role_name(user.role);
  request.scope = site_scope(user);
  const LoginOutcome pass = rq.state->auth().confirm_password(*rq.store, user, password, rq.address);
  if (pass == LoginOutcome::locked)
    throw ApiError(429, "locked", "too many wrong passwords: the account is locked for a while (as after failed logins); nothing was signed", "password");
  if (pass != LoginOutcome::ok) throw ApiError(403, "wrong_password", "the password is not the signed-in user's; nothing was signed", "password");
  const pipelines::PlanDecision d = s->what_if(gbq);
  if (!dosimetry::plan_status_deliverable(d.result.status))
    throw ApiError(422, "plan_not_deliverable",
                   std::string("only a deliverable plan can be approved; at these activities the plan is ") +
                       dosimetry::plan_status_name(d.result.status) + " (see its findings)",
                   "activity_gbq");
  ApiResponse out;
  try {
    out.body = {{"approval", report::stored_plan_approval_json(pipelines::approval_record(pipelines::approve_plan(*rq.store, *s, d, request)))}};
    out.status = 201;
  } catch (const pipelines::EntryRefused& e) {
    const auto& r = e.refusal();
    throw ApiError(r.kind == pipelines::EntryRefusal::Kind::not_found ? 404 : 409, pipelines::refusal_code(r.kind), r.message, r.field, r.value);
  }
  return out;
}

ApiResponse handle_plan_approvals(ApiRequest& rq) {
  const auto s = study_of(rq);
  const auto scope = site_scope(rq.session->user);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& a : registry::plan_approvals(*rq.store, s->info.id))
    if (registry::patient_record(*rq.store, a.patient_id, scope)) list.push_back(report::stored_plan_approval_json(pipelines::approval_record(a)));
  ApiResponse out;
  out.body = {{"approvals", list}};
  return out;
}

ApiResponse handle_plan_approval_document(ApiRequest& rq) {
  const auto s = study_of(rq);
  const long long version = path_id(rq, "version");
  const std::string name = rq.path_params.at("document");
  const auto a = registry::plan_approval(*rq.store, s->info.id, version);
  if (!a || !registry::patient_record(*rq.store, a->patient_id, site_scope(rq.session->user)))
    throw ApiError(404, "not_found", "no such approved version of this study in your sites", "version");
  const registry::PlanApprovalDocuments docs = registry::plan_approval_documents(*rq.store, a->id);
  ApiResponse out;
  const std::string file = fmt::format("plan-{}-v{}", s->info.id, version);
  if (name == "plan.json") {
    out.raw_body = docs.plan_json;
    out.content_type = "application/json";
  } else if (name == "report.html") {
    out.raw_body = docs.report_html;
    out.content_type = "text/html; charset=utf-8";
  } else if (name == "report.pdf") {
    out.raw_body = docs.report_pdf;
    out.content_type = "application/pdf";
  } else {
    throw ApiError(404, "not_found", "no such document: plan.json, report.html or report.pdf", "document");
  }
  // Saved, not shown inside the workspace: the report's own styles stay outside its CSP.
  out.headers.push_back({"Content-Disposition", "attachment; filename=\"" + file + name.substr(name.find('.')) + "\""});
  return out;
}

}  // namespace sirtkit::server
#else
// The statistics-only build (-DSIRTKIT_IMAGING=OFF, docs/install.md) has no
// planning engine: its planning routes exist, so the API is the same, and say so.
#include "server/routes/route_table.h"

namespace sirtkit::server {
namespace {

[[noreturn]] void no_planning() {
  throw ApiError(404, "no_imaging", "this sirtkit is the statistics-only build: planning and verification need the full build (docs/install.md)");
}

}  // namespace

ApiResponse handle_plans(ApiRequest&) { no_planning(); }
ApiResponse handle_plan(ApiRequest&) { no_planning(); }
ApiResponse handle_plan_volume(ApiRequest&) { no_planning(); }
ApiResponse handle_plan_what_if(ApiRequest&) { no_planning(); }
ApiResponse handle_plan_verification(ApiRequest&) { no_planning(); }
ApiResponse handle_plan_verification_volume(ApiRequest&) { no_planning(); }
ApiResponse handle_plan_approve(ApiRequest&) { no_planning(); }
ApiResponse handle_plan_approvals(ApiRequest&) { no_planning(); }
ApiResponse handle_plan_approval_document(ApiRequest&) { no_planning(); }

}  // namespace sirtkit::server
#endif
