// GET /api/analysis/km and GET /api/analysis/cox: the registry's survival
// analyses for the analysis pages (pipelines/survival/survival_views.h), over the
// patients of the caller's sites only. Every query parameter is checked here
// and refused with 400 naming it; an analysis the data cannot support (one
// group, no event, a level without events) answers 422 with the engine's
// message, which names columns and levels, never a patient.
#include <regex>

#include "core/error.h"
#include "pipelines/descriptive/csv_columns.h"
#include "pipelines/survival/survival_views.h"
#include "report/survival/survival_views.h"
#include "server/routes/request_fields.h"
#include "server/routes/route_table.h"
#include "server/auth/site_scope.h"

namespace sirtkit::server {
namespace {

std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= v.size() && !v.empty()) {
    const std::size_t comma = v.find(',', start);
    out.push_back(v.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// A comma-separated list of names (covariates, factors): lower-case names or ADTTE columns.
std::vector<std::string> name_list(const ApiRequest& rq, const std::string& field) {
  static const std::regex name_rx("[A-Za-z_][A-Za-z0-9_]{0,31}");
  std::vector<std::string> out = split_list(rq.param(field));
  if (out.size() > 12) throw ApiError(400, "bad_field", "at most 12 names", field);
  for (const auto& n : out)
    if (!std::regex_match(n, name_rx)) throw ApiError(400, "bad_field", "comma-separated names (letters, digits, _)", field);
  return out;
}

// A number of `field` in [min, max] (none: `fallback`).
double number_param(const ApiRequest& rq, const std::string& field, double fallback, double min, double max, const std::string& what) {
  const std::string v = rq.param(field);
  if (v.empty()) return fallback;
  const auto n = v.size() <= 24 ? pipelines::parse_finite_number(v) : std::nullopt;
  if (!n || *n < min || *n > max) throw ApiError(400, "bad_field", what, field, safe_echo(v));
  return *n;
}

pipelines::SurvivalViewRequest view_request(const ApiRequest& rq) {
  pipelines::SurvivalViewRequest v;
  v.scope = site_scope(rq.session->user);
  auto choice = [&](const char* name, const std::vector<std::string>& allowed, const std::string& fallback) {
    const std::string c = choice_param(rq, name, allowed);
    return c.empty() ? fallback : c;
  };
  v.derive.endpoint = choice("endpoint", {"os", "pfs", "ttp"}, "os");
  v.derive.origin = choice("origin", {"index", "first-treatment"}, "index");
  v.derive.censor_at_surgery = choice("censor_at_surgery", {"true", "false"}, "false") == "true";
  v.derive.dose_source = choice("dose_source", {"planned", "verified"}, "planned");
  // 0 = no dose groups; 10 kGy is far above any tumour dose planned for Y-90 (DOSISPHERE-01 targets 205 Gy).
  v.derive.dose_threshold_gy = number_param(rq, "dose_threshold", 0, 0, 10000, "a tumour dose in Gy from 0 to 10000 (e.g. 205)");
  v.group = choice("group", {"arm", "site", "dose", "none"}, "arm");
  if (v.group == "dose" && !(v.derive.dose_threshold_gy > 0))
    throw ApiError(400, "bad_field", "group=dose needs dose_threshold (e.g. 205)", "dose_threshold");
  v.derive.study = rq.param("study");
  static const std::regex code_rx("[A-Za-z0-9_.-]{1,40}");
  if (!v.derive.study.empty() && !std::regex_match(v.derive.study, code_rx)) throw ApiError(400, "bad_field", "a study code", "study");
  const auto times = split_list(rq.param("times"));
  if (times.size() > 40) throw ApiError(400, "bad_field", "at most 40 times", "times");
  for (const auto& t : times) {
    const auto n = t.size() <= 24 ? pipelines::parse_finite_number(t) : std::nullopt;
    if (!n || *n < 0) throw ApiError(400, "bad_field", "comma-separated times in months, each >= 0", "times", safe_echo(t));
    v.times.push_back(*n);
  }
  v.covariates = name_list(rq, "covariates");
  v.factors = name_list(rq, "factors");
  for (const auto& [field, names] : {std::pair<const char*, const std::vector<std::string>*>{"covariates", &v.covariates}, {"factors", &v.factors}})
    for (const auto& n : *names) try {
        pipelines::analysis_covariate_column(n, v.derive.dose_threshold_gy);
      } catch (const Error&) {
        throw ApiError(400, "bad_field",
                       "names of: arm, site, age, sex, ecog, child_pugh, bclc, pvi, worst_ae, dose, dose_group (needs dose_threshold)", field, n);
      }
  v.ties = choice("ties", {"efron", "breslow", "exact"}, "efron");
  return v;
}

template <class F>
ApiResponse answer(F&& run) {
  try {
    ApiResponse out;
    out.body = run();
    return out;
  } catch (const Error& e) {
    if (e.category() != ErrorCategory::bad_input) throw;
    throw ApiError(422, "analysis_refused", e.what());
  }
}

}  // namespace

ApiResponse handle_analysis_km(ApiRequest& rq) {
  const auto v = view_request(rq);
  return answer([&] { return report::survival_km_view_json(pipelines::survival_km_view(*rq.store, v)); });
}

ApiResponse handle_analysis_cox(ApiRequest& rq) {
  const auto v = view_request(rq);
  return answer([&] { return report::survival_cox_view_json(pipelines::survival_cox_view(*rq.store, v)); });
}

}  // namespace sirtkit::server
