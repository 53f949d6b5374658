#pragma once
// The job "plan a patient": read the plan file's images, quantify the MAA
// SPECT, build the dose model, prescribe (or evaluate a what-if), choose the
// vials, and write the outputs.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dosimetry/prescription/bsa_method.h"
#include "dosimetry/metrics/voi_doses.h"
#include "pipelines/planning/plan_file.h"
#include "report/planning/plan_report.h"

namespace sirtkit::pipelines {

struct PlanOutcome {
  report::PlanContext context;
  dosimetry::DoseModel model;
  dosimetry::PlanResult result;
  std::vector<dosimetry::VialChoice> vials;  // per injection
  image::Volume<float> dose_gy;              // at the prescription
  image::Volume<float> planning_counts;      // the MAA SPECT on the dose grid (for registration in verify)
  std::string frame_of_reference_uid;        // of the planning CT, when DICOM
};

// `what_if_gbq`: administered activities overriding the plan (one per injection), if given.
PlanOutcome plan_patient(const PlanSpec& spec, const std::vector<double>& what_if_gbq = {});

// plan_patient in two steps, for the server's what-if (pipelines/planning/plan_workspace.h):
// the expensive part once (images, quantification, dose per GBq of each
// injection), then any number of decisions on that model; plan_patient is
// exactly prepare_plan followed by decide_plan, so a what-if on a prepared
// model gives the numbers of `sirtkit plan --activity`.
struct PreparedPlan {
  report::PlanContext context;          // without elapsed_s and bsa (set by decide_plan)
  dosimetry::DoseModel model;
  image::Volume<float> planning_counts;  // the MAA SPECT on the dose grid
  std::string frame_of_reference_uid;
};
PreparedPlan prepare_plan(const PlanSpec& spec);

struct PlanDecision {
  dosimetry::PlanResult result;
  std::vector<dosimetry::VialChoice> vials;  // per injection
  std::optional<dosimetry::BsaPrescription> bsa;  // the BSA method, when it prescribed
};
// The prescription (or the what-if at `what_if_gbq`, one activity per
// injection) and the vials, on a prepared model.
PlanDecision decide_plan(const PlanSpec& spec, const dosimetry::DoseModel& model, const std::vector<double>& what_if_gbq = {});
// The same on the model's VOI voxels gathered once (dosimetry/metrics/voi_doses.h): the
// same numbers, for the server's what-if, which keeps one per prepared plan.
// Without `voxel_radiobiology` the VOIs' radiobiology is left empty (the what-if
// answer shows doses only; dosimetry::PlanRules::voxel_radiobiology).
PlanDecision decide_plan(const PlanSpec& spec, const dosimetry::VoiDoses& voi_doses, const std::vector<double>& what_if_gbq = {},
                         bool voxel_radiobiology = true);

// dose.nii.gz, dvh.csv, plan.json, report.html into `folder` (created if needed).
void write_plan_outputs(const PlanOutcome& outcome, const std::filesystem::path& folder);

// Exit status for the CLI, from the one plan status: 0 when deliverable
// (feasible, a vial for every injection, or a what if keeping every constraint), 3 otherwise.
bool plan_is_deliverable(const PlanOutcome& outcome);

}  // namespace sirtkit::pipelines
