#include "dosimetry/radiobiology.h"

#include <cmath>
#include <numbers>

namespace sirtkit::dosimetry {

double bed_gy(double dose_gy, double alpha_beta_gy, double repair_half_time_h, double nuclide_half_life_h) {
  const double lambda = std::numbers::ln2 / nuclide_half_life_h;
  const double mu = std::numbers::ln2 / repair_half_time_h;
  return dose_gy * (1.0 + dose_gy * lambda / ((mu + lambda) * alpha_beta_gy));
}

double eud_gy(std::span<const float> doses, double alpha) {
  if (doses.empty()) return 0.0;
  // Shift by the minimum dose so exp() cannot underflow to zero for high doses.
  double d_min = doses[0];
  for (float d : doses) d_min = std::min<double>(d_min, d);
  double sum = 0;
  for (float d : doses) sum += std::exp(-alpha * (d - d_min));
  return d_min - std::log(sum / static_cast<double>(doses.size())) / alpha;
}

}  // namespace sirtkit::dosimetry
