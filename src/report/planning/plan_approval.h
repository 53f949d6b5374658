#pragma once
// What the sign-off of a plan (pipelines/planning/plan_signoff.h) stores with
// the approved version (registry/store/plan_approval_store.h) as compact JSON text:
// the activities, the summary of the planned dosimetry and the inputs with
// their SHA-256. The server answers them parsed (GET /api/plans/{id}/approvals).

#include <nlohmann/json.hpp>
#include <string>

#include "report/planning/plan_report.h"

namespace sirtkit::report {

// The treatment-record numbers of a decision (also the approval's summary).
struct PlannedDosimetry {
  std::string index_tumour;  // the first tumour VOI of the plan file; "" when it has none
  double tumour_mean_gy = 0;
  std::string normal_reference;  // dosimetry::normal_reference_name of the index tumour
  double normal_liver_mean_gy = 0;
  double lung_gy = 0;
  double lung_shunt_percent = 0;
  double total_activity_gbq = 0;
  std::string device;
};

struct PlanApprovalJson {
  std::string activity_gbq;  // [GBq per injection]
  // {status, goals_met, goals_not_met [{label, value_gy, limit_gy, margin_gy}],
  // index_tumour, planned_tumour_dose_gy, normal_reference,
  // planned_normal_liver_dose_gy, planned_lung_dose_gy,
  // lung_shunt_fraction_pct, planned_activity_gbq, device, injections [{name,
  // administered_gbq, vial_gbq, injection_time}]}, keys in this order; a
  // deliverable plan may still fall short of a goal (a what-if below the
  // optimum), so nobody reads "approved" as "goals met".
  std::string summary;
  std::string inputs;  // [{role, name, sha256}]
};
PlanApprovalJson plan_approval_json(const PlannedDosimetry& planned, const PlanView& plan);

// An approved version as the registry keeps it (pipelines fill it from
// registry::StoredPlanApproval): the texts plan_approval_json made, as stored.
struct ApprovalRecord {
  std::string study_key;  // the planning study's id (16 hex digits)
  long long version = 0, patient_id = 0, treatment_id = 0;
  std::string meaning = "approved";  // the signature's meaning, as registry::StoredPlanApproval's
  std::string signed_by, signed_at;  // signed_at: ISO 8601 UTC
  std::string activity_gbq, summary, inputs;  // JSON texts
  std::string plan_sha256, report_sha256;
};

// An approved version as GET /api/plans/{id}/approvals lists it: version,
// meaning, signed_by, signed_at, patient_id, treatment_id, the stored
// activity_gbq, summary and inputs parsed, plan_sha256, report_sha256 and
// the URLs of its documents (plan.json, report.html, report.pdf).
nlohmann::json stored_plan_approval_json(const ApprovalRecord& approval);

}  // namespace sirtkit::report
