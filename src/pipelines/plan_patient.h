#pragma once
// The job "plan a patient": read the plan file's images, quantify the MAA
// SPECT, build the dose model, prescribe (or evaluate a what-if), choose the
// vials, and write the outputs.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dosimetry/bsa_method.h"
#include "pipelines/plan_file.h"
#include "report/plan_report.h"

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

// dose.nii.gz, dvh.csv, plan.json, report.html into `folder` (created if needed).
void write_plan_outputs(const PlanOutcome& outcome, const std::filesystem::path& folder);

// Exit status for the CLI, from the one plan status: 0 when deliverable
// (feasible, a vial for every injection, or a what if keeping every constraint), 3 otherwise.
bool plan_is_deliverable(const PlanOutcome& outcome);

}  // namespace sirtkit::pipelines
