#include <cstdio>
#include <filesystem>
#include <optional>

#include "cli/commands.h"
#include "cli/json_text_output.h"
#include "core/error.h"
#include "pipelines/planning/dose_calculators.h"
#include "pipelines/planning/dose_map.h"
#include "core/atomic_file.h"
#include "io/image/nifti.h"
#include "pipelines/planning/phantom.h"
#include "pipelines/planning/plan_file.h"
#include "pipelines/planning/plan_patient.h"
#include "pipelines/planning/verify_patient.h"
#include "report/planning/dose_calculations.h"
#include "report/planning/plan_report.h"
#include "report/planning/plan_verification.h"

namespace sirtkit::cli {
namespace {

struct PlanArgs {
  std::string plan_file;
  std::string out;
  bool json = false;
  std::vector<double> activities;
  std::string operator_name;
};

// The operator is printed in the reports: a name of at most 64 printable
// characters (no control characters that could forge a line of the report).
void check_operator(const std::string& name, const std::string& command) {
  if (name.size() > 64) fail_input(command, "--operator", std::to_string(name.size()) + " characters", "a name of at most 64 characters");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F) fail_input(command, "--operator", "(a control character)", "printable text");
}

// Numbers given on the command line are held to the plan file's ranges
// (pipelines/planning/plan_file.h), so NaN, infinities, negative or absurd values are
// refused before anything is read or written.
void check_activities(const std::vector<double>& activities, const std::string& command) {
  for (double a : activities) pipelines::check_in_range(a, pipelines::kActivityRangeGbq, command, "--activity");
}

void check_optional(const std::optional<double>& v, const pipelines::NumberRange& range, const std::string& command,
                    const std::string& option) {
  if (v) pipelines::check_in_range(*v, range, command, option);
}

void run_plan(const PlanArgs& a) {
  check_activities(a.activities, "sirtkit plan");
  check_operator(a.operator_name, "sirtkit plan");
  const pipelines::PlanSpec spec = pipelines::read_plan_file(a.plan_file);
  pipelines::PlanOutcome outcome = pipelines::plan_patient(spec, a.activities);
  outcome.context.operator_name = a.operator_name;
  const report::PlanView view{outcome.context, outcome.model, outcome.result, outcome.vials, &outcome.dose_gy};
  if (!a.out.empty()) pipelines::write_plan_outputs(outcome, a.out);
  const std::string text = a.json ? report::plan_json(view) : report::plan_summary_text(view);
  std::fputs(text.c_str(), stdout);
  if (!a.out.empty() && !a.json) std::printf("wrote %s/{dose.nii.gz, dvh.csv, plan.json, report.html, report.pdf}\n", a.out.c_str());
  set_exit_code(pipelines::plan_is_deliverable(outcome) ? 0 : 3);
}

struct CalcArgs {
  double dose_gy = 0, mass_kg = 0, lsf = 0, residual = 0, lung_mass_kg = 1.0, activity_gbq = 0, normal_mass_kg = 0;
  double height_m = 0, weight_kg = 0, tumour_ml = 0, liver_ml = 0, perfused_fraction = 1;
  double alpha_beta_gy = 0, repair_h = 0, half_life_h = 64.1, mean_energy_mev = 0.9367;
  std::optional<double> k, hours, to_gbq;
  std::vector<std::string> tumours;
  bool json = false;

