#include "server/routes/route_table.h"

#include <algorithm>

namespace sirtkit::server {

ApiResponse handle_randomise(ApiRequest& rq);  // server/routes/randomise_routes.cpp
ApiResponse handle_patient_eligibility(ApiRequest& rq);

std::string ApiRequest::param(const std::string& name) const {
  const auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

nlohmann::json ApiError::body() const {
  nlohmann::json j = {{"error", code_}, {"message", what()}};
  if (!field_.empty()) j["field"] = field_;
  if (value_) j["value"] = *value_;
  return j;
}

bool Route::allows(Role r) const { return std::find(roles.begin(), roles.end(), r) != roles.end(); }

std::vector<Role> any_role() { return all_roles(); }

const std::vector<Route>& route_table() {
  using R = Role;
  // Data entry: investigators and data managers of the patient's site, and admins.
  const std::vector<Role> W = {R::admin, R::investigator, R::data_manager};
  // De-identified downloads: admins, data managers, statisticians (without calendar dates).
  const std::vector<Role> X = {R::admin, R::data_manager, R::statistician};
  static const std::vector<Route> routes = {
      {"POST", "/api/login", {}, true, "Log in with user name, password and (when enabled) a TOTP code; sets the session cookie", handle_login},
      {"POST", "/api/logout", any_role(), false, "End the session", handle_logout},
      {"GET", "/api/me", any_role(), false, "The signed-in user, role, sites and the session's CSRF token", handle_me},
      {"POST", "/api/me/totp", any_role(), false, "Enable a TOTP second factor (RFC 6238) for the signed-in user; needs the password", handle_enable_totp},
      {"GET", "/api/patients", any_role(), false, "Patients of the user's sites; filters site, arm, status, search (pseudonym)", handle_patients},
      {"GET", "/api/patients/{id}", any_role(), false, "One patient: baseline, treatments, lesions, measurements, labs, adverse events, follow-up", handle_patient},
      {"GET", "/api/patients/{id}/eligibility", any_role(), false, "The patient's eligibility (verdict and criteria) under the rule set of every randomisation scheme of its study, from the registry record", handle_patient_eligibility},
      {"POST", "/api/patients/{id}/randomise", {R::admin, R::investigator}, false, "Check the patient's eligibility and allocate an arm by the study's randomisation scheme (final, audited); answers the arm, never the seed or the scheme's state", handle_randomise},
      {"GET", "/api/analysis/km", {R::admin, R::investigator, R::statistician}, false, "Kaplan-Meier curves by group with number at risk, medians and the log-rank test of a registry endpoint (user's sites)", handle_analysis_km},
      {"GET", "/api/analysis/cox", {R::admin, R::investigator, R::statistician}, false, "Cox model of a registry endpoint: hazard ratios with confidence intervals and p-values (user's sites)", handle_analysis_cox},
      {"GET", "/api/forms", any_role(), false, "The data-entry forms (fields, kinds, ranges, vocabularies, units), lab units, the user's sites and arms", handle_forms},
      {"POST", "/api/patients", W, false, "Create a patient at one of the user's sites (random pseudonym; index date stored shifted)", handle_create_patient},
      {"PATCH", "/api/patients/{id}", W, false, "Edit the patient's site, arm, sex, age (version and reason required)", handle_edit_patient},
      {"PUT", "/api/patients/{id}/baseline", W, false, "Enter the baseline, or edit it (version and reason required)", handle_put_baseline},
      {"POST", "/api/patients/{id}/treatments", W, false, "Add a treatment", record_add_handler("treatment")},
      {"PATCH", "/api/patients/{id}/treatments/{record}", W, false, "Edit a treatment (version and reason required)", record_edit_handler("treatment")},
      {"POST", "/api/patients/{id}/lesion_measurements", W, false, "Add a lesion measurement; answers the patient's RECIST 1.1 and mRECIST response", record_add_handler("lesion_measurement")},
      {"PATCH", "/api/patients/{id}/lesion_measurements/{record}", W, false, "Edit a lesion measurement (version and reason required); answers the response", record_edit_handler("lesion_measurement")},
      {"POST", "/api/patients/{id}/labs", W, false, "Add a lab value; answers its CTCAE v5.0 grade", record_add_handler("lab")},
      {"PATCH", "/api/patients/{id}/labs/{record}", W, false, "Edit a lab value (version and reason required); answers its grade", record_edit_handler("lab")},
      {"POST", "/api/patients/{id}/adverse_events", W, false, "Add an adverse event", record_add_handler("adverse_event")},
      {"PATCH", "/api/patients/{id}/adverse_events/{record}", W, false, "Edit an adverse event (version and reason required)", record_edit_handler("adverse_event")},
      {"POST", "/api/patients/{id}/followup_events", W, false, "Add a follow-up event", record_add_handler("followup")},
      {"PATCH", "/api/patients/{id}/followup_events/{record}", W, false, "Edit a follow-up event (version and reason required)", record_edit_handler("followup")},
      {"GET", "/api/export/registry.csv", X, false, "Download the de-identified registry of the user's sites (REDCap shape, as sirtkit registry export)", handle_export_registry},
      {"GET", "/api/export/dictionary.csv", X, false, "Download the data dictionary of the registry download", handle_export_dictionary},
      {"GET", "/api/export/adtte.csv", X, false, "Download the ADaM ADTTE time-to-event set of the user's sites (endpoint os|pfs|ttp, months 0|1)", handle_export_adtte},
      {"GET", "/api/export/adrs.csv", X, false, "Download the ADaM ADRS tumour-response set of the user's sites (criteria recist|mrecist)", handle_export_adrs},
      {"GET", "/api/audit", {R::admin, R::monitor}, false, "The audit trail, newest first; filters user, table, from, to", handle_audit},
      {"GET", "/api/users", {R::admin}, false, "Every user with role and sites", handle_users},
      {"POST", "/api/users", {R::admin}, false, "Create a user with a role and sites", handle_create_user},
      {"PATCH", "/api/users/{id}", {R::admin}, false, "Disable or enable a user (ends their sessions when disabled)", handle_update_user},
      {"GET", "/api/plans", {R::admin, R::physicist, R::investigator}, false, "Planning studies of the data root (--data): one per plan file", handle_plans},
      {"GET", "/api/plans/{id}", {R::admin, R::physicist, R::investigator}, false, "A study's plan at the planner's optimum (sirtkit.plan/1), label legend, isodose levels, volumes", handle_plan},
      {"GET", "/api/plans/{id}/volumes/{volume}", {R::admin, R::physicist, R::investigator}, false, "A study volume as gzip NIfTI: ct, spect, dose, labels, dose_per_gbq_K", handle_plan_volume},
      {"POST", "/api/plans/{id}/what-if", {R::admin, R::physicist}, false, "Doses, DVH, goals, constraints, lung dose and vials at one activity per injection, as sirtkit plan --activity", handle_plan_what_if},
      {"POST", "/api/plans/{id}/verification", {R::admin, R::physicist, R::investigator}, false, "Verify the plan on a post-treatment image of the study folder (sirtkit verify): planned vs delivered per VOI, tumour-to-normal ratios, paired agreement, registration; with the volumes to show", handle_plan_verification},
      {"GET", "/api/plans/{id}/verification/{verification}/volumes/{volume}", {R::admin, R::physicist, R::investigator}, false, "A volume of a verification as gzip NIfTI: planned_dose, delivered_dose, dose_difference, registration_check", handle_plan_verification_volume},
      {"POST", "/api/plans/{id}/approve", {R::physicist}, false, "Approve the plan at one activity per injection (electronic signature: password re-entered, meaning approved) for a registry patient and treatment day: a new immutable version, its documents, and the patient's SIRT treatment record", handle_plan_approve},
      {"GET", "/api/plans/{id}/approvals", {R::admin, R::physicist, R::investigator, R::monitor}, false, "The study's approved versions (signer, time, activities, planned dosimetry, input and document hashes) whose patient is in the user's sites", handle_plan_approvals},
      {"GET", "/api/dicom/studies", {R::admin, R::physicist, R::investigator}, false, "Studies received by DICOM C-STORE or STOW-RS in the data root: hashed study and series folders, kinds, object counts, plan files", handle_received_studies},
      {"GET", "/api/dicom/studies/{study}/plan-template", {R::admin, R::physicist}, false, "A plan file (TOML) to start from for a received study: its CT, NM and RTSTRUCT series named, the values to decide marked", handle_received_study_plan_template},
      {"POST", "/dicomweb/studies", {R::admin, R::physicist}, false, "STOW-RS (DICOM PS3.18 10.5): store the application/dicom parts of a multipart/related body in the data root; answers DICOM JSON with ReferencedSOPSequence and FailedSOPSequence", handle_stow, true},
      {"POST", "/dicomweb/studies/{study}", {R::admin, R::physicist}, false, "STOW-RS into one study: as POST /dicomweb/studies, objects of another study fail", handle_stow, true},
      {"GET", "/api/plans/{id}/approvals/{version}/{document}", {R::admin, R::physicist, R::investigator, R::monitor}, false, "A document of an approved version as signed: plan.json, report.html or report.pdf", handle_plan_approval_document},
  };
  return routes;
}

}  // namespace sirtkit::server
