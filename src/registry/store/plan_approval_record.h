#pragma once
// One signed plan version as the registry stores it (registry/store/plan_approval_store.h).
// Rendered through report::ApprovalRecord (pipelines::approval_record fills it):
// report/ includes no registry header.

#include <string>

namespace sirtkit::registry {

struct StoredPlanApproval {
  long long id = 0;
  std::string study_key;  // the planning study's id (16 hex digits)
  std::string folder;
  std::string plan_file;
  long long version = 0;  // next_plan_approval_version, read in the same transaction
  long long patient_id = 0;
  long long treatment_id = 0;
  std::string meaning = "approved";
  std::string signed_by;
  std::string signed_at;     // ISO 8601 UTC
  std::string activity_gbq;  // JSON array, one per injection
  std::string summary;       // JSON: the doses and vials written to the registry
  std::string inputs;        // JSON array of {role, name, sha256}
  std::string plan_sha256;   // of plan_json's bytes
  std::string report_sha256; // of the PDF's bytes
};

}  // namespace sirtkit::registry
