#include "dosimetry/voxel/tissue_density.h"

namespace sirtkit::dosimetry {

double density_g_per_ml(double hu, const HuDensityCalibration& c) {
  const auto& p = c.points;
  if (hu <= p.front().first) return p.front().second;
  if (hu >= p.back().first) return p.back().second;
  for (size_t i = 1; i < p.size(); ++i) {
    if (hu <= p[i].first) {
      const double t = (hu - p[i - 1].first) / (p[i].first - p[i - 1].first);
      return p[i - 1].second + t * (p[i].second - p[i - 1].second);
    }
  }
  return p.back().second;
}

image::Volume<float> density_map(const image::Volume<float>& ct, const HuDensityCalibration& c) {
  image::Volume<float> out(ct.grid);
  for (size_t i = 0; i < ct.data.size(); ++i) out.data[i] = static_cast<float>(density_g_per_ml(ct.data[i], c));
  return out;
}

}  // namespace sirtkit::dosimetry
