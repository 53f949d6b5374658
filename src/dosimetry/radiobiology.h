#pragma once
// Radiobiology for a permanent implant of an exponentially decaying source
// (dosimetry-physics.md §7).
//
//   BED = D × [1 + D·λ / ((μ + λ)·α/β)]          Dale, Br J Radiol 1985;58:515
//         λ = ln2 / T½(Y-90), μ = ln2 / T_repair
//   EUD = −ln(Σ v_i·exp(−α·D_i)) / α             Niemierko, Med Phys 1997;24:103
//
// The parameters are never hidden: typical values are α/β 2.5 Gy (normal
// liver) and 10 Gy (tumour), repair half-time 1.5–2.5 h, α 0.001–0.005 /Gy
// for HCC (all to be set per study; every report prints them).

#include <span>

namespace sirtkit::dosimetry {

struct RadiobiologyParameters {
  double alpha_beta_gy = 10.0;
  double repair_half_time_h = 1.5;
  double alpha_per_gy = 0.005;  // for EUD
};

double bed_gy(double dose_gy, double alpha_beta_gy, double repair_half_time_h, double nuclide_half_life_h);

// EUD of voxel doses with equal weights (a voxel DVH).
double eud_gy(std::span<const float> voxel_doses_gy, double alpha_per_gy);

}  // namespace sirtkit::dosimetry
