#include "pipelines/planning/phantom.h"

#include <cmath>
#include <random>
#include <string>

#include "core/atomic_file.h"
#include "core/error.h"
#include "image/gaussian_filter.h"
#include "io/image/nifti.h"
#include "physics/y90.h"

namespace sirtkit::pipelines {
namespace {

struct Ellipsoid {
  double cx, cy, cz, ax, ay, az;
  bool contains(double x, double y, double z) const {
    const double u = (x - cx) / ax, v = (y - cy) / ay, w = (z - cz) / az;
    return u * u + v * v + w * w <= 1.0;
  }
};

Ellipsoid sphere(double cx, double cy, double cz, double r) { return {cx, cy, cz, r, r, r}; }

// A camera's image of an uptake map: Gaussian blur of the given FWHM, then
// Poisson counts with the given expected total.
image::Volume<float> camera(const image::Volume<float>& uptake, double fwhm_mm, double total_counts, std::uint64_t seed) {
  image::Volume<float> blurred = image::gaussian_blur(uptake, fwhm_mm);
  double sum = 0;
  for (float v : blurred.data) sum += v;
  std::mt19937_64 rng(seed);
  image::Volume<float> counts(uptake.grid, 0.f);
  for (std::size_t n = 0; n < counts.data.size(); ++n) {
    const double mean = blurred.data[n] * total_counts / sum;
    if (mean > 0) counts.data[n] = static_cast<float>(std::poisson_distribution<long>(mean)(rng));
  }
  return counts;
}

enum Label : int { kBackground = 0, kLiver = 1, kIndexTumour = 2, kTumour2 = 3, kLungs = 4 };

// The post-treatment images (phantom.h). Demo values, not measurements: bremsstrahlung
// SPECT resolves about 15 mm and counts far less than MAA SPECT; Y-90 PET about 6 mm
// with few true coincidences (32 ppm positron branch); 3.41 GBq and 20 h are the
// README's verification examples.
constexpr double kDeliveredLungShunt = 0.04;
constexpr double kBremsstrahlungFwhmMm = 15.0;
constexpr double kBremsstrahlungCounts = 1e6;
constexpr double kPetFwhmMm = 6.0;
constexpr double kPetCounts = 3e5;
constexpr double kPetAdministeredGbq = 3.41;
constexpr double kPetHoursAfterInjection = 20.0;

// The parts both demo plans share: images and VOIs, device and treatment window.
const char* kImagesAndVois = R"(
[images]
ct = "ct.nii.gz"
spect = "maa_spect.nii.gz"
labels = "labels.nii.gz"

[[voi]]
name = "liver"
role = "liver"
labels = [1, 2, 3]

[[voi]]
name = "index tumour"
role = "tumour"
labels = [2]

[[voi]]
name = "tumour 2"
role = "tumour"
labels = [3]

[[voi]]
name = "lungs"
role = "lungs"
labels = [4]
density_g_per_ml = 0.26  # used only by the stated-density method

[[voi]]
name = "right lobe"
role = "territory"
mask = "territory_right.nii.gz"
)";

const char* kDevice = R"(
[device]
type = "glass"
vial_sizes_gbq = [3, 5, 7, 10, 15, 20]
calibration_time = 2026-11-29T12:00:00-05:00
residual_fraction = 0.01
max_hours_after_calibration = 288

[treatment]
earliest = 2026-11-30T08:00:00+01:00
latest = 2026-12-04T17:00:00+01:00
working_hours = [8, 17]
activity_tolerance_percent = 2
)";

