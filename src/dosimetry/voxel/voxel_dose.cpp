#include "dosimetry/voxel/voxel_dose.h"

namespace sirtkit::dosimetry {
namespace {

// energy_gbq[v] is the activity whose energy is absorbed in v (GBq-equivalents).
VoxelDose dose_from_absorbed(const std::vector<float>& energy_gbq, const image::Volume<float>& mass_kg, double k,
                             const VoxelDoseOptions& options) {
  VoxelDose out{image::Volume<float>(mass_kg.grid, 0.0f), 0.0};
  const double min_mass_kg = options.min_density_g_per_ml * mass_kg.grid.voxel_volume_ml() / 1000.0;
  double total = 0, excluded = 0;
  for (size_t v = 0; v < energy_gbq.size(); ++v) {
    total += energy_gbq[v];
    if (mass_kg.data[v] < min_mass_kg) {
      excluded += energy_gbq[v];
      continue;
    }
    out.dose_gy.data[v] = static_cast<float>(k * energy_gbq[v] / mass_kg.data[v]);
  }
  out.excluded_energy_fraction = total > 0 ? excluded / total : 0;
  return out;
}

}  // namespace

VoxelDose local_deposition_dose(const image::Volume<float>& activity_gbq, const image::Volume<float>& mass_kg,
                                double k, VoxelDoseOptions options) {
  return dose_from_absorbed(activity_gbq.data, mass_kg, k, options);
}

VoxelDose kernel_dose(const image::Volume<float>& activity_gbq, const image::Volume<float>& mass_kg, double k,
                      KernelConvolution& convolution, VoxelDoseOptions options) {
  std::vector<float> absorbed;
  convolution.apply(activity_gbq.data, absorbed);
  return dose_from_absorbed(absorbed, mass_kg, k, options);
}

}  // namespace sirtkit::dosimetry
