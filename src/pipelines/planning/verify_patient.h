#pragma once
// The job "verify a treatment": the dose actually delivered, computed on the
// post-treatment Y-90 PET or bremsstrahlung SPECT, against the plan, per VOI
// (mean, D70, tumour-to-normal ratio) and across tumours (paired differences
// with a 95 % CI and Bland–Altman limits), as in seed 002.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dosimetry/prescription/delivered_activity.h"
#include "io/image/rigid_registration.h"
#include "pipelines/planning/plan_patient.h"
#include "report/planning/plan_verification.h"
#include "stats/agreement/paired_agreement.h"

namespace sirtkit::pipelines {

enum class PostModality { pet, spect };

struct VerifyOptions {
  std::filesystem::path delivered;               // NIfTI: PET in Bq/mL, or SPECT counts
  PostModality modality = PostModality::spect;
  std::optional<double> hours_after_injection;   // PET: scan time after injection
  std::vector<double> administered_gbq;          // per injection; default: the plan's prescription
  bool field_of_view_calibration = false;        // SPECT: calibrate over the whole image, not liver + lungs
  bool register_images = false;                  // rigid registration of the delivered image onto the planning SPECT
};

// Planned against delivered per VOI (mean, D70) and tumour-to-normal ratio:
// the rows the verification report shows (report/planning/plan_verification.h).
using VoiComparison = report::VerificationRow;
using TumourRatio = report::VerificationRatio;

struct VerifyOutcome {
  PlanOutcome plan;
  image::Volume<float> delivered_dose_gy;
  dosimetry::DeliveredActivity delivered;  // activity map moved out; numbers kept
  std::optional<io::RigidTransform> registration;
  std::vector<VoiComparison> vois;
  std::vector<TumourRatio> tn;
  std::optional<stats::PairedAgreement> tumour_dose, tumour_tn;
  std::vector<std::string> notes;
  PostModality modality = PostModality::spect;
  report::InputFile delivered_input;  // the delivered image and its SHA-256
};

VerifyOutcome verify_patient(const PlanSpec& spec, const VerifyOptions& options);

// What report/planning/plan_verification.h renders (the summary, the JSON, the PDF);
// generated now, by `operator_name` when given.
report::VerificationView verification_view(const VerifyOutcome& v, const std::string& operator_name = "");
// delivered_dose.nii.gz, verification.json and report.pdf (report/planning/plan_verification.h,
// naming `operator_name` when given) into `folder`, all or none.
void write_verify_outputs(const VerifyOutcome& v, const std::filesystem::path& folder, const std::string& operator_name = "");

}  // namespace sirtkit::pipelines
