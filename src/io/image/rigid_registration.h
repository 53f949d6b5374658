#pragma once
// Rigid registration (rotation + translation) of a moving image onto a fixed
// one, through ITK: Euler 3-D transform initialised on the centres of mass,
// Mattes mutual information (works across CT/CT and emission/emission, and
// between modalities), regular-step gradient descent, three resolution levels.
// Lives in io because ITK may be included only there (DESIGN.md).

#include <array>

#include "image/volume.h"

namespace sirtkit::io {

struct RigidTransform {
  // Maps a point of the fixed image into the moving image: p_moving = R·(p − c) + c + t (mm).
  std::array<double, 9> rotation{1, 0, 0, 0, 1, 0, 0, 0, 1};
  std::array<double, 3> centre_mm{0, 0, 0};
  std::array<double, 3> translation_mm{0, 0, 0};
  std::array<double, 3> angles_rad{0, 0, 0};
  double final_metric = 0;
  int iterations = 0;

  std::array<double, 3> apply(const std::array<double, 3>& p) const;
};

RigidTransform register_rigid(const image::Volume<float>& fixed, const image::Volume<float>& moving);

}  // namespace sirtkit::io
