#include "pipelines/planning/plan_file.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/format.h"
#include "io/text_formats/toml_reader.h"

namespace sirtkit::pipelines {
namespace {

using io::TomlTable;

[[noreturn]] void bad(const TomlTable& t, const std::string& key, const std::string& value, const std::string& expected) {
  fail_input(t.file(), t.key_path(key), value, expected);
}

std::string range_text(const NumberRange& r) {
  return fmt::format("{} must be within {}{}, {}]", r.what, r.lo_excluded ? "(" : "[", r.lo, r.hi);
}

bool within(double v, const NumberRange& r) { return (r.lo_excluded ? v > r.lo : v >= r.lo) && v <= r.hi; }

double in_range(TomlTable& t, const std::string& key, double lo, double hi, const std::string& what) {
  const double v = t.number(key);
  if (!(v >= lo && v <= hi)) bad(t, key, num(v), range_text({lo, hi, what.c_str()}));
  return v;
}

double in_range(TomlTable& t, const std::string& key, const NumberRange& r) {
  const double v = t.number(key);
  if (!within(v, r)) bad(t, key, num(v), range_text(r));
  return v;
}

std::optional<double> optional_in_range(TomlTable& t, const std::string& key, double lo, double hi, const std::string& what) {
  if (!t.has(key)) {
    t.optional_number(key);
    return std::nullopt;
  }
  return in_range(t, key, lo, hi, what);
}

std::optional<double> optional_in_range(TomlTable& t, const std::string& key, const NumberRange& r) {
  if (!t.has(key)) {
    t.optional_number(key);
    return std::nullopt;
  }
  return in_range(t, key, r);
}

template <typename E>
E choice(TomlTable& t, const std::string& key, const std::vector<std::pair<std::string, E>>& options,
         std::optional<E> fallback = std::nullopt) {
  const auto text = t.optional_string(key);
  if (!text && fallback) return *fallback;
  std::string names;
  for (const auto& [name, value] : options) {
    if (text && *text == name) return value;
    names += (names.empty() ? "\"" : ", \"") + name + "\"";
  }
  bad(t, key, text ? "\"" + *text + "\"" : "(missing)", "expected one of " + names);
}

std::filesystem::path file_path(TomlTable& t, const std::string& key) {
  std::filesystem::path p = t.string(key);
  if (p.is_relative()) p = t.folder() / p;
  return p;
}

// [patient]: the identifier; height and weight (the BSA method needs both).
void read_patient(TomlTable& root, PlanSpec& s) {
  TomlTable patient = root.table("patient");
  s.patient_id = patient.string("id");
  s.height_m = optional_in_range(patient, "height_m", 0.5, 2.5, "height");
  s.weight_kg = optional_in_range(patient, "weight_kg", 20, 300, "weight");
  patient.finish();
}

// [images] and [dose_grid]: the CT, SPECT and label map, and how to put them on one grid.
void read_images(TomlTable& root, PlanSpec& s) {
  TomlTable images = root.table("images");
  s.ct = file_path(images, "ct");
  s.spect = file_path(images, "spect");
  if (images.has("labels")) s.labels = file_path(images, "labels");
  s.ct_series_uid = images.optional_string("ct_series_uid").value_or("");
  s.spect_series_uid = images.optional_string("spect_series_uid").value_or("");
  s.ct_units = choice<CtUnits>(images, "ct_units", {{"HU", CtUnits::hounsfield}, {"g/mL", CtUnits::g_per_ml}}, CtUnits::hounsfield);
  s.resample = images.optional_boolean("resample_to_spect").value_or(false);
  images.finish();

  if (auto grid = root.optional_table("dose_grid")) {
    s.dose_grid_spacing_mm = in_range(*grid, "spacing_mm", 0.5, 20, "dose grid spacing");
    grid->finish();
  }
}

// [[voi]]: each volume of interest from exactly one of labels, mask or RTSTRUCT.
void read_vois(TomlTable& root, PlanSpec& s, const std::filesystem::path& path) {
  using dosimetry::VoiRole;
  for (TomlTable v : root.tables("voi")) {
    VoiSpec voi;
    voi.name = v.string("name");
    voi.role = choice<VoiRole>(v, "role",
                               {{"liver", VoiRole::liver}, {"tumour", VoiRole::tumour}, {"lungs", VoiRole::lungs},
                                {"territory", VoiRole::territory}, {"other", VoiRole::other}});
    voi.labels = v.integers("labels");
    if (v.has("mask")) voi.mask = file_path(v, "mask");
    if (v.has("rtstruct")) {
      voi.rtstruct = file_path(v, "rtstruct");
      voi.roi = v.string("roi");
    }
    voi.density_g_per_ml = optional_in_range(v, "density_g_per_ml", kDensityRangeGPerMl);
    const int sources = !voi.labels.empty() + voi.mask.has_value() + voi.rtstruct.has_value();
    if (sources != 1)
      bad(v, "labels", sources ? "with mask or rtstruct" : "(missing)",
          "give exactly one of labels (from [images] labels), mask (a file) or rtstruct + roi (DICOM)");
    if (!voi.labels.empty() && !s.labels) bad(v, "labels", "set", "labels need [images] labels = \"<label map>\"");
    for (const VoiSpec& other : s.vois)
      if (other.name == voi.name) bad(v, "name", "\"" + voi.name + "\"", "VOI names must be unique");
    v.finish();
    s.vois.push_back(std::move(voi));
  }
  if (s.vois.empty()) fail_input(path.string(), "voi", "(none)", "at least the liver must be given as a [[voi]]");
}

// [density], [lung_shunt] and [lung]: tissue density, lung shunt fraction, lung mass and limits.
void read_density_and_lungs(TomlTable& root, PlanSpec& s) {
  if (auto density = root.optional_table("density")) {
    s.density_method = density->optional_string("method").value_or("ct");
    if (s.density_method != "ct" && s.density_method != "stated")
      bad(*density, "method", "\"" + s.density_method + "\"", "expected \"ct\" or \"stated\"");
    if (auto d = optional_in_range(*density, "default_g_per_ml", 0.01, 3, "density")) s.default_density_g_per_ml = *d;
    density->finish();
  }

  TomlTable lsf = root.table("lung_shunt");
  s.lung_shunt_method = lsf.string("method");
  if (s.lung_shunt_method == "stated") {
    s.stated_lung_shunt_fraction = lsf.number("fraction");
    if (!(*s.stated_lung_shunt_fraction >= 0 && *s.stated_lung_shunt_fraction < 1))
      bad(lsf, "fraction", num(*s.stated_lung_shunt_fraction), "a lung shunt fraction is >= 0 and < 1 (not a percent)");
  } else if (s.lung_shunt_method == "planar") {
    s.planar_counts = dosimetry::PlanarCounts{lsf.number("lung_anterior_counts"), lsf.number("lung_posterior_counts"),
                                              lsf.number("liver_anterior_counts"), lsf.number("liver_posterior_counts")};
  } else if (s.lung_shunt_method != "spect") {
    bad(lsf, "method", "\"" + s.lung_shunt_method + "\"", "expected \"spect\", \"planar\" or \"stated\"");
  }
  lsf.finish();

  TomlTable lung = root.table("lung");
  const auto mass = lung.optional_string("mass");
  s.model.lung_mass_kg = optional_in_range(lung, "mass_kg", 0.1, 5, "lung mass");
  if (mass && *mass != "ct") bad(lung, "mass", "\"" + *mass + "\"", "expected \"ct\" or a number in mass_kg");
  if (mass.has_value() == s.model.lung_mass_kg.has_value())
    bad(lung, "mass_kg", mass ? "with mass" : "(missing)", "state the lung mass: mass_kg = 1.0 or mass = \"ct\"");
  if (auto v = optional_in_range(lung, "max_dose_gy", 0, 100, "lung limit")) s.rules.lung.per_session_gy = *v;
  if (auto v = optional_in_range(lung, "max_cumulative_dose_gy", 0, 200, "lung limit")) s.rules.lung.cumulative_gy = *v;
  if (auto v = optional_in_range(lung, "previous_dose_gy", 0, 200, "previous lung dose")) s.rules.lung.previous_gy = *v;
  lung.finish();
}

// [dosimetry]: the approach, the voxel method, the count calibration and the nuclide data.
void read_dosimetry(TomlTable& root, PlanSpec& s) {
  TomlTable dosi = root.table("dosimetry");
  s.method = choice<PlanSpec::Method>(dosi, "approach",
                                      {{"standard", PlanSpec::Method::standard}, {"partition", PlanSpec::Method::partition},
                                       {"voxel", PlanSpec::Method::voxel}, {"bsa", PlanSpec::Method::bsa}});
  s.model.approach = s.method == PlanSpec::Method::voxel       ? dosimetry::Approach::voxel
                     : s.method == PlanSpec::Method::standard  ? dosimetry::Approach::standard
                                                               : dosimetry::Approach::partition;
  s.model.voxel_method = choice<dosimetry::VoxelMethod>(
      dosi, "voxel_method", {{"local_deposition", dosimetry::VoxelMethod::local_deposition}, {"kernel", dosimetry::VoxelMethod::kernel}},
      dosimetry::VoxelMethod::local_deposition);
  s.model.calibration = choice<dosimetry::CountCalibration>(
      dosi, "calibration",
      {{"liver_and_lungs", dosimetry::CountCalibration::liver_and_lungs}, {"field_of_view", dosimetry::CountCalibration::field_of_view}},
      dosimetry::CountCalibration::liver_and_lungs);
  if (auto v = optional_in_range(dosi, "half_life_h", kHalfLifeRangeH)) s.nuclide.half_life_h = *v;
  if (auto v = optional_in_range(dosi, "mean_beta_energy_mev", kMeanBetaEnergyRangeMev)) s.nuclide.mean_energy_mev = *v;
  if (dosi.has("half_life_h") || dosi.has("mean_beta_energy_mev")) s.nuclide.source = "plan file";
  if (auto k = optional_in_range(dosi, "dose_constant_gy_kg_per_gbq", kDoseConstantRange)) {
    s.model.k_gy_kg_per_gbq = *k;
    s.dose_constant_source = "stated in the plan file";
  } else {
    s.model.k_gy_kg_per_gbq = physics::dose_constant_gy_kg_per_gbq(s.nuclide);
    s.dose_constant_source = fmt::format("computed from T1/2 {} h and mean energy {} MeV ({})", s.nuclide.half_life_h,
                                         s.nuclide.mean_energy_mev, s.nuclide.source);
  }
  if (auto v = optional_in_range(dosi, "min_density_g_per_ml", kDensityFloorRangeGPerMl)) s.model.voxel.min_density_g_per_ml = *v;
  dosi.finish();
  s.rules.half_life_h = s.nuclide.half_life_h;
}

// [device]: glass or resin, vial sizes and calibration.
void read_device(TomlTable& root, PlanSpec& s) {
  TomlTable dev = root.table("device");
  s.device.kind = choice<dosimetry::DeviceKind>(dev, "type", {{"glass", dosimetry::DeviceKind::glass}, {"resin", dosimetry::DeviceKind::resin}});
  s.device.vial_sizes_gbq = dev.numbers("vial_sizes_gbq");
  if (s.device.vial_sizes_gbq.empty()) bad(dev, "vial_sizes_gbq", "(missing)", "list the vial activities at calibration, e.g. [3, 5, 7, 10, 15, 20]");
  for (double v : s.device.vial_sizes_gbq)
    if (!(v > 0 && v <= 30)) bad(dev, "vial_sizes_gbq", num(v), "vial activities must be within (0, 30] GBq");
  const auto cal = dev.optional_date_time("calibration_time");
  if (!cal) bad(dev, "calibration_time", "(missing)", "the vial calibration date-time with offset is required");
  s.device.calibration = *cal;
  s.device.residual_fraction = in_range(dev, "residual_fraction", 0, 0.5, "residual fraction (not a percent)");
  s.device.max_hours_after_calibration = in_range(dev, "max_hours_after_calibration", 0, 1000, "shelf life");
  s.device.half_life_h = s.nuclide.half_life_h;
  dev.finish();
}

// [treatment]: when the injection may happen and the activity tolerance.
void read_treatment(TomlTable& root, PlanSpec& s) {
  TomlTable tr = root.table("treatment");
  s.window.earliest = tr.optional_date_time("earliest");
  s.window.latest = tr.optional_date_time("latest");
  s.window.fixed = tr.optional_date_time("time");
  if (tr.has("working_hours")) {
    const auto h = tr.integers("working_hours");
    if (h.size() != 2 || h[0] < 0 || h[1] > 24 || h[0] >= h[1])
      bad(tr, "working_hours", fmt::format("{} values", h.size()), "expected [start, end] local hours, 0 <= start < end <= 24");
    s.window.working_hours = std::make_pair(h[0], h[1]);
  }
  if (auto t = optional_in_range(tr, "activity_tolerance_percent", 0, 20, "activity tolerance")) s.window.activity_tolerance_percent = *t;
  for (const auto& t : {s.window.fixed, s.window.earliest, s.window.latest})
    if (t) s.window.display_offset_minutes = t->offset_minutes;
  if (s.device.kind == dosimetry::DeviceKind::resin && !s.window.fixed)
    bad(tr, "time", "(missing)", "a resin plan needs the injection time to decay the vial");
  if (s.window.earliest && s.window.latest && s.window.latest->epoch_s < s.window.earliest->epoch_s)
    bad(tr, "latest", format_iso(*s.window.latest), "is before earliest " + format_iso(*s.window.earliest));
  tr.finish();
}

// [[injection]]: each injection's territory and its activity or perfused-liver dose rule.
void read_injections(TomlTable& root, PlanSpec& s, const std::filesystem::path& path) {
  for (TomlTable inj : root.tables("injection")) {
    dosimetry::Injection i{inj.string("name"), inj.string("territory")};
    dosimetry::InjectionRule r;
    r.activity_gbq = optional_in_range(inj, "activity_gbq", kActivityRangeGbq);
    r.perfused_liver_dose_gy = optional_in_range(inj, "perfused_liver_dose_gy", kPerfusedLiverDoseRangeGy);
    inj.finish();
    s.injections.push_back(i);
    s.rules.injections.push_back(r);
  }
  if (s.injections.empty()) fail_input(path.string(), "injection", "(none)", "at least one [[injection]] is required");
}

// [[goal]], [[constraint]], [reserve] and [metrics]: what the plan must reach and must not exceed.
void read_goals(TomlTable& root, PlanSpec& s) {
  for (TomlTable g : root.tables("goal")) {
    dosimetry::Goal goal;
    goal.voi = g.string("voi");
    goal.metric = dosimetry::parse_dose_metric(g.optional_string("metric").value_or("mean"), g.file(), g.key_path("metric"));
    goal.min_gy = in_range(g, "min_gy", 0, 5000, "goal dose");
    goal.aim_gy = optional_in_range(g, "aim_gy", goal.min_gy, 5000, "aim dose (at least min_gy)");
    g.finish();
    s.rules.goals.push_back(goal);
  }
  for (TomlTable c : root.tables("constraint")) {
    dosimetry::Constraint k;
    k.voi = c.string("voi");
    k.metric = dosimetry::parse_dose_metric(c.optional_string("metric").value_or("mean"), c.file(), c.key_path("metric"));
    k.max_gy = in_range(c, "max_gy", 0, 5000, "constraint dose");
    k.when_reserve_below_percent = optional_in_range(c, "when_reserve_below_percent", 0, 100, "reserve threshold");
    c.finish();
    s.rules.constraints.push_back(k);
  }
  if (auto reserve = root.optional_table("reserve")) {
    s.rules.reserve_min_percent = optional_in_range(*reserve, "min_percent", 0, 100, "hepatic reserve");
    reserve->finish();
  }
  if (auto m = root.optional_table("metrics")) {
    if (m->has("d_percents")) s.rules.metrics.d_percents = m->numbers("d_percents");
    if (m->has("v_gy")) s.rules.metrics.v_gy = m->numbers("v_gy");
    for (double p : s.rules.metrics.d_percents)
      if (!within(p, kDosePercentRange)) bad(*m, "d_percents", num(p), range_text(kDosePercentRange));
    for (double v : s.rules.metrics.v_gy)
      if (!within(v, kDoseRangeGy)) bad(*m, "v_gy", num(v), range_text(kDoseRangeGy));
    m->finish();
  }
}

// [radiobiology]: LQ parameters of tumour and normal liver, liver NTCP and tumour TCP.
void read_radiobiology(TomlTable& root, PlanSpec& s) {
  if (auto rb = root.optional_table("radiobiology")) {
    auto read = [&](const std::string& key, dosimetry::RadiobiologyParameters& p) {
      if (auto t = rb->optional_table(key)) {
        p.alpha_beta_gy = in_range(*t, "alpha_beta_gy", kAlphaBetaRangeGy);
        p.repair_half_time_h = in_range(*t, "repair_half_time_h", kRepairHalfTimeRangeH);
        p.alpha_per_gy = in_range(*t, "alpha_per_gy", 1e-5, 10, "alpha");
        t->finish();
      }
    };
    read("tumour", s.rules.tumour_radiobiology);
    read("normal", s.rules.normal_radiobiology);
    if (auto t = rb->optional_table("liver_ntcp")) {  // LKB on BED (radiobiology.h)
      s.rules.liver_ntcp.td50_gy = in_range(*t, "td50_gy", 1, 1000, "TD50 (BED)");
      s.rules.liver_ntcp.m = in_range(*t, "m", 0.01, 10, "LKB slope parameter m");
      s.rules.liver_ntcp.n = in_range(*t, "n", 0.01, 10, "LKB volume parameter n");
      t->finish();
    }
    if (auto t = rb->optional_table("tumour_tcp")) {  // LQ Poisson TCP on BED (radiobiology.h)
      s.rules.tumour_tcp.alpha_per_gy = in_range(*t, "alpha_per_gy", 1e-5, 10, "TCP radiosensitivity alpha");
      s.rules.tumour_tcp.clonogen_density_per_ml = in_range(*t, "clonogen_density_per_ml", 1, 1e10, "clonogen density");
      t->finish();
    }
    rb->finish();
  }
}

}  // namespace

double check_in_range(double value, const NumberRange& range, const std::string& where, const std::string& field) {
  if (!within(value, range)) fail_input(where, field, num(value), range_text(range));
  return value;
}

PlanSpec read_plan_file(const std::filesystem::path& path) {
  TomlTable root = TomlTable::parse_file(path);
  PlanSpec s;
  s.file = path;
  read_patient(root, s);
  read_images(root, s);
  read_vois(root, s, path);
  read_density_and_lungs(root, s);
  read_dosimetry(root, s);
  read_device(root, s);
  read_treatment(root, s);
  read_injections(root, s, path);
  read_goals(root, s);
  read_radiobiology(root, s);
  if (s.method == PlanSpec::Method::bsa && (!s.height_m || !s.weight_kg))
    fail_input(path.string(), "patient.height_m / weight_kg", "(missing)", "the BSA method needs height and weight");
  root.finish();
  return s;
}

}  // namespace sirtkit::pipelines
