#include "report/survival/survival_views.h"

namespace sirtkit::report {

namespace {

using nlohmann::json;

json derived_json(const DerivedEndpoint& d) {
  return {{"paramcd", d.paramcd},
          {"origin", d.origin},
          {"censor_at_surgery", d.censor_at_surgery},
          {"time_unit", d.time_unit},
          {"subjects", d.subjects},
          {"events", d.events},
          {"censored", d.subjects - d.events},
          {"excluded", d.excluded}};
}

json without_file(json j) {
  j.erase("file");
  return j;
}

}  // namespace

nlohmann::json survival_km_view_json(const SurvivalKmView& v) {
  json out = {{"derived", derived_json(v.derived)}, {"group", v.group}, {"group_column", v.group_column}, {"risk_times", v.risk_times}};
  out["km"] = without_file(km_json(v.km));
  out["logrank"] = v.logrank ? without_file(log_rank_json(*v.logrank)) : json(nullptr);
  out["logrank_refused"] = v.logrank_refused.empty() ? json(nullptr) : json(v.logrank_refused);
  return out;
}

nlohmann::json survival_cox_view_json(const SurvivalCoxView& v) {
  return {{"derived", derived_json(v.derived)}, {"cox", without_file(cox_json(v.cox))}};
}

}  // namespace sirtkit::report
