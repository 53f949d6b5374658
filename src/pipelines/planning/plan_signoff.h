#pragma once
// Sign-off of a plan in the planning workspace (issue 14 item 3; docs/server.md
// "Sign-off"). A physicist approves the plan of a study at chosen activities
// (the planner's optimum or a what-if): the decision is recomputed, and in one
// registry transaction
//   - the plan becomes the study's next immutable version (plan_approvals):
//     signer, role, time, meaning "approved", activities, the SHA-256 of every
//     input, of the signed plan JSON and of the PDF report, with the
//     documents themselves (plan JSON, HTML, PDF) beside it;
//   - the registry patient's SIRT treatment record receives the planned
//     dosimetry (activity, lung shunt, index-tumour, normal-liver and lung
//     doses, device): added at the first version, edited with a reason at
//     later ones, so the dose -> outcome analyses need no re-typing.
// Both writes are audited (who, when, old -> new, why). The password check is
// the server's (server/auth/authenticator.h); this file trusts its caller on that.

#include <string>
#include <vector>

#include "pipelines/planning/plan_workspace.h"
#include "registry/derived/patient_view.h"
#include "registry/store/plan_approval_store.h"
#include "registry/store/store.h"
#include "report/planning/plan_approval.h"

namespace sirtkit::pipelines {

struct PlanApprovalRequest {
  long long patient_id = 0;     // the registry patient the plan treats
  long long treatment_day = 0;  // study day of the treatment (day 0 = the patient's index date)
  std::string signed_by;        // user name
  std::string role;             // the signer's role ("physicist")
  registry::SiteScope scope;    // the signer's sites
};

// The treatment-record numbers of a decision (also the approval's summary,
// report/planning/plan_approval.h).
using PlannedDosimetry = report::PlannedDosimetry;
PlannedDosimetry planned_dosimetry(const PlanStudy& study, const PlanDecision& decision);

// Records the approval of `decision` (a deliverable decision of `study`).
// Refuses, writing nothing: a patient outside `scope` or unknown (EntryRefused
// not_found, field patient_id), a study whose earlier versions treat another
// patient (conflict), a decision that is not deliverable (bad_input).
registry::StoredPlanApproval approve_plan(registry::Store& store, const PlanStudy& study, const PlanDecision& decision,
                                          const PlanApprovalRequest& request);

// A stored approval as report/ renders it (report::stored_plan_approval_json).
report::ApprovalRecord approval_record(const registry::StoredPlanApproval& approval);

}  // namespace sirtkit::pipelines
