#include "physics/y90.h"

#include <cmath>
#include <numbers>

namespace sirtkit::physics {

double dose_constant_gy_kg_per_gbq(const NuclideData& nuclide) {
  const double mean_life_s = nuclide.half_life_h * 3600.0 / std::numbers::ln2;
  const double decays_per_gbq = 1e9 * mean_life_s;
  return decays_per_gbq * nuclide.mean_energy_mev * kJoulePerMeV;  // J/kg per GBq·kg = Gy·kg
}

double decay_constant_per_h(double half_life_h) { return std::numbers::ln2 / half_life_h; }

double decay_factor(double elapsed_h, double half_life_h) {
  return std::exp(-decay_constant_per_h(half_life_h) * elapsed_h);
}

double hours_to_decay(double from_activity, double to_activity, double half_life_h) {
  return std::log(from_activity / to_activity) / decay_constant_per_h(half_life_h);
}

}  // namespace sirtkit::physics
