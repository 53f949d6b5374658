#pragma once
// Mass density of tissue per voxel: from CT numbers through a piecewise-linear
// HU → density calibration, or a stated density per VOI.
//
// The default calibration is a generic one, to be replaced by the scanner's
// own: air −1000 HU → 0.0012 g/mL, lung −700 HU → 0.30 g/mL, water 0 HU →
// 1.00 g/mL, soft tissue/liver 60 HU → 1.06 g/mL, bone 1000 HU → 1.60 g/mL,
// 2000 HU → 2.15 g/mL (shape of Schneider et al., Phys Med Biol 1996;41:111;
// negative HU are never treated as water, so lungs keep their low density).

#include <string>
#include <utility>
#include <vector>

#include "image/volume.h"

namespace sirtkit::dosimetry {

// TheraSphere package insert: liver density 1.03 g/mL for volume → mass.
inline constexpr double kLiverDensityInsertGPerMl = 1.03;
// TheraSphere package insert: lung mass 1 kg when not measured.
inline constexpr double kDefaultLungMassKg = 1.0;

struct HuDensityCalibration {
  std::vector<std::pair<double, double>> points{{-1000, 0.0012}, {-700, 0.30}, {0, 1.00},
                                                {60, 1.06},       {1000, 1.60}, {2000, 2.15}};
  std::string source = "generic piecewise-linear HU to density (after Schneider 1996)";
};

// Linear between points, constant beyond the ends (and said so in the docs).
double density_g_per_ml(double hu, const HuDensityCalibration& calibration);

image::Volume<float> density_map(const image::Volume<float>& ct_hu, const HuDensityCalibration& calibration);

}  // namespace sirtkit::dosimetry
