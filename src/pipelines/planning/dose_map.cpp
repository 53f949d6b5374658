#include "pipelines/planning/dose_map.h"

#include <cmath>
#include <fmt/format.h>

#include "core/error.h"
#include "core/format.h"
#include "dosimetry/voxel/kernel_convolution.h"
#include "dosimetry/voxel/tissue_density.h"
#include "dosimetry/voxel/voxel_dose.h"
#include "image/geometry_check.h"
#include "io/image/image_reader.h"
#include "io/image/nifti.h"
#include "physics/y90.h"

namespace sirtkit::pipelines {

ActivityUnits parse_activity_units(const std::string& text) {
  if (text == "gbq-per-voxel") return ActivityUnits::gbq_per_voxel;
  if (text == "bq-per-ml") return ActivityUnits::bq_per_ml;
  if (text == "counts") return ActivityUnits::counts;
  fail_input("sirtkit dose", "--units", "\"" + text + "\"", "expected gbq-per-voxel, bq-per-ml or counts");
}

DoseMapResult dose_map(const DoseMapOptions& o) {
  const std::string where = o.activity.string();
  image::Volume<float> activity = io::read_image(o.activity).volume;
  for (std::size_t i = 0; i < activity.data.size(); ++i)
    if (activity.data[i] < 0) fail_input(where, "voxel " + std::to_string(i), num(activity.data[i]), "activity must be >= 0");
  double image_total = 0;
  for (float a : activity.data) image_total += a;

  // To GBq administered per voxel, fully decaying in place.
  double scale = 1;
  std::string calibration = "image in GBq per voxel";
  const double half_life_h = o.dose_constant.half_life_h;
  switch (o.units) {
    case ActivityUnits::gbq_per_voxel: break;
    case ActivityUnits::bq_per_ml: {
      const double hours = o.hours_after_injection.value_or(0.0);
      if (!(hours >= 0)) fail_input(where, "--hours-after-injection", num(hours), ">= 0");
      scale = activity.grid.voxel_volume_ml() * 1e-9 / physics::decay_factor(hours, half_life_h);
      calibration = fmt::format("Bq/mL × voxel volume, decay-corrected {} h back to the injection", hours);
      break;
    }
    case ActivityUnits::counts:
      if (!o.total_gbq || !(*o.total_gbq > 0)) fail_input(where, "--total-gbq", "(missing)", "counts need the activity they are calibrated to");
      if (image_total <= 0) fail_input(where, "counts", "0", "the image has no counts");
      scale = *o.total_gbq / image_total;
      calibration = fmt::format("self-calibrated: {} GBq over all counts", *o.total_gbq);
      break;
  }
  for (float& a : activity.data) a = static_cast<float>(a * scale);

  image::Volume<float> density;
  std::string density_source;
  if (o.ct) {
    const image::Volume<float> ct = io::read_image(*o.ct).volume;
    const std::string diff = image::grid_differences(ct.grid, activity.grid);
    if (!diff.empty()) fail_input(o.ct->string(), "grid", diff, "the CT must share the activity image's grid");
    // The CT's numbers must mean what the option says (HU unless --ct-units g/mL), and
    // it must hold the activity's tissue: checked on the activity-weighted median.
    check_ct_units(ct_units_evidence_from_activity(ct, activity), o.ct_units, o.ct->string(), "--ct-units ");
    if (o.ct_units == CtUnits::hounsfield) {
      density = dosimetry::density_map(ct, dosimetry::HuDensityCalibration{});
      density_source = "CT, generic HU to density calibration";
    } else {
      density = ct;
      density_source = "CT in g/mL (declared)";
    }
  } else {
    const double rho = o.density_g_per_ml.value_or(-1);
    if (!(rho > 0.01 && rho < 3)) fail_input(where, "--density-g-per-ml / --ct", "(missing)", "give a CT or a density within (0.01, 3) g/mL");
    density = image::Volume<float>(activity.grid, static_cast<float>(rho));
    density_source = fmt::format("stated {} g/mL", rho);
  }
  image::Volume<float> mass(activity.grid, 0.f);
  for (std::size_t i = 0; i < mass.data.size(); ++i)
    mass.data[i] = static_cast<float>(density.data[i] * activity.grid.voxel_volume_ml() / 1000.0);

  double kgy = 0;
  std::string k_source;
  if (o.dose_constant.k_gy_kg_per_gbq) {
    kgy = *o.dose_constant.k_gy_kg_per_gbq;
    if (!(kgy >= 45 && kgy <= 55)) fail_input("sirtkit dose", "--k", num(kgy), "a Y-90 dose constant within [45, 55] Gy·kg/GBq");
    k_source = "stated";
  } else {
    kgy = physics::dose_constant_gy_kg_per_gbq({half_life_h, o.dose_constant.mean_energy_mev, ""});
    k_source = "computed from the Y-90 data";
  }
  dosimetry::VoxelDoseOptions vo;
  vo.min_density_g_per_ml = o.min_density_g_per_ml;
  dosimetry::VoxelDose vd;
  std::string kernel_source;
  if (o.kernel) {
    const auto kernel = dosimetry::y90_soft_tissue_kernel(activity.grid.spacing_mm);
    kernel_source = kernel.source;
    dosimetry::KernelConvolution conv(activity.grid.size, kernel, 2);
    vd = dosimetry::kernel_dose(activity, mass, kgy, conv, vo);
  } else {
    vd = dosimetry::local_deposition_dose(activity, mass, kgy, vo);
  }

  report::DoseMapCalculation c;
  c.activity_file = where;
  c.calibration = calibration;
  c.density_source = density_source;
  c.kernel = o.kernel;
  c.kernel_source = kernel_source;
  c.k = {kgy, k_source};
  c.min_density_g_per_ml = o.min_density_g_per_ml;
  c.energy_below_density_floor_fraction = vd.excluded_energy_fraction;
  for (std::size_t i = 0; i < activity.data.size(); ++i) {
    c.total_gbq += activity.data[i];
    c.absorbed_energy_j += static_cast<double>(vd.dose_gy.data[i]) * mass.data[i];
    c.max_dose_gy = std::max<double>(c.max_dose_gy, vd.dose_gy.data[i]);
  }
  return {std::move(vd.dose_gy), std::move(c)};
}

}  // namespace sirtkit::pipelines
