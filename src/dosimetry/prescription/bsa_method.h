#pragma once
// Resin-microsphere (SIR-Spheres) body-surface-area method.
//
//   BSA (m²)  = 0.20247 × height(m)^0.725 × weight(kg)^0.425     Du Bois & Du Bois 1916
//   A (GBq)   = (BSA − 0.2) + V_tumour / (V_tumour + V_liver)     SIR-Spheres IFU
//
// V_liver is the non-tumoural liver, so the ratio is the tumour involvement of
// the whole liver. For a lobar or segmental injection the activity is
// multiplied by the perfused fraction of the liver volume. The IFU reduces the
// activity for lung shunting: LSF < 10 % none, 10–15 % by 20 %, 15–20 % by
// 40 %, > 20 % no treatment (SIR-Spheres IFU; dosimetry-physics.md §2, to be
// checked against the current IFU — the cut-offs are parameters here).

#include <optional>
#include <string>

namespace sirtkit::dosimetry {

double du_bois_bsa_m2(double height_m, double weight_kg);
// Mosteller 1987: sqrt(height_cm × weight_kg / 3600). Shown beside Du Bois so
// the two are never mixed up silently.
double mosteller_bsa_m2(double height_m, double weight_kg);

struct LungShuntReduction {
  double factor = 1.0;          // multiply the activity by this
  bool treatment_allowed = true;
  std::string rule;             // which band applied
};

// Bands of the SIR-Spheres IFU; boundaries: [10, 15) → 0.8, [15, 20] → 0.6, > 20 → none.
LungShuntReduction resin_lung_shunt_reduction(double lung_shunt_fraction);

struct BsaPrescription {
  double bsa_m2 = 0;
  double whole_liver_activity_gbq = 0;   // before perfused fraction and LSF reduction
  double perfused_fraction = 1;
  LungShuntReduction reduction;
  double activity_gbq = 0;               // what to draw
};

BsaPrescription bsa_prescription(double height_m, double weight_kg, double tumour_volume_ml,
                                 double normal_liver_volume_ml, double perfused_fraction,
                                 double lung_shunt_fraction);

}  // namespace sirtkit::dosimetry
