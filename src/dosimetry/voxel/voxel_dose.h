#pragma once
// Voxel dosimetry from an activity map (GBq administered per voxel, fully
// decaying in place) and a mass map (kg per voxel):
//
//   local deposition:  D_v = K × a_v / m_v
//   kernel:            D_v = K × (a ⊛ f)_v / m_v     (soft-tissue kernel f,
//                      scaled by the voxel's own density through m_v)
//
// Voxels lighter than `min_density_g_per_ml` (air outside the body, bowel
// gas) get no dose: a few noise counts in air would otherwise read as
// thousands of Gy. The energy they would have absorbed is reported, never
// dropped silently.

#include "dosimetry/voxel/kernel_convolution.h"
#include "image/volume.h"

namespace sirtkit::dosimetry {

struct VoxelDoseOptions {
  double min_density_g_per_ml = 0.05;
};

struct VoxelDose {
  image::Volume<float> dose_gy;
  double excluded_energy_fraction = 0;  // of all energy absorbed, in voxels below the density floor
};

VoxelDose local_deposition_dose(const image::Volume<float>& activity_gbq, const image::Volume<float>& mass_kg,
                                double k_gy_kg_per_gbq, VoxelDoseOptions options = {});

VoxelDose kernel_dose(const image::Volume<float>& activity_gbq, const image::Volume<float>& mass_kg,
                      double k_gy_kg_per_gbq, KernelConvolution& convolution, VoxelDoseOptions options = {});

}  // namespace sirtkit::dosimetry
