#include "io/image/rigid_registration.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sirtkit::io {
namespace {

// A smooth asymmetric "liver with tumours" on a 4 mm grid, centred on `c`.
image::Volume<float> blobs(const std::array<double, 3>& c) {
  image::Grid g;
  g.size = {48, 44, 40};
  g.spacing_mm = {4, 4, 4};
  g.origin_mm = {-94, -86, -78};
  image::Volume<float> v(g, 0.f);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const auto p = g.point_mm(i, j, k);
        auto bump = [&](double x, double y, double z, double s, double a) {
          const double d2 = std::pow(p[0] - c[0] - x, 2) + std::pow(p[1] - c[1] - y, 2) + std::pow(p[2] - c[2] - z, 2);
          return a * std::exp(-d2 / (2 * s * s));
        };
        v.at(i, j, k) = static_cast<float>(bump(0, 0, 0, 35, 1) + bump(-25, 10, 5, 10, 4) + bump(20, -15, -10, 7, 3));
      }
  return v;
}

}  // namespace

TEST(RigidRegistration, RecoversATranslation) {
  const image::Volume<float> fixed = blobs({0, 0, 0});
  const image::Volume<float> moving = blobs({9.0, -6.5, 4.0});  // the same object moved
  const RigidTransform t = register_rigid(fixed, moving);
  // A fixed-image point maps to the moving image shifted by the motion.
  const auto p = t.apply({-25, 10, 5});
  EXPECT_NEAR(p[0], -25 + 9.0, 1.0);
  EXPECT_NEAR(p[1], 10 - 6.5, 1.0);
  EXPECT_NEAR(p[2], 5 + 4.0, 1.0);
  for (double a : t.angles_rad) EXPECT_NEAR(a, 0.0, 0.02);
}

}  // namespace sirtkit::io