std::string voxel_plan() {
  return std::string(R"(# sirtkit plan file — digital demo patient (written by `sirtkit phantom`).
# Personalised dosimetry as in DOSISPHERE-01: index tumour >= 205 Gy, aim 250 Gy;
# perfused normal liver < 120 Gy when the hepatic reserve is < 30 % (EANM 2022);
# lungs <= 30 Gy per session, <= 50 Gy cumulative (TheraSphere package insert).

[patient]
id = "DEMO-001"
height_m = 1.75
weight_kg = 78
)") + kImagesAndVois + R"(
[density]
method = "ct"

[lung_shunt]
method = "spect"

[lung]
mass = "ct"
max_dose_gy = 30
max_cumulative_dose_gy = 50
previous_dose_gy = 0

[dosimetry]
approach = "voxel"
voxel_method = "kernel"
calibration = "liver_and_lungs"
)" + kDevice + R"(
[[injection]]
name = "right lobar"
territory = "right lobe"

[[goal]]
voi = "index tumour"
metric = "mean"
min_gy = 205
aim_gy = 250

[[constraint]]
voi = "perfused normal liver: right lobar"
metric = "mean"
max_gy = 120
when_reserve_below_percent = 30

[reserve]
min_percent = 30

[metrics]
d_percents = [2, 50, 70, 95, 98]
v_gy = [100, 120, 150, 205]

[radiobiology.tumour]
alpha_beta_gy = 10
repair_half_time_h = 1.5
alpha_per_gy = 0.005

[radiobiology.normal]
alpha_beta_gy = 2.5
repair_half_time_h = 2.5
alpha_per_gy = 0.005

# LKB NTCP of the whole normal liver on BED. The demo is glass: BED50 250 Gy for glass
# (Walrand et al., J Nucl Med 2014;55:1317); m and n are the resin fit's (Strigari et al.,
# J Nucl Med 2010;51:1377), not verified for glass: replace them with your own fit.
[radiobiology.liver_ntcp]
td50_gy = 250
m = 0.28
n = 1

# LQ Poisson TCP of each tumour on BED: Webb & Nahum, Phys Med Biol 1993;38:653
[radiobiology.tumour_tcp]
alpha_per_gy = 0.35
clonogen_density_per_ml = 1e7
)";
}

std::string standard_plan() {
  return std::string(R"(# Standard approach (DOSISPHERE-01 control arm): 120 Gy to the perfused lobe,
# MIRD single compartment, package-insert dose constant 50 Gy·kg/GBq.

[patient]
id = "DEMO-001"
)") + kImagesAndVois + R"(
[density]
method = "stated"
default_g_per_ml = 1.03

[lung_shunt]
method = "spect"

[lung]
mass_kg = 1.0

[dosimetry]
approach = "standard"
dose_constant_gy_kg_per_gbq = 50
)" + kDevice + R"(
[[injection]]
name = "right lobar"
territory = "right lobe"
perfused_liver_dose_gy = 120
)";
}

}  // namespace

