#include "dosimetry/prescription/bsa_method.h"

#include <cmath>

namespace sirtkit::dosimetry {

double du_bois_bsa_m2(double height_m, double weight_kg) {
  return 0.20247 * std::pow(height_m, 0.725) * std::pow(weight_kg, 0.425);
}

double mosteller_bsa_m2(double height_m, double weight_kg) {
  return std::sqrt(height_m * 100.0 * weight_kg / 3600.0);
}

LungShuntReduction resin_lung_shunt_reduction(double lsf) {
  if (lsf < 0.10) return {1.0, true, "LSF < 10 %: no reduction"};
  if (lsf < 0.15) return {0.8, true, "LSF 10–15 %: activity reduced by 20 %"};
  if (lsf <= 0.20) return {0.6, true, "LSF 15–20 %: activity reduced by 40 %"};
  return {0.0, false, "LSF > 20 %: no treatment (SIR-Spheres IFU)"};
}

BsaPrescription bsa_prescription(double height_m, double weight_kg, double tumour_volume_ml,
                                 double normal_liver_volume_ml, double perfused_fraction, double lsf) {
  BsaPrescription p;
  p.bsa_m2 = du_bois_bsa_m2(height_m, weight_kg);
  p.whole_liver_activity_gbq = (p.bsa_m2 - 0.2) + tumour_volume_ml / (tumour_volume_ml + normal_liver_volume_ml);
  p.perfused_fraction = perfused_fraction;
  p.reduction = resin_lung_shunt_reduction(lsf);
  p.activity_gbq = p.whole_liver_activity_gbq * perfused_fraction * p.reduction.factor;
  return p;
}

}  // namespace sirtkit::dosimetry
