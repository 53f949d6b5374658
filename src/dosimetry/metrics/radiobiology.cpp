#include "dosimetry/metrics/radiobiology.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "core/error.h"

namespace sirtkit::dosimetry {
namespace {

template <typename T>
double eud_of(std::span<const T> values, double alpha) {
  if (values.empty()) return 0.0;
  // Shift by the minimum so exp() cannot underflow to zero for high doses.
  double v_min = values[0];
  for (T v : values) v_min = std::min<double>(v_min, v);
  double sum = 0;
  for (T v : values) sum += std::exp(-alpha * (static_cast<double>(v) - v_min));
  return v_min - std::log(sum / static_cast<double>(values.size())) / alpha;
}

}  // namespace

double bed_gy(double dose_gy, double alpha_beta_gy, double repair_half_time_h, double nuclide_half_life_h) {
  const double lambda = std::numbers::ln2 / nuclide_half_life_h;
  const double mu = std::numbers::ln2 / repair_half_time_h;
  return dose_gy * (1.0 + dose_gy * lambda / ((mu + lambda) * alpha_beta_gy));
}

double bed_gy(double dose_gy, const RadiobiologyParameters& p, double nuclide_half_life_h) {
  return bed_gy(dose_gy, p.alpha_beta_gy, p.repair_half_time_h, nuclide_half_life_h);
}

double eud_gy(std::span<const float> doses, double alpha) { return eud_of(doses, alpha); }
double eud_gy(std::span<const double> values, double alpha) { return eud_of(values, alpha); }

double generalised_eud_gy(std::span<const double> values, double a) {
  if (!(a != 0) || !std::isfinite(a)) fail_input("gEUD", "a", std::to_string(a), "a finite, non-zero exponent");
  if (values.empty()) return 0.0;
  // Scale by the maximum (a > 0) or the minimum (a < 0) so (x/scale)^a stays
  // within [0, 1] and can neither overflow nor lose the dominant voxels.
  double x_max = 0, x_min = values[0];
  for (double x : values) {
    if (!(x >= 0) || !std::isfinite(x)) fail_input("gEUD", "value", std::to_string(x), "finite, non-negative doses");
    x_max = std::max(x_max, x);
    x_min = std::min(x_min, x);
  }
  const double scale = a > 0 ? x_max : x_min;
  if (scale == 0) return 0.0;  // all zero (a > 0), or a zero voxel dominating a < 0
  double sum = 0;
  if (a == 1) {
    for (double x : values) sum += x / scale;  // pow(y, 1) is y exactly
  } else {
    for (double x : values) sum += std::pow(x / scale, a);
  }
  return scale * std::pow(sum / static_cast<double>(values.size()), 1.0 / a);
}

double lkb_ntcp(double effective_dose_gy, const LkbParameters& p) {
  if (!(p.td50_gy > 0)) fail_input("LKB NTCP", "td50_gy", std::to_string(p.td50_gy), "a positive dose");
  if (!(p.m > 0)) fail_input("LKB NTCP", "m", std::to_string(p.m), "a positive slope parameter");
  const double t = (effective_dose_gy - p.td50_gy) / (p.m * p.td50_gy);
  return 0.5 * std::erfc(-t / std::numbers::sqrt2);  // Φ(t)
}

double poisson_tcp(std::span<const double> voxel_bed_gy, double voxel_volume_ml, const TcpParameters& p) {
  const double clonogens_per_voxel = p.clonogen_density_per_ml * voxel_volume_ml;
  double surviving = 0;
  for (double bed : voxel_bed_gy) surviving += clonogens_per_voxel * std::exp(-p.alpha_per_gy * bed);
  return std::exp(-surviving);
}

VoiRadiobiology voi_radiobiology(std::span<const float> doses, std::span<const float> masses,
                                 std::span<const std::uint8_t> is_tumour, double mean_dose_gy,
                                 const VoxelTissueParameters& tissue, const OutcomeRequest& outcome) {
  if (doses.size() != masses.size() || doses.size() != is_tumour.size())
    throw Error(ErrorCategory::internal, "voi_radiobiology: voxel spans of different lengths");
  VoiRadiobiology r;
  if (doses.empty()) return r;
  std::vector<double> bed(doses.size());
  double bed_mass = 0, mass = 0, tumour_voxels = 0;
  // bed_gy's constants of each tissue, worked out once as bed_gy works them out (the same values).
  const double lambda = std::numbers::ln2 / tissue.half_life_h;
  const auto bed_divisor = [&](const RadiobiologyParameters& p) { return (std::numbers::ln2 / p.repair_half_time_h + lambda) * p.alpha_beta_gy; };
  const double divisor[2] = {bed_divisor(tissue.normal), bed_divisor(tissue.tumour)};
  for (std::size_t i = 0; i < doses.size(); ++i) {
    const double d = doses[i];
    bed[i] = d * (1.0 + d * lambda / divisor[is_tumour[i] ? 1 : 0]);  // bed_gy
    bed_mass += bed[i] * masses[i];
    mass += masses[i];
    tumour_voxels += is_tumour[i] ? 1 : 0;
  }
  r.tumour_voxel_fraction = tumour_voxels / static_cast<double>(doses.size());
  // Mass-weighted as the mean dose is (dose_metrics.h); a massless VOI (all
  // voxels below the density floor) falls back to equal weights.
  if (mass > 0) {
    r.bed_mean_gy = bed_mass / mass;
  } else {
    double s = 0;
    for (double b : bed) s += b;
    r.bed_mean_gy = s / static_cast<double>(bed.size());
  }
  // A VOI of one tissue: the BED of its mean dose, to show what averaging first would give.
  const RadiobiologyParameters& dominant = r.tumour_voxel_fraction >= 0.5 ? tissue.tumour : tissue.normal;
  r.bed_of_mean_dose_gy = bed_gy(mean_dose_gy, dominant, tissue.half_life_h);
  // A VOI mixing tissues has no single α: its EUD and EUBED use the α of the
  // tissue holding most of its voxels (the report prints the tumour share).
  r.eud_gy = eud_gy(doses, dominant.alpha_per_gy);
  r.eubed_gy = eud_gy(std::span<const double>(bed), dominant.alpha_per_gy);
  if (outcome.ntcp) r.ntcp = lkb_ntcp(generalised_eud_gy(bed, 1.0 / outcome.ntcp->n), *outcome.ntcp);
  if (outcome.tcp) r.tcp = poisson_tcp(bed, outcome.voxel_volume_ml, *outcome.tcp);
  return r;
}

}  // namespace sirtkit::dosimetry
