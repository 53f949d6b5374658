#include "image/resample.h"

#include <Eigen/Dense>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

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

template <typename T>
Volume<T> nearest(const Volume<T>& source, const Grid& target, T outside) {
  Volume<T> out(target, outside);
  const Grid& g = source.grid;
  for_each_target(g, target, [&](size_t t, const Eigen::Vector3d& ci) {
    const int i = static_cast<int>(std::lround(ci[0])), j = static_cast<int>(std::lround(ci[1])),
              k = static_cast<int>(std::lround(ci[2]));
    if (i >= 0 && j >= 0 && k >= 0 && i < g.size[0] && j < g.size[1] && k < g.size[2])
      out.data[t] = source.at(i, j, k);
  });
  return out;
}

// One axis: for each target voxel, the source voxels its extent overlaps and
// the overlap length in mm. Extents are [index - 1/2, index + 1/2] · spacing
// in each grid's own coordinates; `offset_mm` is the target origin along this
// axis in source coordinates.
struct Overlap {
  int source;
  double mm;
};
std::vector<std::vector<Overlap>> overlaps(int target_n, double target_mm, double offset_mm, int source_n, double source_mm) {
  std::vector<std::vector<Overlap>> out(target_n);
  for (int t = 0; t < target_n; ++t) {
    const double lo = offset_mm + (t - 0.5) * target_mm, hi = offset_mm + (t + 0.5) * target_mm;
    const int first = std::max(0, static_cast<int>(std::floor(lo / source_mm + 0.5)));
    const int last = std::min(source_n - 1, static_cast<int>(std::floor(hi / source_mm + 0.5)));
    for (int s = first; s <= last; ++s) {
      const double mm = std::min(hi, (s + 0.5) * source_mm) - std::max(lo, (s - 0.5) * source_mm);
      if (mm > 0) out[t].push_back({s, mm});
    }
  }
  return out;
}

// Σ over source voxels of value × (overlap volume / divisor_ml) for each
// target voxel, done axis by axis (the overlap of parallel boxes is the
// product of the overlaps along each axis). Returns the sums and the
// overlap volume of each target voxel with the source field of view.
std::pair<std::vector<double>, std::vector<double>> overlap_sums(const Volume<float>& source, const Grid& target) {
  const Grid& g = source.grid;
  const Eigen::Matrix3d d = Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(g.direction.data());
  const Eigen::Vector3d offset =
      d.inverse() * (Eigen::Vector3d(target.origin_mm[0], target.origin_mm[1], target.origin_mm[2]) -
                       Eigen::Vector3d(g.origin_mm[0], g.origin_mm[1], g.origin_mm[2]));
  std::array<std::vector<std::vector<Overlap>>, 3> w;
  for (int a = 0; a < 3; ++a) w[a] = overlaps(target.size[a], target.spacing_mm[a], offset[a], g.size[a], g.spacing_mm[a]);
  const int sx = g.size[0], sy = g.size[1], sz = g.size[2], tx = target.size[0], ty = target.size[1], tz = target.size[2];
  // x: source (sx, sy, sz) -> (tx, sy, sz); values × mm.
  std::vector<double> a(static_cast<size_t>(tx) * sy * sz, 0.0);
  for (int k = 0; k < sz; ++k)
    for (int j = 0; j < sy; ++j)
      for (int i = 0; i < tx; ++i) {
        double sum = 0;
        for (const Overlap& o : w[0][i]) sum += source.data[g.index(o.source, j, k)] * o.mm;
        a[(static_cast<size_t>(k) * sy + j) * tx + i] = sum;
      }
  std::vector<double> b(static_cast<size_t>(tx) * ty * sz, 0.0);
  for (int k = 0; k < sz; ++k)
    for (int j = 0; j < ty; ++j)
      for (const Overlap& o : w[1][j])
        for (int i = 0; i < tx; ++i)
          b[(static_cast<size_t>(k) * ty + j) * tx + i] += a[(static_cast<size_t>(k) * sy + o.source) * tx + i] * o.mm;
  std::vector<double> c(target.voxel_count(), 0.0);
  for (int k = 0; k < tz; ++k)
    for (const Overlap& o : w[2][k])
      for (int j = 0; j < ty; ++j)
        for (int i = 0; i < tx; ++i)
          c[target.index(i, j, k)] += b[(static_cast<size_t>(o.source) * ty + j) * tx + i] * o.mm;
  // Overlap volume (mm³) of each target voxel with the source field of view.
  std::vector<double> covered(target.voxel_count());
  std::array<std::vector<double>, 3> len;
  for (int ax = 0; ax < 3; ++ax)
    for (const auto& list : w[ax]) {
      double mm = 0;
      for (const Overlap& o : list) mm += o.mm;
      len[ax].push_back(mm);
    }
  for (int k = 0; k < tz; ++k)
    for (int j = 0; j < ty; ++j)
      for (int i = 0; i < tx; ++i) covered[target.index(i, j, k)] = len[0][i] * len[1][j] * len[2][k];
  return {std::move(c), std::move(covered)};
}

}  // namespace

bool axes_parallel(const Grid& a, const Grid& b) {
  for (int c = 0; c < 9; ++c)
    if (std::abs(a.direction[c] - b.direction[c]) > 1e-5) return false;
  return true;
}

LabelMap resample_nearest(const LabelMap& source, const Grid& target, int outside_label) {
  return nearest(source, target, outside_label);
}

Volume<float> resample_nearest(const Volume<float>& source, const Grid& target, float outside_value) {
  return nearest(source, target, outside_value);
}

Volume<float> resample_average(const Volume<float>& source, const Grid& target, float outside_value) {
  if (!axes_parallel(source.grid, target))
    throw std::invalid_argument("resample_average: the grids' axes are not parallel");
  const auto [sums, covered] = overlap_sums(source, target);
  const double target_mm3 = target.spacing_mm[0] * target.spacing_mm[1] * target.spacing_mm[2];
  Volume<float> out(target, outside_value);
  for (size_t t = 0; t < out.data.size(); ++t)
    out.data[t] = static_cast<float>((sums[t] + outside_value * (target_mm3 - covered[t])) / target_mm3);
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
  if (axes_parallel(source.grid, target)) {
    // Σ_s c_s · overlap_s / V_s: each source voxel's share is its overlapped fraction.
    const auto [sums, covered] = overlap_sums(source, target);
    const double source_mm3 = source.grid.spacing_mm[0] * source.grid.spacing_mm[1] * source.grid.spacing_mm[2];
    Volume<float> out(target, 0.f);
    for (size_t t = 0; t < out.data.size(); ++t) out.data[t] = static_cast<float>(sums[t] / source_mm3);
    return out;
  }
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
