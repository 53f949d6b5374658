// The machine form of `sirtkit verify` (schema "sirtkit.verify/1",
// verification.json): the same numbers as the summary, unrounded.

#include "report/planning/plan_verification.h"

namespace sirtkit::report {
namespace {

nlohmann::json agreement_json(const stats::PairedAgreement& a) {
  return {{"n", a.n}, {"median_planned", a.median_a}, {"median_delivered", a.median_b}, {"mean_difference", a.mean_difference},
          {"sd_difference", a.sd_difference}, {"ci95", {a.ci_low, a.ci_high}}, {"limits_of_agreement", {a.limits_low, a.limits_high}}};
}

}  // namespace

nlohmann::json verification_json_value(const VerificationView& v) {
  using nlohmann::json;
  json j{{"schema", "sirtkit.verify/1"}, {"patient_id", v.patient_id}, {"plan_file", v.plan_file},
         {"administered_gbq", v.administered_gbq}, {"notes", v.notes},
         {"delivered", {{"region_gbq", v.delivered_region_gbq}, {"total_gbq", v.delivered_total_gbq}, {"gbq_per_unit", v.delivered_gbq_per_unit}}}};
  if (v.registration)
    j["registration"] = {{"translation_mm", v.registration->translation_mm}, {"angles_rad", v.registration->angles_rad},
                         {"centre_mm", v.registration->centre_mm}, {"metric", v.registration->metric}};
  j["vois"] = json::array();
  for (const auto& c : v.vois)
    j["vois"].push_back({{"name", c.name}, {"role", c.role}, {"planned_mean_gy", c.planned_mean_gy}, {"delivered_mean_gy", c.delivered_mean_gy},
                         {"planned_d70_gy", c.planned_d70_gy}, {"delivered_d70_gy", c.delivered_d70_gy}});
  j["tumour_to_normal"] = json::array();
  for (const auto& t : v.ratios) j["tumour_to_normal"].push_back({{"tumour", t.tumour}, {"normal", t.normal}, {"planned", t.planned}, {"delivered", t.delivered}});
  j["tumour_dose_agreement"] = v.tumour_dose ? agreement_json(*v.tumour_dose) : json(nullptr);
  j["tumour_to_normal_agreement"] = v.tumour_ratio ? agreement_json(*v.tumour_ratio) : json(nullptr);
  return j;
}

std::string verification_json(const VerificationView& v) { return verification_json_value(v).dump(2) + "\n"; }

}  // namespace sirtkit::report
