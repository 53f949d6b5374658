#include "pipelines/planning/verify_patient.h"

#include <cmath>
#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/date_time.h"
#include "core/error.h"
#include "dosimetry/metrics/dose_metrics.h"
#include "dosimetry/voxel/voxel_dose.h"
#include "image/geometry_check.h"
#include "image/resample.h"
#include "io/dicom/dicom_series.h"
#include "io/dicom/dicom_tags.h"
#include "io/file_hash.h"
#include "io/image/image_reader.h"
#include "io/image/nifti.h"
#include "report/planning/plan_verification.h"

namespace sirtkit::pipelines {
namespace {

using dosimetry::VoiRole;

// The delivered image on the dose grid: as it is, resampled in the same frame,
// or moved by a rigid registration onto the planning SPECT. Values are handled
// as densities while resampling, so counts per voxel follow the voxel volume.
image::Volume<float> on_dose_grid(const image::Volume<float>& delivered, const PlanOutcome& plan, VerifyOptions o,
                                  const std::string& delivered_frame, VerifyOutcome& out) {
  const image::Grid& grid = plan.model.mass_kg.grid;
  const bool counts = o.modality == PostModality::spect;
  if (!o.register_images && !delivered_frame.empty() && !plan.frame_of_reference_uid.empty() &&
      delivered_frame != plan.frame_of_reference_uid) {
    o.register_images = true;
    out.notes.push_back("the delivered image is in another frame of reference than the planning CT: registered automatically");
  }
  if (!o.register_images && image::grid_differences(delivered.grid, grid).empty()) return delivered;
  image::Volume<float> density = delivered;
  if (counts)
    for (float& v : density.data) v = static_cast<float>(v / delivered.grid.voxel_volume_ml());
  image::Volume<float> moved;
  if (o.register_images) {
    out.registration = io::register_rigid(plan.planning_counts, delivered);
    const io::RigidTransform t = *out.registration;
    moved = image::resample_linear(density, grid, 0.f, [t](const std::array<double, 3>& p) { return t.apply(p); });
    out.notes.push_back(fmt::format("delivered image registered rigidly onto the planning SPECT: translation ({:.2f}, {:.2f}, {:.2f}) mm, "
                                    "rotation ({:.2f}, {:.2f}, {:.2f}) deg",
                                    t.translation_mm[0], t.translation_mm[1], t.translation_mm[2], t.angles_rad[0] * 180 / M_PI,
                                    t.angles_rad[1] * 180 / M_PI, t.angles_rad[2] * 180 / M_PI));
  } else {
    moved = image::resample_linear(density, grid, 0.f);
    out.notes.push_back("delivered image resampled onto the dose grid in the same frame of reference (" +
                        image::describe(delivered.grid) + ")");
  }
  if (counts)
    for (float& v : moved.data) v = static_cast<float>(v * grid.voxel_volume_ml());
  return moved;
}

image::Mask liver_and_lungs(const dosimetry::DoseModel& m) {
  image::Mask out(m.mass_kg.grid, 0);
  for (const auto& v : m.vois)
    if (v.role == VoiRole::liver || v.role == VoiRole::lungs)
      for (std::size_t i = 0; i < out.data.size(); ++i) out.data[i] |= v.mask.data[i];
  return out;
}

std::pair<double, double> mean_and_d70(const image::Volume<float>& dose, const image::Volume<float>& mass, const image::Mask& m) {
  std::vector<float> d, w;
  for (std::size_t i = 0; i < m.data.size(); ++i)
    if (m.data[i]) {
      d.push_back(dose.data[i]);
      w.push_back(mass.data[i]);
    }
  if (d.empty()) return {0, 0};
  const auto r = dosimetry::dose_metrics(d, w, dose.grid.voxel_volume_ml(), {{70}, {}});
  return {r.mean_gy, r.d_at_percent[0].second};
}

// The delivered image as the dose engine needs it. A DICOM PET is brought to
// Bq/mL (SUVbw × injected dose / body weight, PS3.3 C.8.9.1) and its decay
// correction is read (PS3.3 C.8.9.1.1.4): ADMIN means the values already
// refer to the administration; START needs the hours from injection to the
// series start. NIfTI carries no units: the options say what it holds.
image::Volume<float> read_delivered(const VerifyOptions& o, std::optional<double>& hours, std::string& frame,
                                    std::vector<std::string>& notes) {
  if (!io::is_dicom_path(o.delivered) || o.modality != PostModality::pet) {
    io::LoadedImage image = io::read_image(o.delivered);
    frame = image.frame_of_reference_uid;
    return std::move(image.volume);
  }
  io::DicomVolume v = io::read_dicom_series(o.delivered);
  frame = v.frame_of_reference_uid;
  const std::string where = o.delivered.string();
  if (!v.pet) fail_input(where, "Modality (0008,0060)", io::dicom::shown_modality(v.modality), "--modality pet needs a PET series");
  const io::PetDecayInfo& pet = *v.pet;
  if (pet.units == "GML") {
    if (!(pet.injected_dose_bq > 0) || !(pet.patient_weight_kg > 0))
      fail_input(where, "RadionuclideTotalDose (0018,1074) / PatientWeight (0010,1030)", "missing",
                 "SUV values need both to become Bq/mL");
    const double to_bq_per_ml = pet.injected_dose_bq / (pet.patient_weight_kg * 1000.0);
    for (float& x : v.volume.data) x = static_cast<float>(x * to_bq_per_ml);
    notes.push_back(fmt::format("PET in SUVbw converted to Bq/mL with {} Bq injected and {} kg", pet.injected_dose_bq, pet.patient_weight_kg));
  } else if (pet.units != "BQML") {
    fail_input(where, "Units (0054,1001)", pet.units, "expected BQML or GML");
  }
  if (pet.decay_correction == "ADMIN") {
    if (hours && *hours != 0) fail_input(where, "--hours-after-injection", fmt::format("{}", *hours), "the PET is decay-corrected to the administration (ADMIN): give 0 or nothing");
    hours = 0.0;
    notes.push_back("PET decay-corrected to the administration (DecayCorrection ADMIN)");
  } else if (pet.decay_correction == "START") {
    if (!hours) fail_input(where, "--hours-after-injection", "(missing)", "the PET is decay-corrected to the series start (START): give the hours from injection to that start");
    notes.push_back(fmt::format("PET decay-corrected to the series start (time {}); {} h after injection", io::time_of_day(pet.reference_datetime), *hours));
  } else {
    if (!hours) fail_input(where, "--hours-after-injection", "(missing)", "the PET is not decay-corrected (NONE): give the hours from injection to the scan");
  }
  return std::move(v.volume);
}

}  // namespace

VerifyOutcome verify_patient(const PlanSpec& spec, const VerifyOptions& o) {
  VerifyOutcome out;
  out.modality = o.modality;
  out.delivered_input = {"delivered image", o.delivered.filename().string(), io::sha256_of_path(o.delivered)};
  out.plan = plan_patient(spec, o.administered_gbq);
  const PlanOutcome& plan = out.plan;
  const dosimetry::DoseModel& model = plan.model;
  const std::string where = o.delivered.string();

  std::optional<double> hours = o.hours_after_injection;
  std::string frame;
  const image::Volume<float> delivered_image = read_delivered(o, hours, frame, out.notes);
  const image::Volume<float> image = on_dose_grid(delivered_image, plan, o, frame, out);
  double administered = 0;
  for (double a : plan.result.evaluation.administered_gbq) administered += a;
  const image::Mask region = o.field_of_view_calibration ? image::Mask(image.grid, 1) : liver_and_lungs(model);
  if (o.modality == PostModality::pet) {
    if (!hours) fail_input(where, "--hours-after-injection", "(missing)", "a Y-90 PET needs its scan time after injection");
    out.delivered = dosimetry::pet_delivered_activity(image, *hours, spec.nuclide.half_life_h, region, where);
  } else {
    out.delivered = dosimetry::spect_delivered_activity(image, administered, region, where);
  }

  const double k = model.options.k_gy_kg_per_gbq;
  if (model.kernel) {
    dosimetry::KernelConvolution conv(image.grid.size, *model.kernel, model.options.threads);
    out.delivered_dose_gy = dosimetry::kernel_dose(out.delivered.activity_gbq, model.mass_kg, k, conv, model.options.voxel).dose_gy;
  } else {
    out.delivered_dose_gy = dosimetry::local_deposition_dose(out.delivered.activity_gbq, model.mass_kg, k, model.options.voxel).dose_gy;
    if (model.options.approach != dosimetry::Approach::voxel)
      out.notes.push_back("the plan used a compartment model; the delivered dose is computed by local deposition");
  }
  out.delivered.activity_gbq = {};

  out.notes.push_back("planned and delivered means here are both mass-weighted means of the dose maps (the lungs too, "
                      "unlike the plan's package-insert lung formula)");
  std::vector<double> planned_tumour, delivered_tumour, planned_tn, delivered_tn;
  for (const auto& voi : model.vois) {
    const auto [pm, pd] = mean_and_d70(plan.dose_gy, model.mass_kg, voi.mask);
    const auto [dm, dd] = mean_and_d70(out.delivered_dose_gy, model.mass_kg, voi.mask);
    out.vois.push_back({voi.name, dosimetry::role_name(voi.role), pm, dm, pd, dd});
    if (voi.role != VoiRole::tumour) continue;
    const std::string normal = dosimetry::normal_reference_name(model, voi.mask);
    const auto& nm = model.voi(normal).mask;
    const double pn = mean_and_d70(plan.dose_gy, model.mass_kg, nm).first;
    const double dn = mean_and_d70(out.delivered_dose_gy, model.mass_kg, nm).first;
    out.tn.push_back({voi.name, normal, pn > 0 ? pm / pn : NAN, dn > 0 ? dm / dn : NAN});
    planned_tumour.push_back(pm);
    delivered_tumour.push_back(dm);
    planned_tn.push_back(out.tn.back().planned);
    delivered_tn.push_back(out.tn.back().delivered);
  }
  if (planned_tumour.size() >= 2) {
    out.tumour_dose = stats::paired_agreement(planned_tumour, delivered_tumour);
    out.tumour_tn = stats::paired_agreement(planned_tn, delivered_tn);
  } else {
    out.notes.push_back("fewer than 2 tumours: no paired summary across lesions");
  }
  return out;
}

report::VerificationView verification_view(const VerifyOutcome& v, const std::string& operator_name) {
  report::VerificationView r;
  r.patient_id = v.plan.context.patient_id;
  r.plan_file = v.plan.context.plan_file;
  r.delivered_file = v.delivered_input.name;
  r.modality = v.modality == PostModality::pet ? "Y-90 PET" : "Y-90 bremsstrahlung SPECT";
  r.generated_utc = format_iso(now_utc());
  r.operator_name = operator_name;
  r.inputs = v.plan.context.inputs;
  r.inputs.push_back(v.delivered_input);
  r.administered_gbq = v.plan.result.evaluation.administered_gbq;
  r.delivered_region_gbq = v.delivered.region_gbq;
  r.delivered_total_gbq = v.delivered.total_gbq;
  r.delivered_gbq_per_unit = v.delivered.gbq_per_unit;
  if (v.registration)
    r.registration = report::VerificationRegistration{v.registration->translation_mm, v.registration->angles_rad,
                                                      v.registration->centre_mm, v.registration->final_metric};
  r.vois = v.vois;
  r.ratios = v.tn;
  r.tumour_dose = v.tumour_dose;
  r.tumour_ratio = v.tumour_tn;
  r.notes = v.notes;
  r.mass_kg = &v.plan.model.mass_kg;
  r.planned_dose_gy = &v.plan.dose_gy;
  r.delivered_dose_gy = &v.delivered_dose_gy;
  return r;
}

void write_verify_outputs(const VerifyOutcome& v, const std::filesystem::path& folder, const std::string& operator_name) {
  const report::VerificationView view = verification_view(v, operator_name);
  const std::string json = report::verification_json(view);
  const std::string pdf = report::verification_pdf(view);
  OutputFolder out(folder);  // every file or none (core/atomic_file.h)
  io::write_nifti(out.file("delivered_dose.nii.gz"), v.delivered_dose_gy);
  out.write("verification.json", json);
  out.write("report.pdf", pdf);
  out.commit();
}

}  // namespace sirtkit::pipelines