  pipelines::DoseConstantChoice dose_constant() const { return {k, half_life_h, mean_energy_mev}; }
};

// calc only: reference activity of a decay, hours from the reference
// (negative: before it; 10000 h is 156 Y-90 half-lives), volumes for BSA.
constexpr pipelines::NumberRange kDecayActivityRangeGbq{1e-6, 1000, "activity"};
constexpr pipelines::NumberRange kDecayHoursRange{-10000, 10000, "hours from the reference"};
constexpr pipelines::NumberRange kLiverVolumeRangeMl{0, 10000, "liver volume"};

// The Y-90 data and dose constant options shared by mird and partition.
void check_constant_options(const CalcArgs& a, const std::string& command) {
  check_optional(a.k, pipelines::kDoseConstantRange, command, "--k");
  pipelines::check_in_range(a.half_life_h, pipelines::kHalfLifeRangeH, command, "--half-life-h");
  pipelines::check_in_range(a.mean_energy_mev, pipelines::kMeanBetaEnergyRangeMev, command, "--mean-energy-mev");
}

void add_constant_options(CLI::App* c, CalcArgs& a) {
  c->add_option("--k", a.k, "dose constant in Gy·kg/GBq (default: from the Y-90 data, 49.963; the glass insert uses 50)");
  c->add_option("--half-life-h", a.half_life_h, "Y-90 half-life (TheraSphere insert)")->capture_default_str();
  c->add_option("--mean-energy-mev", a.mean_energy_mev, "Y-90 mean beta energy (TheraSphere insert)")->capture_default_str();
  c->add_flag("--json", a.json, "print every number as JSON");
}

void add_calc_commands(CLI::App& app) {
  auto a = std::make_shared<CalcArgs>();
  CLI::App* calc = app.add_subcommand("calc", "Closed-form dosimetry calculations (MIRD, partition, BSA, decay, BED)");
  calc->require_subcommand(1);

  CLI::App* mird = calc->add_subcommand("mird", "Package-insert MIRD: activity for a perfused-liver dose, and the lung dose");
  mird->add_option("--dose-gy", a->dose_gy, "target dose to the perfused liver")->required();
  mird->add_option("--mass-kg", a->mass_kg, "perfused liver mass")->required();
  mird->add_option("--lsf", a->lsf, "lung shunt fraction (0.05 = 5 %)")->required();
  mird->add_option("--residual", a->residual, "residual fraction in vial and tubing")->capture_default_str();
  mird->add_option("--lung-mass-kg", a->lung_mass_kg, "lung mass (insert default 1 kg)")->capture_default_str();
  add_constant_options(mird, *a);
  mird->callback([a] {
    check_constant_options(*a, "sirtkit calc mird");
    pipelines::check_in_range(a->dose_gy, pipelines::kPerfusedLiverDoseRangeGy, "sirtkit calc mird", "--dose-gy");
    print_json_or_text(report::mird_output(pipelines::calc_mird(a->dose_gy, a->mass_kg, a->lsf, a->residual, a->lung_mass_kg, a->dose_constant())), a->json); });

  CLI::App* part = calc->add_subcommand("partition", "Partition model: tumour, normal-liver and lung doses");
  part->add_option("--activity-gbq", a->activity_gbq, "administered activity")->required();
  part->add_option("--lsf", a->lsf, "lung shunt fraction")->required();
  part->add_option("--tumour", a->tumours, "name:mass_kg:tn_ratio (repeat for several)")->required();
  part->add_option("--normal-mass-kg", a->normal_mass_kg, "perfused normal liver mass")->required();
  part->add_option("--lung-mass-kg", a->lung_mass_kg, "lung mass")->capture_default_str();
  add_constant_options(part, *a);
  part->callback([a] {
    check_constant_options(*a, "sirtkit calc partition");
    std::vector<pipelines::TumourArg> t;
    for (const auto& s : a->tumours) t.push_back(pipelines::parse_tumour_arg(s));
    print_json_or_text(report::partition_output(pipelines::calc_partition(a->activity_gbq, a->lsf, t, a->normal_mass_kg, a->lung_mass_kg, a->dose_constant())),
                       a->json);
  });

  CLI::App* decay = calc->add_subcommand("decay", "Y-90 decay: activity after a time, or time to reach an activity");
  decay->add_option("--activity-gbq", a->activity_gbq, "activity at the reference time")->required();
  decay->add_option("--hours", a->hours, "hours after the reference");
  decay->add_option("--to-gbq", a->to_gbq, "activity to reach");
  decay->add_option("--half-life-h", a->half_life_h, "Y-90 half-life")->capture_default_str();
  decay->add_flag("--json", a->json, "print every number as JSON");
  decay->callback([a] {
    const std::string cmd = "sirtkit calc decay";
    pipelines::check_in_range(a->activity_gbq, kDecayActivityRangeGbq, cmd, "--activity-gbq");
    check_optional(a->to_gbq, kDecayActivityRangeGbq, cmd, "--to-gbq");
    check_optional(a->hours, kDecayHoursRange, cmd, "--hours");
    pipelines::check_in_range(a->half_life_h, pipelines::kHalfLifeRangeH, cmd, "--half-life-h");
    print_json_or_text(report::decay_output(pipelines::calc_decay(a->activity_gbq, a->hours, a->to_gbq, a->half_life_h)), a->json); });

  CLI::App* bsa = calc->add_subcommand("bsa", "Resin BSA method (Du Bois BSA, IFU lung-shunt reductions)");
  bsa->add_option("--height-m", a->height_m)->required();
  bsa->add_option("--weight-kg", a->weight_kg)->required();
  bsa->add_option("--tumour-ml", a->tumour_ml, "tumour volume")->required();
  bsa->add_option("--liver-ml", a->liver_ml, "whole liver volume, tumours included")->required();
  bsa->add_option("--perfused-fraction", a->perfused_fraction, "share of the liver treated (lobar < 1)")->capture_default_str();
  bsa->add_option("--lsf", a->lsf, "lung shunt fraction")->capture_default_str();
  bsa->add_flag("--json", a->json, "print every number as JSON");
  bsa->callback([a] {
    pipelines::check_in_range(a->tumour_ml, kLiverVolumeRangeMl, "sirtkit calc bsa", "--tumour-ml");
    pipelines::check_in_range(a->liver_ml, kLiverVolumeRangeMl, "sirtkit calc bsa", "--liver-ml");
    print_json_or_text(report::bsa_output(pipelines::calc_bsa(a->height_m, a->weight_kg, a->tumour_ml, a->liver_ml, a->perfused_fraction, a->lsf)), a->json); });

  CLI::App* bed = calc->add_subcommand("bed", "Biologically effective dose of a Y-90 permanent implant (Dale)");
  bed->add_option("--dose-gy", a->dose_gy)->required();
  bed->add_option("--alpha-beta-gy", a->alpha_beta_gy)->required();
  bed->add_option("--repair-half-time-h", a->repair_h)->required();
  bed->add_option("--half-life-h", a->half_life_h, "Y-90 half-life")->capture_default_str();
  bed->add_flag("--json", a->json, "print every number as JSON");
  bed->callback([a] {
    const std::string cmd = "sirtkit calc bed";
    pipelines::check_in_range(a->dose_gy, pipelines::kDoseRangeGy, cmd, "--dose-gy");
    pipelines::check_in_range(a->alpha_beta_gy, pipelines::kAlphaBetaRangeGy, cmd, "--alpha-beta-gy");
    pipelines::check_in_range(a->repair_h, pipelines::kRepairHalfTimeRangeH, cmd, "--repair-half-time-h");
    pipelines::check_in_range(a->half_life_h, pipelines::kHalfLifeRangeH, cmd, "--half-life-h");
    print_json_or_text(report::bed_output(pipelines::calc_bed(a->dose_gy, a->alpha_beta_gy, a->repair_h, a->half_life_h)), a->json); });
}

struct DvhArgs : JsonTextOutput {
  std::string dose, labels;
  std::vector<std::string> masks, vois;
  std::vector<double> d_percents{2, 50, 70, 95, 98}, v_gy{100, 120, 150, 205};
};

void add_dvh_command(CLI::App& app) {
  auto a = std::make_shared<DvhArgs>();
  CLI::App* c = app.add_subcommand("dvh", "Dose-volume metrics of a dose map (NIfTI, Gy) over masks or label groups");
  c->add_option("dose", a->dose, "dose map in Gy")->required();
  c->add_option("--mask", a->masks, "name=mask.nii.gz (repeat)");
  c->add_option("--labels", a->labels, "label map for --voi");
  c->add_option("--voi", a->vois, "name=1,2 : labels of the label map (repeat)");
  c->add_option("--d", a->d_percents, "Dx percents")->capture_default_str();
  c->add_option("--v", a->v_gy, "Vx thresholds in Gy")->capture_default_str();
  add_json_text_output(c, *a, "dvh.json");
  c->callback([a] {
    for (double d : a->d_percents) pipelines::check_in_range(d, pipelines::kDosePercentRange, "sirtkit dvh", "--d");
    for (double v : a->v_gy) pipelines::check_in_range(v, pipelines::kDoseRangeGy, "sirtkit dvh", "--v");
    std::optional<std::filesystem::path> labels;
    if (!a->labels.empty()) labels = a->labels;
    emit_json_text(*a, report::dvh_output(pipelines::calc_dvh(a->dose, a->masks, labels, a->vois, a->d_percents, a->v_gy)), "dvh.json");
  });
}

struct VerifyArgs {
  std::string plan_file, delivered, modality = "spect", out, operator_name;
  std::optional<double> hours;
  std::vector<double> activities;
  bool fov = false, register_images = false, json = false;
};

void add_verify_command(CLI::App& app) {
  auto a = std::make_shared<VerifyArgs>();
  CLI::App* c = app.add_subcommand("verify", "Compare the planned dose with the dose delivered, from a post-treatment Y-90 PET or SPECT");
  c->add_option("plan_file", a->plan_file, "the plan file of the treatment")->required();
  c->add_option("--delivered", a->delivered, "post-treatment image (NIfTI): PET in Bq/mL or SPECT counts")->required();
  c->add_option("--modality", a->modality, "pet or spect")->capture_default_str();
  c->add_option("--hours-after-injection", a->hours, "PET: scan time after injection (decay correction)");
  c->add_option("--activity", a->activities, "administered activity per injection in GBq (default: the plan's prescription)");
  c->add_flag("--fov-calibration", a->fov, "SPECT: self-calibrate over the whole field of view instead of liver + lungs");
  c->add_flag("--register", a->register_images, "register the delivered image rigidly onto the planning SPECT first");
  c->add_option("--out", a->out, "write delivered_dose.nii.gz, verification.json and report.pdf into this folder");
  c->add_option("--operator", a->operator_name, "who verifies (printed in report.pdf)");
  c->add_flag("--json", a->json, "print every number as JSON");
  c->callback([a] {
    check_operator(a->operator_name, "sirtkit verify");
    check_activities(a->activities, "sirtkit verify");
    check_optional(a->hours, pipelines::kScanHoursRange, "sirtkit verify", "--hours-after-injection");
    pipelines::VerifyOptions o;
    o.delivered = a->delivered;
    if (a->modality != "pet" && a->modality != "spect")
      fail_input("sirtkit verify", "--modality", "\"" + a->modality + "\"", "expected pet or spect");
    o.modality = a->modality == "pet" ? pipelines::PostModality::pet : pipelines::PostModality::spect;
    o.hours_after_injection = a->hours;
    o.administered_gbq = a->activities;
    o.field_of_view_calibration = a->fov;
    o.register_images = a->register_images;
    const auto v = pipelines::verify_patient(pipelines::read_plan_file(a->plan_file), o);
    if (!a->out.empty()) pipelines::write_verify_outputs(v, a->out, a->operator_name);
    const report::VerificationView view = pipelines::verification_view(v, a->operator_name);
    const std::string text = a->json ? report::verification_json(view) : report::verification_text(view);
    std::fputs(text.c_str(), stdout);
  });
}

struct DoseArgs {
  std::string activity, units = "gbq-per-voxel", ct, ct_units = "HU", out, method = "local_deposition";
  std::optional<double> total_gbq, hours, density, k;
  double half_life_h = 64.1, mean_energy_mev = 0.9367, min_density = 0.05;
  bool json = false;
};

void add_dose_command(CLI::App& app) {
  auto a = std::make_shared<DoseArgs>();
  CLI::App* c = app.add_subcommand("dose", "Absorbed dose map from a Y-90 activity image (local deposition or kernel)");
  c->add_option("activity", a->activity, "activity image (NIfTI)")->required();
  c->add_option("--units", a->units, "gbq-per-voxel, bq-per-ml or counts")->capture_default_str();
  c->add_option("--total-gbq", a->total_gbq, "counts: the administered activity the image is calibrated to");
  c->add_option("--hours-after-injection", a->hours, "bq-per-ml: scan time after injection (decay correction)");
  c->add_option("--ct", a->ct, "CT in HU on the same grid, for tissue density (checked to look like HU)");
  c->add_option("--ct-units", a->ct_units, "what the CT holds: HU, or g/mL (mass densities)")->capture_default_str();
  c->add_option("--density-g-per-ml", a->density, "or a uniform stated density");
  c->add_option("--method", a->method, "local_deposition or kernel")->capture_default_str();
  c->add_option("--k", a->k, "dose constant in Gy·kg/GBq (default: from the Y-90 data)");
  c->add_option("--half-life-h", a->half_life_h)->capture_default_str();
  c->add_option("--min-density-g-per-ml", a->min_density, "voxels lighter than this get no dose (reported)")->capture_default_str();
  c->add_option("--out", a->out, "dose map to write (NIfTI, Gy)");
  c->add_flag("--json", a->json, "print every number as JSON");
  c->callback([a] {
    if (a->method != "local_deposition" && a->method != "kernel")
      fail_input("sirtkit dose", "--method", "\"" + a->method + "\"", "expected local_deposition or kernel");
    const std::string cmd = "sirtkit dose";
    check_optional(a->total_gbq, pipelines::kActivityRangeGbq, cmd, "--total-gbq");
    check_optional(a->hours, pipelines::kScanHoursRange, cmd, "--hours-after-injection");
    check_optional(a->density, pipelines::kDensityRangeGPerMl, cmd, "--density-g-per-ml");
    check_optional(a->k, pipelines::kDoseConstantRange, cmd, "--k");
    pipelines::check_in_range(a->half_life_h, pipelines::kHalfLifeRangeH, cmd, "--half-life-h");
    pipelines::check_in_range(a->min_density, pipelines::kDensityFloorRangeGPerMl, cmd, "--min-density-g-per-ml");
    pipelines::DoseMapOptions o;
    o.activity = a->activity;
    o.units = pipelines::parse_activity_units(a->units);
    o.total_gbq = a->total_gbq;
    o.hours_after_injection = a->hours;
    if (!a->ct.empty()) o.ct = a->ct;
    if (a->ct_units != "HU" && a->ct_units != "g/mL")
      fail_input(cmd, "--ct-units", "\"" + a->ct_units + "\"", "expected HU or g/mL");
    o.ct_units = a->ct_units == "HU" ? pipelines::CtUnits::hounsfield : pipelines::CtUnits::g_per_ml;
    o.density_g_per_ml = a->density;
    o.kernel = a->method == "kernel";
    o.dose_constant = {a->k, a->half_life_h, a->mean_energy_mev};
    o.min_density_g_per_ml = a->min_density;
    const auto r = pipelines::dose_map(o);
    if (!a->out.empty()) io::write_nifti(a->out, r.dose_gy);
    print_json_or_text(report::dose_map_output(r.summary), a->json);
  });
}

}  // namespace

