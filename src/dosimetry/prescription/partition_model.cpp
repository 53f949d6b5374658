#include "dosimetry/prescription/partition_model.h"

#include "dosimetry/prescription/mird.h"

namespace sirtkit::dosimetry {

PartitionDoses partition_doses(double administered_gbq, double lsf, const std::vector<TumourCompartment>& tumours,
                               double normal_mass_kg, double lung_mass_kg, double k) {
  const double liver_gbq = administered_gbq * (1.0 - lsf);
  double weighted_mass = normal_mass_kg;
  for (const auto& t : tumours) weighted_mass += t.tn_ratio * t.mass_kg;
  PartitionDoses out;
  for (const auto& t : tumours) {
    const double share = t.tn_ratio * t.mass_kg / weighted_mass;
    out.tumour_dose_gy.push_back(k * liver_gbq * share / t.mass_kg);
  }
  out.normal_dose_gy = k * liver_gbq * (normal_mass_kg / weighted_mass) / normal_mass_kg;
  out.lung_dose_gy = lung_dose_gy(administered_gbq, lsf, lung_mass_kg, k);
  return out;
}

}  // namespace sirtkit::dosimetry
