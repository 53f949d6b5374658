#pragma once
// Are two grids the same? Says exactly what differs, for error messages.

#include <string>

#include "image/volume.h"

namespace sirtkit::image {

// Tolerances: 1e-3 mm on spacing and origin, 1e-5 on direction cosines
// (ITK's default coordinate tolerance is 1e-6 of the spacing; NIfTI stores
// float32, so we allow for its rounding).
struct GeometryTolerance {
  double mm = 1e-3;
  double direction = 1e-5;
};

// Empty string when the grids match; else a list such as
// "size 128x128x90 vs 64x64x45; spacing 2.21x2.21x2.21 vs 4.42x4.42x4.42 mm".
std::string grid_differences(const Grid& a, const Grid& b, GeometryTolerance tol = {});

std::string describe(const Grid& g);

}  // namespace sirtkit::image
