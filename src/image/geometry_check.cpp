#include "image/geometry_check.h"

#include <fmt/format.h>

#include <cmath>

namespace sirtkit::image {

std::string describe(const Grid& g) {
  return fmt::format("size {}x{}x{}, spacing {:.6g}x{:.6g}x{:.6g} mm, origin ({:.6g}, {:.6g}, {:.6g}) mm", g.size[0], g.size[1],
                     g.size[2], g.spacing_mm[0], g.spacing_mm[1], g.spacing_mm[2], g.origin_mm[0],
                     g.origin_mm[1], g.origin_mm[2]);
}

std::string grid_differences(const Grid& a, const Grid& b, GeometryTolerance tol) {
  std::string out;
  auto add = [&out](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  if (a.size != b.size)
    add(fmt::format("size {}x{}x{} vs {}x{}x{}", a.size[0], a.size[1], a.size[2], b.size[0], b.size[1], b.size[2]));
  for (int d = 0; d < 3; ++d) {
    if (std::abs(a.spacing_mm[d] - b.spacing_mm[d]) > tol.mm) {
      add(fmt::format("spacing {:.6g}x{:.6g}x{:.6g} vs {:.6g}x{:.6g}x{:.6g} mm", a.spacing_mm[0], a.spacing_mm[1], a.spacing_mm[2],
                      b.spacing_mm[0], b.spacing_mm[1], b.spacing_mm[2]));
      break;
    }
  }
  for (int d = 0; d < 3; ++d) {
    if (std::abs(a.origin_mm[d] - b.origin_mm[d]) > tol.mm) {
      add(fmt::format("origin ({:.6g}, {:.6g}, {:.6g}) vs ({:.6g}, {:.6g}, {:.6g}) mm", a.origin_mm[0], a.origin_mm[1], a.origin_mm[2],
                      b.origin_mm[0], b.origin_mm[1], b.origin_mm[2]));
      break;
    }
  }
  for (size_t c = 0; c < 9; ++c) {
    if (std::abs(a.direction[c] - b.direction[c]) > tol.direction) {
      add("direction cosines differ");
      break;
    }
  }
  return out;
}

}  // namespace sirtkit::image
