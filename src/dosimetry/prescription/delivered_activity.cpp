#include "dosimetry/prescription/delivered_activity.h"

#include <cmath>

#include "core/error.h"
#include "core/format.h"
#include "physics/y90.h"

namespace sirtkit::dosimetry {
namespace {

void refuse_negative(const image::Volume<float>& v, const std::string& where) {
  for (std::size_t i = 0; i < v.data.size(); ++i)
    if (!std::isfinite(v.data[i]) || v.data[i] < 0)
      fail_input(where, "voxel " + std::to_string(i), num(v.data[i]), "post-treatment image values must be finite and >= 0");
}

double sum_in(const image::Volume<float>& v, const image::Mask& m) {
  double s = 0;
  for (std::size_t i = 0; i < v.data.size(); ++i)
    if (m.data[i]) s += v.data[i];
  return s;
}

DeliveredActivity scaled(const image::Volume<float>& image, double gbq_per_unit, const image::Mask& region) {
  DeliveredActivity d{image::Volume<float>(image.grid, 0.f), gbq_per_unit, 0, 0};
  for (std::size_t i = 0; i < image.data.size(); ++i) {
    d.activity_gbq.data[i] = static_cast<float>(image.data[i] * gbq_per_unit);
    d.total_gbq += d.activity_gbq.data[i];
  }
  d.region_gbq = sum_in(d.activity_gbq, region);
  return d;
}

}  // namespace

DeliveredActivity pet_delivered_activity(const image::Volume<float>& bq_per_ml, double hours_after_injection,
                                         double half_life_h, const image::Mask& region, const std::string& where) {
  refuse_negative(bq_per_ml, where);
  if (!(hours_after_injection >= 0 && hours_after_injection < 30 * 24))
    fail_input(where, "hours after injection", num(hours_after_injection), "the PET scan time after injection, within [0, 720) h");
  const double to_injection = 1.0 / physics::decay_factor(hours_after_injection, half_life_h);
  return scaled(bq_per_ml, bq_per_ml.grid.voxel_volume_ml() * 1e-9 * to_injection, region);
}

DeliveredActivity spect_delivered_activity(const image::Volume<float>& counts, double administered_gbq,
                                           const image::Mask& region, const std::string& where) {
  refuse_negative(counts, where);
  if (!(administered_gbq > 0 && administered_gbq <= 30))
    fail_input(where, "administered activity", num(administered_gbq) + " GBq", "within (0, 30] GBq (vial minus residual)");
  const double c = sum_in(counts, region);
  if (c <= 0) fail_input(where, "counts in the calibration region", "0", "the post-treatment SPECT shows no counts there");
  return scaled(counts, administered_gbq / c, region);
}

}  // namespace sirtkit::dosimetry
