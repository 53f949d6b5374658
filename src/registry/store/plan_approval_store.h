#pragma once
// Signed plan versions in the registry (migration 8; docs/server.md "Sign-off").
// An approval is written once, numbered 1, 2, ... per planning study, with its
// documents (plan JSON, HTML and PDF report) in plan_approval_documents; both
// tables are append-only. Every function works inside the caller's transaction.

#include <optional>
#include <string>
#include <vector>

#include "registry/store/plan_approval_record.h"
#include "registry/store/store.h"

namespace sirtkit::registry {

struct PlanApprovalDocuments {
  std::string plan_json;
  std::string report_html;
  std::string report_pdf;  // the bytes (stored as base64)
};

// 1 + the highest version of the study (1 for the first approval).
long long next_plan_approval_version(Store& store, const std::string& study_key);
// Both rows; `approval.version` must be the next version (internal error
// otherwise). Returns the approval's id.
long long insert_plan_approval(Store& store, StoredPlanApproval& approval, const PlanApprovalDocuments& documents);

// Every approval of a study, by version.
std::vector<StoredPlanApproval> plan_approvals(Store& store, const std::string& study_key);
// One version, or nullopt.
std::optional<StoredPlanApproval> plan_approval(Store& store, const std::string& study_key, long long version);
PlanApprovalDocuments plan_approval_documents(Store& store, long long approval_id);

}  // namespace sirtkit::registry
