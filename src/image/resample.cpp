#include "image/resample.h"

#include <Eigen/Dense>
#include <cmath>
#include <numeric>

namespace sirtkit::image {
namespace {

// Maps each target voxel to a continuous index in the source, then calls f(target_index, ci).
template <typename F>
void for_each_target(const Grid& source, const Grid& target, F&& f, const PointMap* map = nullptr) {
  const Eigen::Matrix3d to_source =
      Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(source.direction.data()).inverse();
  const Eigen::Vector3d src_origin(source.origin_mm[0], source.origin_mm[1], source.origin_mm[2]);
  for (int k = 0; k < target.size[2]; ++k)
    for (int j = 0; j < target.size[1]; ++j)
      for (int i = 0; i < target.size[0]; ++i) {
        const auto p = map ? (*map)(target.point_mm(i, j, k)) : target.point_mm(i, j, k);
        const Eigen::Vector3d local = to_source * (Eigen::Vector3d(p[0], p[1], p[2]) - src_origin);
        const Eigen::Vector3d ci(local[0] / source.spacing_mm[0], local[1] / source.spacing_mm[1],
                                 local[2] / source.spacing_mm[2]);
        f(target.index(i, j, k), ci);
      }
}

float trilinear(const Volume<float>& v, const Eigen::Vector3d& ci, float outside) {
  const Grid& g = v.grid;
  const int i0 = static_cast<int>(std::floor(ci[0])), j0 = static_cast<int>(std::floor(ci[1])),
            k0 = static_cast<int>(std::floor(ci[2]));
  const double fx = ci[0] - i0, fy = ci[1] - j0, fz = ci[2] - k0;
  double sum = 0;
  for (int dz = 0; dz < 2; ++dz)
    for (int dy = 0; dy < 2; ++dy)
      for (int dx = 0; dx < 2; ++dx) {
        const int i = i0 + dx, j = j0 + dy, k = k0 + dz;
        const double w = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy) * (dz ? fz : 1 - fz);
        if (w == 0) continue;
        const bool inside = i >= 0 && j >= 0 && k >= 0 && i < g.size[0] && j < g.size[1] && k < g.size[2];
        sum += w * (inside ? v.at(i, j, k) : outside);
      }
  return static_cast<float>(sum);
}

}  // namespace

LabelMap resample_nearest(const LabelMap& source, const Grid& target, int outside_label) {
  LabelMap out(target, outside_label);
  const Grid& g = source.grid;
  for_each_target(g, target, [&](size_t t, const Eigen::Vector3d& ci) {
    const int i = static_cast<int>(std::lround(ci[0])), j = static_cast<int>(std::lround(ci[1])),
              k = static_cast<int>(std::lround(ci[2]));
    if (i >= 0 && j >= 0 && k >= 0 && i < g.size[0] && j < g.size[1] && k < g.size[2])
      out.data[t] = source.at(i, j, k);
  });
  return out;
}

Volume<float> resample_linear(const Volume<float>& source, const Grid& target, float outside_value) {
  Volume<float> out(target, outside_value);
  for_each_target(source.grid, target,
                  [&](size_t t, const Eigen::Vector3d& ci) { out.data[t] = trilinear(source, ci, outside_value); });
  return out;
}

Volume<float> resample_linear(const Volume<float>& source, const Grid& target, float outside_value, const PointMap& map) {
  Volume<float> out(target, outside_value);
  for_each_target(
      source.grid, target, [&](size_t t, const Eigen::Vector3d& ci) { out.data[t] = trilinear(source, ci, outside_value); },
      &map);
  return out;
}

Volume<float> resample_counts(const Volume<float>& source, const Grid& target) {
  Volume<float> out = resample_linear(source, target, 0.0f);
  const double source_total = std::accumulate(source.data.begin(), source.data.end(), 0.0);
  const double target_total = std::accumulate(out.data.begin(), out.data.end(), 0.0);
  if (target_total > 0) {
    const double scale = source_total / target_total;
    for (float& c : out.data) c = static_cast<float>(c * scale);
  }
  return out;
}

}  // namespace sirtkit::image
