#pragma once
// A digital patient for demos and tests, written deterministically:
// CT (HU), Tc-99m MAA SPECT (blurred, Poisson noise), label map, perfused
// territory mask, and plan files. Geometry: 4.42 mm voxels (a common SPECT
// grid, and a bundled voxel S-value size).
//
//   liver      ellipsoid, semi-axes 110 × 80 × 70 mm, 60 HU, MAA uptake 1
//   tumour 1   index lesion, 80 mm diameter, viable rim uptake 5, necrotic core
//              (30 mm diameter) uptake 0.5 — right lobe
//   tumour 2   35 mm diameter, uptake 3 — right lobe
//   lungs      two ellipsoids above the liver, −800 HU, lung shunt ≈ 6 %
//   territory  right lobe: liver with x < −10 mm (patient right, LPS)
//   camera     12 mm FWHM Gaussian blur, 3 million counts, Poisson noise
//
// Post-treatment images of the same patient, for trying `sirtkit verify`: the
// microspheres as delivered differ from the MAA as they do in practice (index
// tumour rim uptake 4 instead of 5, lung shunt 4 % instead of 6 %).
//   post_spect.nii.gz  Y-90 bremsstrahlung SPECT: 15 mm FWHM, 1 million counts, Poisson
//   post_pet.nii.gz    Y-90 PET in Bq/mL, 20 h after 3.41 GBq: 6 mm FWHM, 300 000
//                      counts (Poisson) scaled to the activity then

#include <cstdint>
#include <filesystem>

namespace sirtkit::pipelines {

struct PhantomOptions {
  std::uint64_t seed = 20261123;
  double total_counts = 3e6;
  double lung_shunt_fraction = 0.06;
  double fwhm_mm = 12.0;
};

// Writes ct.nii.gz, maa_spect.nii.gz, labels.nii.gz, territory_right.nii.gz,
// post_spect.nii.gz, post_pet.nii.gz, plan.toml (voxel, kernel) and plan_standard.toml (MIRD 120 Gy) into `folder`.
void write_phantom(const std::filesystem::path& folder, const PhantomOptions& options = {});

}  // namespace sirtkit::pipelines
