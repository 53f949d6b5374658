#include "pipelines/planning/dose_calculators.h"

#include <cmath>
#include <limits>
#include <fmt/format.h>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/number_text.h"
#include "core/format.h"
#include "dosimetry/prescription/bsa_method.h"
#include "dosimetry/metrics/dose_metrics.h"
#include "dosimetry/prescription/mird.h"
#include "dosimetry/prescription/partition_model.h"
#include "dosimetry/metrics/radiobiology.h"
#include "image/geometry_check.h"
#include "io/image/nifti.h"
#include "physics/y90.h"

namespace sirtkit::pipelines {
namespace {

void require(bool ok, const std::string& option, double value, const std::string& expected) {
  if (!ok) fail_input("sirtkit calc", option, num(value), expected);
}

void require_fraction(const std::string& option, double v) { require(v >= 0 && v < 1, option, v, "a fraction in [0, 1), not a percent"); }
void require_positive(const std::string& option, double v) { require(std::isfinite(v) && v > 0, option, v, "a positive finite number"); }

report::DoseConstantUsed dose_constant(const DoseConstantChoice& c) {
  if (c.k_gy_kg_per_gbq) {
    require(*c.k_gy_kg_per_gbq >= 45 && *c.k_gy_kg_per_gbq <= 55, "--k", *c.k_gy_kg_per_gbq, "a Y-90 dose constant within [45, 55] Gy·kg/GBq");
    return {*c.k_gy_kg_per_gbq, "stated"};
  }
  require(c.half_life_h >= 60 && c.half_life_h <= 70, "--half-life-h", c.half_life_h, "a Y-90 half-life within [60, 70] h");
  const double k = physics::dose_constant_gy_kg_per_gbq({c.half_life_h, c.mean_energy_mev, ""});
  return {k, fmt::format("computed from T1/2 {} h and mean beta energy {} MeV", c.half_life_h, c.mean_energy_mev)};
}

}  // namespace

report::MirdCalculation calc_mird(double dose_gy, double mass_kg, double lsf, double residual, double lung_mass_kg, const DoseConstantChoice& c) {
  require_positive("--dose-gy", dose_gy);
  require(mass_kg > 0.01 && mass_kg < 5, "--mass-kg", mass_kg, "a perfused liver mass within (0.01, 5) kg");
  require_fraction("--lsf", lsf);
  require(residual >= 0 && residual < 0.5, "--residual", residual, "a residual fraction within [0, 0.5)");
  require(lung_mass_kg > 0.1 && lung_mass_kg < 5, "--lung-mass-kg", lung_mass_kg, "a lung mass within (0.1, 5) kg");
  const report::DoseConstantUsed k = dose_constant(c);
  const double vial = dosimetry::mird_activity_gbq(dose_gy, mass_kg, lsf, residual, k.k_gy_kg_per_gbq);
  const double administered = vial * (1 - residual);
  const double lung = dosimetry::lung_dose_gy(administered, lsf, lung_mass_kg, k.k_gy_kg_per_gbq);
  return {dose_gy, mass_kg, lsf, residual, lung_mass_kg, k, vial, administered, lung};
}

TumourArg parse_tumour_arg(const std::string& text) {
  TumourArg t;
  std::istringstream in(text);
  std::string mass, tn;
  if (!std::getline(in, t.name, ':') || !std::getline(in, mass, ':') || !std::getline(in, tn) || t.name.empty())
    fail_input("sirtkit calc partition", "--tumour", "\"" + text + "\"", "expected name:mass_kg:tn_ratio, e.g. T1:0.3:3");
  t.mass_kg = parse_number(mass, "sirtkit calc partition", "--tumour " + t.name + " mass_kg");
  t.tn_ratio = parse_number(tn, "sirtkit calc partition", "--tumour " + t.name + " tn_ratio");
  require(t.mass_kg > 0 && t.mass_kg < 5, "--tumour " + t.name + " mass_kg", t.mass_kg, "within (0, 5) kg");
  require(t.tn_ratio >= 0 && t.tn_ratio < 1000, "--tumour " + t.name + " tn_ratio", t.tn_ratio, "within [0, 1000)");
  return t;
}

report::PartitionCalculation calc_partition(double a, double lsf, const std::vector<TumourArg>& tumours, double normal_mass_kg, double lung_mass_kg,
                          const DoseConstantChoice& c) {
  require(a > 0 && a <= 30, "--activity-gbq", a, "an administered activity within (0, 30] GBq");
  require_fraction("--lsf", lsf);
  require(normal_mass_kg > 0.01 && normal_mass_kg < 5, "--normal-mass-kg", normal_mass_kg, "within (0.01, 5) kg");
  require(lung_mass_kg > 0.1 && lung_mass_kg < 5, "--lung-mass-kg", lung_mass_kg, "a lung mass within (0.1, 5) kg");
  const report::DoseConstantUsed k = dose_constant(c);
  std::vector<dosimetry::TumourCompartment> comps;
  for (const auto& t : tumours) comps.push_back({t.name, t.mass_kg, t.tn_ratio});
  const auto d = dosimetry::partition_doses(a, lsf, comps, normal_mass_kg, lung_mass_kg, k.k_gy_kg_per_gbq);
  report::PartitionCalculation r{a, lsf, normal_mass_kg, lung_mass_kg, k, {}, d.normal_dose_gy, d.lung_dose_gy};
  for (std::size_t i = 0; i < tumours.size(); ++i) r.tumours.push_back({tumours[i].name, tumours[i].mass_kg, tumours[i].tn_ratio, d.tumour_dose_gy[i]});
  return r;
}

report::DecayCalculation calc_decay(double activity, std::optional<double> hours, std::optional<double> to_gbq, double half_life_h) {
  require_positive("--activity-gbq", activity);
  require(half_life_h >= 60 && half_life_h <= 70, "--half-life-h", half_life_h, "a Y-90 half-life within [60, 70] h");
  if (hours.has_value() == to_gbq.has_value())
    fail_input("sirtkit calc decay", "--hours / --to-gbq", "both or neither", "give exactly one of them");
  report::DecayCalculation r;
  r.activity_gbq = activity;
  r.half_life_h = half_life_h;
  if (hours) {
    require(std::isfinite(*hours), "--hours", *hours, "a finite number of hours (negative: before the reference)");
    r.hours = *hours;
    r.decay_factor = physics::decay_factor(*hours, half_life_h);
    return r;
  }
  require_positive("--to-gbq", *to_gbq);
  r.to_gbq = *to_gbq;
  r.hours = physics::hours_to_decay(activity, *to_gbq, half_life_h);
  return r;
}

report::BsaCalculation calc_bsa(double height_m, double weight_kg, double tumour_ml, double liver_ml, double perfused_fraction, double lsf) {
  require(height_m > 0.5 && height_m < 2.5, "--height-m", height_m, "a height within (0.5, 2.5) m");
  require(weight_kg > 20 && weight_kg < 300, "--weight-kg", weight_kg, "a weight within (20, 300) kg");
  require(tumour_ml >= 0, "--tumour-ml", tumour_ml, ">= 0 mL");
  require(liver_ml > tumour_ml, "--liver-ml", liver_ml, "the whole liver volume, tumours included: larger than --tumour-ml");
  require(perfused_fraction > 0 && perfused_fraction <= 1, "--perfused-fraction", perfused_fraction, "within (0, 1]");
  require_fraction("--lsf", lsf);
  const auto p = dosimetry::bsa_prescription(height_m, weight_kg, tumour_ml, liver_ml - tumour_ml, perfused_fraction, lsf);
  return {p, dosimetry::mosteller_bsa_m2(height_m, weight_kg), perfused_fraction};
}

report::BedCalculation calc_bed(double dose_gy, double alpha_beta_gy, double repair_h, double half_life_h) {
  require(dose_gy >= 0 && std::isfinite(dose_gy), "--dose-gy", dose_gy, ">= 0 Gy");
  require_positive("--alpha-beta-gy", alpha_beta_gy);
  require_positive("--repair-half-time-h", repair_h);
  const double bed = dosimetry::bed_gy(dose_gy, alpha_beta_gy, repair_h, half_life_h);
  return {dose_gy, alpha_beta_gy, repair_h, half_life_h, bed};
}

report::DvhCalculation calc_dvh(const std::filesystem::path& dose_path, const std::vector<std::string>& masks,
                    const std::optional<std::filesystem::path>& labels_path, const std::vector<std::string>& label_vois,
                    const std::vector<double>& d_percents, const std::vector<double>& v_gy) {
  const image::Volume<float> dose = io::read_nifti_float(dose_path);
  std::vector<std::pair<std::string, image::Mask>> vois;
  auto split = [](const std::string& s, const std::string& option) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == s.size())
      fail_input("sirtkit dvh", option, "\"" + s + "\"", "expected name=value");
    return std::make_pair(s.substr(0, eq), s.substr(eq + 1));
  };
  auto check_grid = [&](const image::Grid& g, const std::string& file) {
    const std::string diff = image::grid_differences(g, dose.grid);
    if (!diff.empty()) fail_input(file, "grid", diff, "must match the dose map's grid");
  };
  for (const std::string& m : masks) {
    const auto [name, file] = split(m, "--mask");
    const image::LabelMap l = io::read_nifti_labels(file);
    check_grid(l.grid, file);
    image::Mask mask(dose.grid, 0);
    for (std::size_t i = 0; i < mask.data.size(); ++i) mask.data[i] = l.data[i] != 0;
    vois.emplace_back(name, std::move(mask));
  }
  if (!label_vois.empty()) {
    if (!labels_path) fail_input("sirtkit dvh", "--voi", label_vois[0], "needs --labels <label map>");
    const image::LabelMap l = io::read_nifti_labels(*labels_path);
    check_grid(l.grid, labels_path->string());
    for (const std::string& v : label_vois) {
      const auto [name, list] = split(v, "--voi");
      std::set<int> wanted;
      std::istringstream in(list);
      for (std::string item; std::getline(in, item, ',');) {
        const long long label = parse_integer(item, "sirtkit dvh", "--voi " + name + " label");
        if (label < 0 || label > std::numeric_limits<int>::max())
          fail_input("sirtkit dvh", "--voi " + name + " label", item, "a label within [0, 2147483647]");
        wanted.insert(static_cast<int>(label));
      }
      if (list.back() == ',') fail_input("sirtkit dvh", "--voi " + name, "\"" + list + "\"", "expected comma-separated whole labels, e.g. 1,2");
      image::Mask mask(dose.grid, 0);
      for (std::size_t i = 0; i < mask.data.size(); ++i) mask.data[i] = wanted.count(l.data[i]) ? 1 : 0;
      vois.emplace_back(name, std::move(mask));
    }
  }
  if (vois.empty()) fail_input("sirtkit dvh", "--mask / --voi", "(none)", "name at least one volume of interest");
  report::DvhCalculation out{dose_path.string(), d_percents, v_gy, {}};
  for (const auto& [name, mask] : vois) {
    std::vector<float> d, m;
    for (std::size_t i = 0; i < mask.data.size(); ++i)
      if (mask.data[i]) {
        d.push_back(dose.data[i]);
        m.push_back(1.0f);
      }
    if (d.empty()) fail_input("sirtkit dvh", "VOI '" + name + "'", "0 voxels", "the mask is empty");
    out.vois.emplace_back(name, dosimetry::dose_metrics(d, m, dose.grid.voxel_volume_ml(), {d_percents, v_gy}));
  }
  return out;
}

}  // namespace sirtkit::pipelines
