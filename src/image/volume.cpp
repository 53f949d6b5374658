#include "image/volume.h"

#include <Eigen/Dense>

namespace sirtkit::image {
namespace {

Eigen::Matrix3d direction_matrix(const Grid& g) {
  return Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(g.direction.data());
}

}  // namespace

std::array<double, 3> Grid::point_mm(double i, double j, double k) const {
  const Eigen::Vector3d scaled(i * spacing_mm[0], j * spacing_mm[1], k * spacing_mm[2]);
  const Eigen::Vector3d p = Eigen::Vector3d(origin_mm[0], origin_mm[1], origin_mm[2]) + direction_matrix(*this) * scaled;
  return {p[0], p[1], p[2]};
}

std::array<double, 3> Grid::continuous_index(const std::array<double, 3>& p) const {
  const Eigen::Vector3d local =
      direction_matrix(*this).inverse() * (Eigen::Vector3d(p[0], p[1], p[2]) - Eigen::Vector3d(origin_mm[0], origin_mm[1], origin_mm[2]));
  return {local[0] / spacing_mm[0], local[1] / spacing_mm[1], local[2] / spacing_mm[2]};
}

}  // namespace sirtkit::image
