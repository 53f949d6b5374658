#pragma once
// Lung shunt fraction (dosimetry-physics.md §3).
//   planar:    LSF = GM_lung / (GM_lung + GM_liver), GM = sqrt(anterior × posterior)
//   SPECT/CT:  LSF = C_lung / (C_lung + C_liver) over the lung and liver VOIs
// Planar imaging tends to overestimate LSF; the method is always reported.

#include <string>

namespace sirtkit::dosimetry {

struct PlanarCounts {
  double lung_anterior = 0, lung_posterior = 0;
  double liver_anterior = 0, liver_posterior = 0;
};

// Both refuse counts that are negative, non-finite or give LSF ≥ 100 %;
// `where` names the source in errors.
double planar_lung_shunt(const PlanarCounts& counts, const std::string& where);
double spect_lung_shunt(double lung_counts, double liver_counts, const std::string& where);

}  // namespace sirtkit::dosimetry
