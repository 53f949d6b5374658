#include "dosimetry/voxel/dose_kernel.h"

#include <cmath>
#include <fmt/format.h>

#include "core/error.h"
#include "dosimetry/voxel/point_kernel.h"
#include "physics/y90.h"

namespace sirtkit::dosimetry {

DoseKernel kernel_from_table(const physics::VoxelSTable& table) {
  const int n = table.extent;
  DoseKernel k;
  k.half = {n - 1, n - 1, n - 1};
  k.voxel_mm = table.voxel_mm;
  k.source = table.source;
  const int e = 2 * n - 1;
  k.fraction.assign(static_cast<size_t>(e) * e * e, 0.0f);
  // S in mGy/(MBq·s) = 1e-9 Gy per decay; times the voxel mass gives J per decay.
  const double voxel_kg = physics::kLanconelliSoftTissueDensityGPerMl * std::pow(table.voxel_mm, 3) / 1e6;
  double joules = 0;
  std::vector<double> energy(k.fraction.size());
  for (int z = -(n - 1); z < n; ++z)
    for (int y = -(n - 1); y < n; ++y)
      for (int x = -(n - 1); x < n; ++x) {
        const double j = table.at(std::abs(x), std::abs(y), std::abs(z)) * 1e-9 * voxel_kg;
        energy[(static_cast<size_t>(z + n - 1) * e + (y + n - 1)) * e + (x + n - 1)] = j;
        joules += j;
      }
  k.table_energy_mev = joules / physics::kJoulePerMeV;
  for (size_t i = 0; i < energy.size(); ++i) k.fraction[i] = static_cast<float>(energy[i] / joules);
  return k;
}

DoseKernel y90_soft_tissue_kernel(const std::array<double, 3>& spacing_mm) {
  check_kernel_spacing(spacing_mm);
  // A cubic grid within 1 % of a published table uses the table itself;
  // any other spacing, cubic or not, gets a kernel generated from the radial
  // fit to all tables (point_kernel.h; < 0.2 % absolute on the self voxel).
  for (const auto& t : physics::lanconelli_soft_tissue_tables()) {
    bool match = true;
    for (double s : spacing_mm) match = match && std::abs(s - t.voxel_mm) <= 0.01 * t.voxel_mm;
    if (match) return kernel_from_table(t);
  }
  return generated_y90_kernel(spacing_mm);
}

}  // namespace sirtkit::dosimetry
