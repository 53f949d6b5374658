#pragma once
// Y-90 nuclear data and the derived dose constant. Every value cites its source
// (../shared/reference/dosimetry-physics.md §1); plans may override them and
// every report prints the values used.

#include <string>

namespace sirtkit::physics {

// TheraSphere package insert (USA) and SIR-Spheres IFU: T1/2 = 64.1 h.
// DDEP/NNDC tabulate 64.05 h; choose it with NuclideData::half_life_h.
inline constexpr double kY90HalfLifeInsertH = 64.1;
// TheraSphere package insert: mean beta energy 0.9367 MeV per decay (ICRP 107: 0.9336).
inline constexpr double kY90MeanBetaEnergyInsertMeV = 0.9367;
// CODATA 2018 exact: 1 MeV = 1.602176634e-13 J.
inline constexpr double kJoulePerMeV = 1.602176634e-13;
// Glass package insert's rounded dose constant, Gy·kg/GBq.
inline constexpr double kGlassInsertDoseConstantGyKgPerGBq = 50.0;

struct NuclideData {
  double half_life_h = kY90HalfLifeInsertH;
  double mean_energy_mev = kY90MeanBetaEnergyInsertMeV;
  std::string source = "TheraSphere package insert (T1/2 64.1 h, mean beta 0.9367 MeV)";
};

// Energy absorbed per GBq fully decayed per kg with local absorption (Gy·kg/GBq):
// 1e9 Bq × (T½/ln 2) s × E_mean MeV × 1.602176634e-13 J/MeV.
double dose_constant_gy_kg_per_gbq(const NuclideData& nuclide);

// Fraction of activity left after `elapsed_h` hours: exp(−ln2·t/T½). Negative
// elapsed time (before the reference) gives a factor above one.
double decay_factor(double elapsed_h, double half_life_h);

// Hours until activity falls from `from` to `to` (both > 0); negative when to > from.
double hours_to_decay(double from_activity, double to_activity, double half_life_h);

// Decay constant λ in 1/h.
double decay_constant_per_h(double half_life_h);

}  // namespace sirtkit::physics
