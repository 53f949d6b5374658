#include "image/gaussian_filter.h"

#include <cmath>

namespace sirtkit::image {
namespace {

std::vector<double> kernel_1d(double sigma_voxels) {
  const int half = std::max(1, static_cast<int>(std::ceil(3.0 * sigma_voxels)));
  std::vector<double> k(2 * half + 1);
  double sum = 0;
  for (int n = -half; n <= half; ++n) sum += k[n + half] = std::exp(-0.5 * n * n / (sigma_voxels * sigma_voxels));
  for (double& w : k) w /= sum;
  return k;
}

void blur_axis(std::vector<float>& data, const Grid& g, int axis, const std::vector<double>& kernel) {
  const int half = static_cast<int>(kernel.size() / 2);
  const int n = g.size[axis];
  const size_t stride = axis == 0 ? 1 : axis == 1 ? static_cast<size_t>(g.size[0])
                                                  : static_cast<size_t>(g.size[0]) * g.size[1];
  std::vector<double> line(n);
  const int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2;
  for (int v = 0; v < g.size[a2]; ++v)
    for (int u = 0; u < g.size[a1]; ++u) {
      std::array<int, 3> start{0, 0, 0};
      start[a1] = u;
      start[a2] = v;
      const size_t base = g.index(start[0], start[1], start[2]);
      for (int p = 0; p < n; ++p) line[p] = data[base + p * stride];
      for (int p = 0; p < n; ++p) {
        double acc = 0;
        for (int q = -half; q <= half; ++q) {
          const int s = p + q;
          if (s >= 0 && s < n) acc += kernel[q + half] * line[s];
        }
        data[base + p * stride] = static_cast<float>(acc);
      }
    }
}

}  // namespace

Volume<float> gaussian_blur(const Volume<float>& input, double fwhm_mm) {
  Volume<float> out = input;
  if (fwhm_mm <= 0) return out;
  const double sigma_mm = fwhm_mm / (2.0 * std::sqrt(2.0 * std::log(2.0)));
  for (int axis = 0; axis < 3; ++axis) blur_axis(out.data, out.grid, axis, kernel_1d(sigma_mm / out.grid.spacing_mm[axis]));
  return out;
}

}  // namespace sirtkit::image
