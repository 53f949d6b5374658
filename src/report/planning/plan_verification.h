#pragma once
// The verification report (issue 16 item 1): planned against delivered dose
// after treatment, as `sirtkit verify --out` writes it beside
// verification.json -- a PDF (A4, fonts embedded) with the date, operator and
// input hashes, the per-VOI and tumour-to-normal tables, the paired
// agreement, an axial slice of the planned and of the delivered dose on the
// anatomy, the notes, and a signature block. Also the terminal summary of
// `sirtkit verify` and its JSON (schema "sirtkit.verify/1").

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "image/volume.h"
#include "report/planning/plan_report.h"
#include "stats/agreement/paired_agreement.h"

namespace sirtkit::report {

struct VerificationRow {
  std::string name, role;
  double planned_mean_gy = 0, delivered_mean_gy = 0;
  double planned_d70_gy = 0, delivered_d70_gy = 0;
};

struct VerificationRatio {
  std::string tumour, normal;
  double planned = 0, delivered = 0;
};

// The rigid registration of the delivered image onto the planning SPECT.
struct VerificationRegistration {
  std::array<double, 3> translation_mm{0, 0, 0}, angles_rad{0, 0, 0}, centre_mm{0, 0, 0};
  double metric = 0;
};

struct VerificationView {
  std::string patient_id, plan_file, delivered_file, modality;  // modality: "SPECT" or "PET"
  std::string generated_utc, operator_name;
  std::vector<InputFile> inputs;  // the plan's inputs and the delivered image, with SHA-256
  std::vector<double> administered_gbq;
  double delivered_region_gbq = 0, delivered_total_gbq = 0;
  double delivered_gbq_per_unit = 0;  // the calibration: GBq per image unit
  std::optional<VerificationRegistration> registration;
  std::vector<VerificationRow> vois;
  std::vector<VerificationRatio> ratios;
  std::optional<stats::PairedAgreement> tumour_dose, tumour_ratio;
  std::vector<std::string> notes;
  const image::Volume<float>* mass_kg = nullptr;  // the anatomy under the slices
  const image::Volume<float>* planned_dose_gy = nullptr;
  const image::Volume<float>* delivered_dose_gy = nullptr;
};

std::string verification_pdf(const VerificationView& view);
std::string verification_text(const VerificationView& view);
std::string verification_json(const VerificationView& view);
// The same document as a value (the server answers it without re-parsing).
nlohmann::json verification_json_value(const VerificationView& view);

}  // namespace sirtkit::report
