#include "dosimetry/metrics/voi_doses.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "dosimetry/metrics/plan_radiobiology.h"

namespace sirtkit::dosimetry {

VoiDoses::VoiDoses(const DoseModel& model) : model_(model) {
  const image::Mask tumours = tumour_mask(model);
  const std::size_t injections = model.unit_dose_gy_per_gbq.size();
  for (const Voi& voi : model.vois) {
    VoiVoxels v;
    v.voi = &voi;
    v.position = vois_.size();
    v.unit_gy_per_gbq.resize(injections);
    for (std::size_t i = 0; i < voi.mask.data.size(); ++i) {
      if (!voi.mask.data[i]) continue;
      v.index.push_back(i);
      v.mass_kg.push_back(model.mass_kg.data[i]);
      v.mass_sum_kg += v.mass_kg.back();
      v.is_tumour.push_back(tumours.data[i]);
      for (std::size_t k = 0; k < injections; ++k) v.unit_gy_per_gbq[k].push_back(model.unit_dose_gy_per_gbq[k].data[i]);
    }
    // Only finite doses have an order that scaling keeps (0 · ∞ is NaN): otherwise the passes over the voxels.
    if (injections == 1 && std::all_of(v.unit_gy_per_gbq[0].begin(), v.unit_gy_per_gbq[0].end(), [](float u) { return std::isfinite(u); })) {
      v.sorted_unit_gy_per_gbq = v.unit_gy_per_gbq[0];
      std::sort(v.sorted_unit_gy_per_gbq.begin(), v.sorted_unit_gy_per_gbq.end());
    }
    v.same_voxels_as = v.position;
    for (const VoiVoxels& u : vois_)
      if (u.index == v.index) {
        v.same_voxels_as = u.position;
        break;
      }
    vois_.push_back(std::move(v));
  }
}

const VoiVoxels& VoiDoses::at(const std::string& name) const {
  for (const auto& v : vois_)
    if (v.voi->name == name) return v;
  model_.voi(name);  // throws bad_input naming the VOI
  throw Error(ErrorCategory::internal, "VoiDoses: no VOI " + name);
}

void VoiDoses::doses(const VoiVoxels& v, std::span<const double> administered_gbq, std::vector<float>& out) const {
  const std::size_t injections = v.unit_gy_per_gbq.size();
  if (administered_gbq.size() != injections) throw Error(ErrorCategory::internal, "VoiDoses: activities and injections differ in number");
  const std::size_t n = v.index.size();
  out.resize(n);
  float* d = out.data();
  if (injections == 0) {
    std::fill(out.begin(), out.end(), 0.f);
    return;
  }
  // As combined_dose: a float sum from 0, one injection after the other. The
  // first term is written (0 + a·u, not a·u: -0 becomes +0 as there), the
  // second added in the same pass; any further one in a pass of its own.
  const float a0 = static_cast<float>(administered_gbq[0]);
  const float* u0 = v.unit_gy_per_gbq[0].data();
  if (injections == 1) {
    for (std::size_t i = 0; i < n; ++i) d[i] = 0.f + a0 * u0[i];
    return;
  }
  const float a1 = static_cast<float>(administered_gbq[1]);
  const float* u1 = v.unit_gy_per_gbq[1].data();
  for (std::size_t i = 0; i < n; ++i) d[i] = (0.f + a0 * u0[i]) + a1 * u1[i];
  for (std::size_t k = 2; k < injections; ++k) {
    const float a = static_cast<float>(administered_gbq[k]);
    const float* u = v.unit_gy_per_gbq[k].data();
    for (std::size_t i = 0; i < n; ++i) d[i] += a * u[i];
  }
}

}  // namespace sirtkit::dosimetry
