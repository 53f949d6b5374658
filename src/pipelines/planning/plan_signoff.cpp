#include "pipelines/planning/plan_signoff.h"

#include <fmt/format.h>

#include "core/date_time.h"
#include "core/error.h"
#include "io/file_hash.h"
#include "pipelines/registry/registry_entry.h"
#include "registry/derived/patient_view.h"
#include "report/planning/plan_approval.h"
#include "report/planning/plan_report.h"

namespace sirtkit::pipelines {
namespace {

// Shortest text that reads back as the same double: nothing is rounded on the way to the registry.
std::string exact(double x) { return fmt::format("{}", x); }

double voi_mean(const dosimetry::Evaluation& e, const std::string& name) {
  for (const auto& v : e.vois)
    if (v.name == name) return v.metrics.mean_gy;
  throw Error(ErrorCategory::internal, "no VOI '" + name + "' in the plan's evaluation");
}

// The SIRT treatment row: added for the first version, the same row edited for later ones.
long long write_treatment(registry::Store& store, const PlannedDosimetry& p, const PlanApprovalRequest& rq, long long previous_treatment) {
  const registry::Value tumour = p.index_tumour.empty() ? registry::Value() : registry::Value(exact(p.tumour_mean_gy));
  const registry::Params values = {std::to_string(rq.treatment_day), p.device, exact(p.total_activity_gbq), exact(p.lung_shunt_percent),
                                   tumour, exact(p.normal_liver_mean_gy), exact(p.lung_gy)};
  if (previous_treatment > 0 &&
      store.scalar("SELECT id FROM treatments WHERE id = ? AND patient_id = ?", {std::to_string(previous_treatment), std::to_string(rq.patient_id)})) {
    registry::Params params = values;
    params.push_back(std::to_string(previous_treatment));
    store.execute(
        "UPDATE treatments SET kind = 'sirt', start_day = ?, device = ?, planned_activity_gbq = ?, lung_shunt_fraction_pct = ?, "
        "planned_tumour_dose_gy = ?, planned_normal_liver_dose_gy = ?, planned_lung_dose_gy = ? WHERE id = ?",
        params);
    return previous_treatment;
  }
  registry::Params params = {std::to_string(rq.patient_id)};
  params.insert(params.end(), values.begin(), values.end());
  return store.insert_returning_id(
      "INSERT INTO treatments (patient_id, kind, start_day, device, planned_activity_gbq, lung_shunt_fraction_pct, planned_tumour_dose_gy, "
      "planned_normal_liver_dose_gy, planned_lung_dose_gy) VALUES (?, 'sirt', ?, ?, ?, ?, ?, ?, ?)",
      params);
}

}  // namespace

PlannedDosimetry planned_dosimetry(const PlanStudy& s, const PlanDecision& d) {
  const auto& model = s.prepared.model;
  const auto& e = d.result.evaluation;
  PlannedDosimetry p;
  for (const auto& v : s.spec.vois)
    if (v.role == dosimetry::VoiRole::tumour) {
      p.index_tumour = v.name;
      break;
    }
  if (!p.index_tumour.empty()) {
    p.tumour_mean_gy = voi_mean(e, p.index_tumour);
    p.normal_reference = dosimetry::normal_reference_name(model, model.voi(p.index_tumour).mask);
  } else {
    p.normal_reference = dosimetry::normal_liver_name();
  }
  p.normal_liver_mean_gy = voi_mean(e, p.normal_reference);
  p.lung_gy = e.lung_dose_gy;
  p.lung_shunt_percent = 100 * model.lung_shunt.fraction;
  for (double a : e.administered_gbq) p.total_activity_gbq += a;
  p.device = s.prepared.context.device;
  return p;
}

registry::StoredPlanApproval approve_plan(registry::Store& store, const PlanStudy& s, const PlanDecision& d, const PlanApprovalRequest& rq) {
  if (!dosimetry::plan_status_deliverable(d.result.status))
    fail_input(s.info.plan_file, "activity_gbq", "(the activities sent)",
               std::string("a deliverable plan to approve; this one is ") + dosimetry::plan_status_name(d.result.status));
  const PlannedDosimetry planned = planned_dosimetry(s, d);

  registry::Transaction tx(store, rq.signed_by);
  if (!registry::patient_record(store, rq.patient_id, rq.scope))
    refuse_entry(EntryRefusal::Kind::not_found, "patient_id", "no such patient in your sites", std::to_string(rq.patient_id));
  const auto earlier = registry::plan_approvals(store, s.info.id);
  if (!earlier.empty() && earlier.back().patient_id != rq.patient_id)
    refuse_entry(EntryRefusal::Kind::conflict, "patient_id",
           fmt::format("this study's approved versions treat registry patient {}; a new version must treat the same patient",
                       earlier.back().patient_id),
           std::to_string(rq.patient_id));

  registry::StoredPlanApproval a;
  a.study_key = s.info.id;
  a.folder = s.info.folder;
  a.plan_file = s.info.plan_file;
  a.version = registry::next_plan_approval_version(store, s.info.id);
  a.patient_id = rq.patient_id;
  a.signed_by = rq.signed_by;
  a.signed_at = format_iso(now_utc());
  const report::PlanApprovalJson stored =
      report::plan_approval_json(planned, report::PlanView{s.prepared.context, s.prepared.model, d.result, d.vials, nullptr});
  a.activity_gbq = stored.activity_gbq;
  a.summary = stored.summary;
  a.inputs = stored.inputs;

  // The documents: the plan JSON signed (its hash then shown in the reports).
  report::PlanContext context = s.prepared.context;
  context.bsa = d.bsa;
  context.generated_utc = a.signed_at;
  context.operator_name = rq.signed_by;
  context.signature = report::PlanSignature{rq.signed_by, rq.role, a.signed_at, a.meaning, a.version, ""};
  const image::Volume<float> dose = dosimetry::combined_dose(s.prepared.model, d.result.evaluation.administered_gbq);
  registry::PlanApprovalDocuments docs;
  docs.plan_json = report::plan_json(report::PlanView{context, s.prepared.model, d.result, d.vials, nullptr});
  a.plan_sha256 = io::sha256_of_bytes(docs.plan_json);
  context.signature->plan_sha256 = a.plan_sha256;
  const report::PlanView view{context, s.prepared.model, d.result, d.vials, &dose};
  docs.report_html = report::plan_html(view);
  docs.report_pdf = report::plan_pdf(view);
  a.report_sha256 = io::sha256_of_bytes(docs.report_pdf);

  store.set_reason(a.version == 1 ? fmt::format("plan {}/{} approved (version 1)", a.folder, a.plan_file)
                                  : fmt::format("plan {}/{} version {} approved, replacing version {}", a.folder, a.plan_file, a.version,
                                                a.version - 1));
  a.treatment_id = write_treatment(store, planned, rq, earlier.empty() ? 0 : earlier.back().treatment_id);
  registry::insert_plan_approval(store, a, docs);
  tx.commit();
  return a;
}

report::ApprovalRecord approval_record(const registry::StoredPlanApproval& a) {
  return {a.study_key, a.version, a.patient_id, a.treatment_id, a.meaning, a.signed_by, a.signed_at,
          a.activity_gbq, a.summary, a.inputs, a.plan_sha256, a.report_sha256};
}

}  // namespace sirtkit::pipelines
