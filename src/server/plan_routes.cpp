// The planning workspace (issue 14): studies of the data root (--data), their
// volumes as NIfTI, the plan at the planner's optimum, and the what-if at one
// activity per injection (pipelines/plan_workspace.h). The numbers are those
// of `sirtkit plan --json [--activity ...]`; this file only checks the request.
#include <chrono>
#include <cmath>
#include <fmt/format.h>

#include "core/error.h"
#include "pipelines/plan_workspace.h"
#include "server/http_server.h"
#include "server/request_fields.h"
#include "server/route_table.h"

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
  std::shared_ptr<const pipelines::PlanStudy> s;
  try {
    s = w.open(id);
  } catch (const Error& e) {
    // The study cannot be planned as it stands (bad plan file, missing image,
    // a path outside the data root, infeasible BSA): the physicist can fix it.
    if (e.category() == ErrorCategory::internal) throw;
    throw ApiError(422, "plan_refused", without_root(e.what(), w.root().string()), "plan", id);
  }
  if (!s) throw ApiError(404, "not_found", "no such planning study", "id", id);
  return s;
}

nlohmann::json activities_json(const dosimetry::Evaluation& e) { return e.administered_gbq; }

}  // namespace

ApiResponse handle_plans(ApiRequest& rq) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : workspace(rq).list())
    list.push_back({{"id", s.id}, {"folder", s.folder}, {"plan_file", s.plan_file}});
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
  ApiResponse out;
  out.body = {{"study", {{"id", s->info.id}, {"folder", s->info.folder}, {"plan_file", s->info.plan_file}}},
              {"plan", s->plan_json(s->optimum, s->prepare_s)},
              {"optimum_gbq", activities_json(s->optimum.result.evaluation)},
              {"activity_range_gbq", {pipelines::kActivityRangeGbq.lo, pipelines::kActivityRangeGbq.hi}},
              {"label_map", legend},
              {"isodose_levels_gy", s->isodose_levels_gy},
              {"volumes", volumes},
              {"may_plan", role == Role::admin || role == Role::physicist}};
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
  out.content_type = "application/octet-stream";  // gzip-compressed NIfTI-1
  return out;
}

ApiResponse handle_plan_what_if(ApiRequest& rq) {
  only_fields(rq, {"activity_gbq"});
  const auto s = study_of(rq);
  const std::size_t n = s->spec.injections.size();
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
  const auto start = std::chrono::steady_clock::now();
  const pipelines::PlanDecision d = s->what_if(gbq);
  const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ApiResponse out;
  out.body = {{"plan", s->plan_json(d, elapsed_s)}};
  return out;
}

}  // namespace sirtkit::server