void add_dosimetry_commands(CLI::App& app) {
  add_dose_command(app);
  add_verify_command(app);
  add_calc_commands(app);
  add_dvh_command(app);
  auto args = std::make_shared<PlanArgs>();
  CLI::App* plan = app.add_subcommand("plan", "Plan a Y-90 treatment from a plan file (MAA SPECT/CT, VOIs, goals, constraints)");
  plan->add_option("plan_file", args->plan_file, "plan file (TOML)")->required();
  plan->add_option("--out", args->out, "write dose.nii.gz, dvh.csv, plan.json, report.html and report.pdf into this folder");
  plan->add_option("--operator", args->operator_name, "who runs the plan, named in plan.json and the reports");
  plan->add_flag("--json", args->json, "print every number as JSON (schema sirtkit.plan/1)");
  plan->add_option("--activity", args->activities,
                   "what if: administered activity in GBq for each injection, in plan order (repeat for several)");
  plan->callback([args] { run_plan(*args); });

  auto folder = std::make_shared<std::string>();
  auto seed = std::make_shared<std::uint64_t>(pipelines::PhantomOptions{}.seed);
  CLI::App* phantom = app.add_subcommand("phantom", "Write the digital demo patient (CT, MAA SPECT, labels, plan files)");
  phantom->add_option("--out", *folder, "output folder")->required();
  phantom->add_option("--seed", *seed, "seed of the Poisson noise");
  phantom->callback([folder, seed] {
    pipelines::PhantomOptions o;
    o.seed = *seed;
    pipelines::write_phantom(*folder, o);
    std::printf("wrote %s/{ct, maa_spect, labels, territory_right}.nii.gz, plan.toml, plan_standard.toml\n", folder->c_str());
  });
}

}  // namespace sirtkit::cli