void write_phantom(const std::filesystem::path& folder, const PhantomOptions& options) {
  image::Grid g;
  g.size = {88, 72, 64};
  g.spacing_mm = {4.42, 4.42, 4.42};
  for (int d = 0; d < 3; ++d) g.origin_mm[d] = -0.5 * (g.size[d] - 1) * g.spacing_mm[d];

  const Ellipsoid body{0, 0, 0, 170, 120, 1e9};
  const Ellipsoid liver{-30, 0, -30, 110, 80, 70};
  const Ellipsoid index_tumour = sphere(-65, 5, -30, 40);
  const Ellipsoid necrosis = sphere(-65, 5, -30, 15);
  const Ellipsoid tumour2 = sphere(-25, -35, 0, 17.5);
  const Ellipsoid lung_right{-75, 0, 85, 65, 85, 55};
  const Ellipsoid lung_left{75, 0, 85, 60, 85, 55};

  image::Volume<float> ct(g, -1000.f), uptake(g, 0.f);
  image::LabelMap labels(g, 0), territory(g, 0);
  double liver_uptake = 0, lung_voxels = 0;
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const auto p = g.point_mm(i, j, k);
        const double x = p[0], y = p[1], z = p[2];
        const std::size_t n = g.index(i, j, k);
        if (!body.contains(x, y, 0)) continue;
        ct.data[n] = 40.f;
        uptake.data[n] = 0.01f;  // free pertechnetate and soft-tissue background
        if (lung_right.contains(x, y, z) || lung_left.contains(x, y, z)) {
          ct.data[n] = -740.f;  // about 0.26 g/mL
          labels.data[n] = kLungs;
          lung_voxels += 1;
          uptake.data[n] = 0.f;
        } else if (liver.contains(x, y, z)) {
          ct.data[n] = 60.f;
          labels.data[n] = kLiver;
          const bool right = x < -10;
          territory.data[n] = right ? 1 : 0;
          float u = right ? 1.0f : 0.02f;
          if (index_tumour.contains(x, y, z)) {
            labels.data[n] = kIndexTumour;
            ct.data[n] = 45.f;
            u = necrosis.contains(x, y, z) ? 0.5f : 5.0f;
          } else if (tumour2.contains(x, y, z)) {
            labels.data[n] = kTumour2;
            ct.data[n] = 45.f;
            u = 3.0f;
          }
          uptake.data[n] = u;
          liver_uptake += u;
        }
      }
  // Lung uptake so that lungs / (lungs + liver) = LSF before blurring.
  const double lung_total = options.lung_shunt_fraction / (1.0 - options.lung_shunt_fraction) * liver_uptake;
  for (std::size_t n = 0; n < labels.data.size(); ++n)
    if (labels.data[n] == kLungs) uptake.data[n] = static_cast<float>(lung_total / lung_voxels);

  const image::Volume<float> spect = camera(uptake, options.fwhm_mm, options.total_counts, options.seed);

  // The microspheres as delivered (phantom.h, "post-treatment images"): the index
  // tumour's viable rim takes 4 instead of 5 and the lungs 4 % instead of the
  // MAA's 6 %, the kind of MAA/Y-90 discordance verification is there to show.
  image::Volume<float> delivered = uptake;
  double delivered_liver = 0;
  for (std::size_t n = 0; n < labels.data.size(); ++n) {
    if (labels.data[n] == kIndexTumour && uptake.data[n] == 5.0f) delivered.data[n] = 4.0f;
    if (labels.data[n] != kLungs && labels.data[n] != kBackground) delivered_liver += delivered.data[n];
  }
  const double delivered_lungs = kDeliveredLungShunt / (1.0 - kDeliveredLungShunt) * delivered_liver;
  for (std::size_t n = 0; n < labels.data.size(); ++n)
    if (labels.data[n] == kLungs) delivered.data[n] = static_cast<float>(delivered_lungs / lung_voxels);
  const image::Volume<float> post_spect = camera(delivered, kBremsstrahlungFwhmMm, kBremsstrahlungCounts, options.seed + 1);
  // Y-90 PET in Bq/mL, kPetHoursAfterInjection after kPetAdministeredGbq: counts
  // scaled to the activity left then (decay with the insert's half-life, physics/y90.h).
  image::Volume<float> post_pet = camera(delivered, kPetFwhmMm, kPetCounts, options.seed + 2);
  double pet_total = 0;
  for (float v : post_pet.data) pet_total += v;
  const double bq_per_count = kPetAdministeredGbq * 1e9 *
                              physics::decay_factor(kPetHoursAfterInjection, physics::kY90HalfLifeInsertH) / pet_total /
                              g.voxel_volume_ml();
  for (float& v : post_pet.data) v = static_cast<float>(v * bq_per_count);

  OutputFolder out(folder);  // every file or none (core/atomic_file.h)
  io::write_nifti(out.file("ct.nii.gz"), ct);
  io::write_nifti(out.file("maa_spect.nii.gz"), spect);
  io::write_nifti(out.file("labels.nii.gz"), labels);
  io::write_nifti(out.file("territory_right.nii.gz"), territory);
  io::write_nifti(out.file("post_spect.nii.gz"), post_spect);
  io::write_nifti(out.file("post_pet.nii.gz"), post_pet);
  out.write("plan.toml", voxel_plan());
  out.write("plan_standard.toml", standard_plan());
  out.commit();
}

}  // namespace sirtkit::pipelines
