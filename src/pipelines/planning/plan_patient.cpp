#include "pipelines/planning/plan_patient.h"

#include <chrono>
#include <fmt/format.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/progress.h"
#include "core/date_time.h"
#include "dosimetry/metrics/voi_doses.h"
#include "io/file_hash.h"
#include "io/image/nifti.h"
#include "pipelines/planning/patient_loader.h"

namespace sirtkit::pipelines {
namespace {

dosimetry::LungShunt lung_shunt_of(const PlanSpec& spec, const dosimetry::PatientData& data) {
  const std::string where = spec.file.string();
  if (spec.lung_shunt_method == "stated") return {*spec.stated_lung_shunt_fraction, "stated"};
  if (spec.lung_shunt_method == "planar")
    return {dosimetry::planar_lung_shunt(*spec.planar_counts, where + ": lung_shunt"), "planar geometric mean"};
  return dosimetry::spect_lung_shunt_of(data, where);
}

// BSA (resin): the activity per injection from body surface area and tumour
// involvement, times the injection's share of the liver volume.
std::vector<double> bsa_activities(const PlanSpec& spec, const dosimetry::DoseModel& model,
                                   std::optional<dosimetry::BsaPrescription>& shown) {
  const auto count = [&](const std::string& name) { return static_cast<double>(dosimetry::voxel_count(model.voi(name).mask)); };
  double liver = 0, tumour = 0;
  for (const dosimetry::Voi& v : model.vois) {
    if (v.role == dosimetry::VoiRole::liver) liver += dosimetry::voxel_count(v.mask);
    if (v.role == dosimetry::VoiRole::tumour) tumour += dosimetry::voxel_count(v.mask);
  }
  const double voxel_ml = model.mass_kg.grid.voxel_volume_ml();
  std::vector<double> out;
  for (const dosimetry::Injection& inj : model.injections) {
    const double perfused_fraction = count(dosimetry::perfused_liver_name(inj.name)) / liver;
    auto p = dosimetry::bsa_prescription(*spec.height_m, *spec.weight_kg, tumour * voxel_ml, (liver - tumour) * voxel_ml,
                                         perfused_fraction, model.lung_shunt.fraction);
    if (!p.reduction.treatment_allowed)
      throw Error(ErrorCategory::infeasible, fmt::format("{}: lung shunt {:.1f} %: {}", spec.file.string(),
                                                         100 * model.lung_shunt.fraction, p.reduction.rule));
    out.push_back(p.activity_gbq);  // the activity the patient receives; the vial holds it plus residual
    if (!shown) shown = p;
  }
  return out;
}

// Every file the plan read, by name without folders, with its SHA-256.
std::vector<report::InputFile> input_files(const PlanSpec& spec) {
  std::vector<report::InputFile> files;
  const auto add = [&](const std::string& role, const std::filesystem::path& p) {
    files.push_back({role, p.filename().string(), io::sha256_of_path(p)});
  };
  add("plan file", spec.file);
  add("CT", spec.ct);
  add("SPECT", spec.spect);
  if (spec.labels) add("labels", *spec.labels);
  for (const VoiSpec& v : spec.vois) {
    if (v.mask) add("mask of " + v.name, *v.mask);
    if (v.rtstruct) add("RTSTRUCT of " + v.name, *v.rtstruct);
  }
  return files;
}

}  // namespace

PreparedPlan prepare_plan(const PlanSpec& spec) {
  const Progress progress = Progress::for_terminal();
  progress.step("reading images");
  LoadedPatient patient = load_patient(spec);
  progress.step("computing dose");
  dosimetry::validate_patient_data(patient.data, spec.file.string());
  const dosimetry::LungShunt lsf = lung_shunt_of(spec, patient.data);
  PreparedPlan out;
  out.model = dosimetry::build_dose_model(patient.data, spec.injections, lsf, spec.model, spec.file.string());

  report::PlanContext& c = out.context;
  c.patient_id = spec.patient_id;
  c.generated_utc = format_iso(now_utc());
  c.inputs = input_files(spec);
  // The file's name only: a folder named after the patient must not reach a report.
  c.plan_file = spec.file.filename().string();
  c.device = spec.device.kind == dosimetry::DeviceKind::glass ? "glass" : "resin";
  c.approach = spec.method == PlanSpec::Method::bsa ? "BSA (resin), doses by the partition model"
                                                     : dosimetry::approach_name(spec.model.approach);
  c.dose_constant_source = spec.dose_constant_source;
  c.half_life_h = spec.nuclide.half_life_h;
  c.mean_energy_mev = spec.nuclide.mean_energy_mev;
  c.notes = patient.notes;
  c.tumour_radiobiology = spec.rules.tumour_radiobiology;
  c.normal_radiobiology = spec.rules.normal_radiobiology;
  c.liver_ntcp = spec.rules.liver_ntcp;
  c.tumour_tcp = spec.rules.tumour_tcp;
  out.planning_counts = std::move(patient.data.counts);
  out.frame_of_reference_uid = patient.frame_of_reference_uid;
  progress.done();
  return out;
}

PlanDecision decide_plan(const PlanSpec& spec, const dosimetry::DoseModel& model, const std::vector<double>& what_if_gbq) {
  return decide_plan(spec, dosimetry::VoiDoses(model), what_if_gbq);
}

PlanDecision decide_plan(const PlanSpec& spec, const dosimetry::VoiDoses& voi_doses, const std::vector<double>& what_if_gbq,
                         bool voxel_radiobiology) {
  const dosimetry::DoseModel& model = voi_doses.model();
  if (!what_if_gbq.empty() && what_if_gbq.size() != spec.injections.size())
    fail_input("--activity", "count", std::to_string(what_if_gbq.size()),
               fmt::format("give one activity per injection ({})", spec.injections.size()));
  PlanDecision out;
  dosimetry::PlanRules rules = spec.rules;
  rules.voxel_radiobiology = voxel_radiobiology;
  if (!what_if_gbq.empty()) {
    for (std::size_t k = 0; k < rules.injections.size(); ++k) rules.injections[k].activity_gbq = what_if_gbq[k];
  } else if (spec.method == PlanSpec::Method::bsa) {
    const auto a = bsa_activities(spec, model, out.bsa);
    for (std::size_t k = 0; k < rules.injections.size(); ++k) rules.injections[k].activity_gbq = a[k];
  } else if (const auto limit = dosimetry::device_limit(spec.device, spec.window)) {
    // Resin: no injection can be given more than its vial holds at the injection time.
    for (auto& r : rules.injections) r.device_max_gbq = limit->max_administered_gbq;
    rules.device_limit = limit->description;
  }
  out.result = dosimetry::plan_activities(voi_doses, rules);
  if (spec.method == PlanSpec::Method::bsa && what_if_gbq.empty())
    out.result.findings.insert(out.result.findings.begin(), "activities prescribed by the BSA method; doses evaluated by the partition model");
  // Vials are chosen only for a deliverable plan: an infeasible plan orders nothing.
  // A glass vial moved into working hours delivers another activity: it is usable
  // only if that activity keeps every constraint (and every goal the plan claims),
  // the other injections as prescribed.
  const std::vector<double> prescribed = out.result.evaluation.administered_gbq;
  const bool claims_goals = out.result.status == dosimetry::PlanStatus::aims_met ||
                            out.result.status == dosimetry::PlanStatus::reduced_by_constraint;
  const auto verdict = [&](const std::vector<double>& delivered) -> std::string {
    const dosimetry::Evaluation e = dosimetry::evaluate_checks(voi_doses, rules, delivered);
    for (const auto& c : e.constraints)
      if (!c.met) return fmt::format("it would break '{}' ({:.2f} Gy)", c.label, c.value_gy);
    if (claims_goals)
      for (const auto& g : e.goals)
        if (!g.met) return fmt::format("it would miss '{}' ({:.2f} Gy)", g.label, g.value_gy);
    return "";
  };
  for (std::size_t k = 0; k < prescribed.size(); ++k) {
    const double a = prescribed[k];
    if (dosimetry::plan_status_deliverable(out.result.status)) {
      out.vials.push_back(dosimetry::choose_vial(a, spec.device, spec.window, [&](double delivered_gbq) {
        std::vector<double> d = prescribed;
        d[k] = delivered_gbq;
        return verdict(d);
      }));
    } else {
      dosimetry::VialChoice none;
      none.needed_vial_activity_gbq = a / (1.0 - spec.device.residual_fraction);
      out.vials.push_back(none);
    }
  }
  dosimetry::settle_vials(out.result, model.injections, out.vials);
  // Several vials moved at once: what they deliver together must hold too.
  if (dosimetry::plan_status_deliverable(out.result.status)) {
    std::vector<double> delivered = prescribed;
    bool moved = false;
    for (std::size_t k = 0; k < out.vials.size(); ++k)
      if (out.vials[k].chosen && out.vials[k].chosen->activity_deviation_percent != 0) {
        delivered[k] = out.vials[k].chosen->vial_activity_at_injection_gbq * (1.0 - spec.device.residual_fraction);
        moved = true;
      }
    if (moved) {
      if (const std::string why = verdict(delivered); !why.empty()) {
        out.result.status = dosimetry::PlanStatus::no_vial;
        std::string shown;
        for (double x : delivered) shown += fmt::format("{}{:.3f}", shown.empty() ? "" : " + ", x);
        out.result.findings.push_back("the vials moved into working hours deliver " + shown + " GBq together: " + why);
        for (auto& v : out.vials) v.chosen.reset();
      }
    }
  }
  return out;
}

PlanOutcome plan_patient(const PlanSpec& spec, const std::vector<double>& what_if_gbq) {
  const auto start = std::chrono::steady_clock::now();
  if (!what_if_gbq.empty() && what_if_gbq.size() != spec.injections.size())
    fail_input("--activity", "count", std::to_string(what_if_gbq.size()),
               fmt::format("give one activity per injection ({})", spec.injections.size()));
  PreparedPlan prepared = prepare_plan(spec);
  PlanDecision decision = decide_plan(spec, prepared.model, what_if_gbq);
  PlanOutcome out;
  out.context = std::move(prepared.context);
  out.context.bsa = decision.bsa;
  out.model = std::move(prepared.model);
  out.result = std::move(decision.result);
  out.vials = std::move(decision.vials);
  out.dose_gy = dosimetry::combined_dose(out.model, out.result.evaluation.administered_gbq);
  out.planning_counts = std::move(prepared.planning_counts);
  out.frame_of_reference_uid = std::move(prepared.frame_of_reference_uid);
  out.context.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

bool plan_is_deliverable(const PlanOutcome& o) { return dosimetry::plan_status_deliverable(o.result.status); }

void write_plan_outputs(const PlanOutcome& o, const std::filesystem::path& folder) {
  const report::PlanView view{o.context, o.model, o.result, o.vials, &o.dose_gy};
  // Render everything first, so a failure cannot leave half of the files.
  const std::string json = report::plan_json(view);
  const std::string csv = report::dvh_csv(o.result.evaluation);
  const std::string html = report::plan_html(view);
  const std::string pdf = report::plan_pdf(view);
  OutputFolder out(folder);  // all five files or none (core/atomic_file.h)
  io::write_nifti(out.file("dose.nii.gz"), o.dose_gy);
  out.write("dvh.csv", csv);
  out.write("plan.json", json);
  out.write("report.html", html);
  out.write("report.pdf", pdf);
  out.commit();
}

}  // namespace sirtkit::pipelines
