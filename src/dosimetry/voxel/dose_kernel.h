#pragma once
// Dose-voxel kernel for Y-90 in soft tissue: the fraction of the energy
// emitted in the centre voxel that is absorbed in each neighbour, built from
// the voxel S values of Lanconelli et al. 2012 (physics/voxel_s_values.h):
//
//   fraction(i,j,k) = S(i,j,k) [Gy per decay] × m_voxel(1.04 g/mL) [kg] / E_emitted [J]
//
// The published table sums to 0.934–0.936 MeV per decay (bremsstrahlung and
// truncation take the rest); sirtkit normalises the fractions to sum to one so
// kernel dosimetry and local deposition share one dose constant and energy is
// conserved exactly. The raw sum is kept and reported.

#include <array>
#include <string>
#include <vector>

#include "physics/voxel_s_values.h"

namespace sirtkit::dosimetry {

struct DoseKernel {
  std::array<int, 3> half{0, 0, 0};  // kernel spans −half..+half voxels on each axis
  std::vector<float> fraction;       // (2·half+1)³ values, x fastest, centre at [half]
  double table_energy_mev = 0;       // energy per decay in the published table before normalisation
  double voxel_mm = 0;
  std::string source;

  int extent(int axis) const { return 2 * half[axis] + 1; }
  float at(int dx, int dy, int dz) const {
    return fraction[(static_cast<size_t>(dz + half[2]) * extent(1) + (dy + half[1])) * extent(0) + (dx + half[0])];
  }
};

// Mirrors the octant of `table` into a full, normalised kernel.
DoseKernel kernel_from_table(const physics::VoxelSTable& table);

// The bundled table for a cubic grid whose spacing matches a table within 1 %;
// any other spacing (anisotropic too) gets a kernel generated from a radial
// fit to all the tables (dosimetry/voxel/point_kernel.h, docs/dosimetry-kernels.md).
// Spacings that are not finite, <= 0.5 mm or > 20 mm are bad input.
DoseKernel y90_soft_tissue_kernel(const std::array<double, 3>& spacing_mm);

}  // namespace sirtkit::dosimetry
