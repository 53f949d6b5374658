#pragma once
// Partition (multi-compartment) model: tumours, perfused normal liver and
// lungs, with tumour-to-normal uptake ratios measured on the MAA SPECT
// (dosimetry-physics.md §4; Ho et al., Eur J Nucl Med 1996;23:947).
//
//   A_liver  = A × (1 − LSF)
//   share_Ti = TN_i·M_Ti / (Σ_j TN_j·M_Tj + M_N),   share_N = M_N / (same)
//   D_Ti     = K·A_liver·share_Ti / M_Ti,           D_N = K·A_liver·share_N / M_N
//   D_lung   = K·A·LSF / M_lung

#include <string>
#include <vector>

namespace sirtkit::dosimetry {

struct TumourCompartment {
  std::string name;
  double mass_kg = 0;
  double tn_ratio = 0;  // mean counts per mL in the tumour / in normal perfused liver
};

struct PartitionDoses {
  std::vector<double> tumour_dose_gy;  // one per tumour, in input order
  double normal_dose_gy = 0;
  double lung_dose_gy = 0;
};

PartitionDoses partition_doses(double administered_gbq, double lung_shunt_fraction,
                               const std::vector<TumourCompartment>& tumours, double normal_mass_kg,
                               double lung_mass_kg, double k_gy_kg_per_gbq);

}  // namespace sirtkit::dosimetry
