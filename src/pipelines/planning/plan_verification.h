#pragma once
// Verification of a workspace study (issue 14 item 4; docs/server.md
// "Verification"): `sirtkit verify` on a post-treatment image of the study
// folder, with the volumes the workspace shows beside its numbers -- the
// planned and delivered dose maps on the dose grid, their difference, and a
// registration check (a checkerboard of the planning MAA SPECT and the
// delivered dose map, each scaled to its own 99.5th percentile, so a
// misregistration shows as broken edges).

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipelines/planning/plan_workspace.h"
#include "pipelines/planning/verify_patient.h"
#include "report/planning/plan_verification.h"

namespace sirtkit::pipelines {

struct VerificationRequest {
  std::string delivered;  // a name in PlanStudy::post_images
  PostModality modality = PostModality::spect;
  std::optional<double> hours_after_injection;  // PET
  bool register_images = false;
  std::vector<double> activity_gbq;  // per injection; empty: the plan's prescription
};

struct StudyVerification {
  std::string id;          // 16 hex digits of SHA-256 of the study id and the request
  std::string study_id;
  // The numbers of `sirtkit verify --json` (report::verification_json_value,
  // sirtkit.verify/1); its volume pointers are null: the volumes are below.
  report::VerificationView view;
  std::map<std::string, std::string> volumes;  // planned_dose, delivered_dose, dose_difference, registration_check: gzip NIfTI
};

// The volume names of a verification, in display order.
const std::vector<std::string>& verification_volume_names();

// Runs the verification (bad input naming the field for a delivered image not
// among the study's post_images, as verify_patient does for a bad image).
std::shared_ptr<const StudyVerification> verify_study(const PlanStudy& study, const std::filesystem::path& data_root,
                                                      const VerificationRequest& request);

// Checkerboard of two volumes on one grid, each divided by its own 99.5th
// percentile of the positive voxels (0 when it has none): squares of `block`
// voxels alternate in x, y and z.
image::Volume<float> registration_checkerboard(const image::Volume<float>& a, const image::Volume<float>& b, int block);

}  // namespace sirtkit::pipelines
