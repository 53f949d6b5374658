#pragma once
// Volume<T>: a 3-D image on a physical grid. Voxel (i, j, k) sits at
// origin + direction · (i·sx, j·sy, k·sz) in mm (LPS, as ITK and DICOM).
// x runs fastest in memory.

#include <array>
#include <cstddef>
#include <vector>

namespace sirtkit::image {

struct Grid {
  std::array<int, 3> size{0, 0, 0};
  std::array<double, 3> spacing_mm{1, 1, 1};
  std::array<double, 3> origin_mm{0, 0, 0};
  // Row-major direction cosines: column c is the physical direction of index axis c.
  std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};

  std::size_t voxel_count() const {
    return static_cast<std::size_t>(size[0]) * size[1] * size[2];
  }
  double voxel_volume_ml() const {
    return spacing_mm[0] * spacing_mm[1] * spacing_mm[2] / 1000.0;
  }
  std::size_t index(int i, int j, int k) const {
    return (static_cast<std::size_t>(k) * size[1] + j) * size[0] + i;
  }
  std::array<double, 3> point_mm(double i, double j, double k) const;
  // Continuous voxel index of a physical point.
  std::array<double, 3> continuous_index(const std::array<double, 3>& point_mm) const;
};

template <typename T>
struct Volume {
  Grid grid;
  std::vector<T> data;

  Volume() = default;
  explicit Volume(const Grid& g, T fill = T{}) : grid(g), data(g.voxel_count(), fill) {}

  T& at(int i, int j, int k) { return data[grid.index(i, j, k)]; }
  const T& at(int i, int j, int k) const { return data[grid.index(i, j, k)]; }
  std::size_t size() const { return data.size(); }
};

using Mask = Volume<unsigned char>;
using LabelMap = Volume<int>;

}  // namespace sirtkit::image
