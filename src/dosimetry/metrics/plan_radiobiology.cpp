#include "dosimetry/metrics/plan_radiobiology.h"

#include <cstdint>
#include <span>
#include <vector>

namespace sirtkit::dosimetry {

image::Mask tumour_mask(const DoseModel& model) {
  image::Mask out(model.mass_kg.grid, 0);
  for (const Voi& v : model.vois)
    if (v.role == VoiRole::tumour)
      for (std::size_t i = 0; i < out.data.size(); ++i) out.data[i] |= v.mask.data[i] ? 1 : 0;
  return out;
}

VoiRadiobiology plan_voi_radiobiology(const Voi& voi, std::span<const float> doses, std::span<const float> masses,
                                      std::span<const std::uint8_t> is_tumour, const PlanRules& rules, double mean_dose_gy,
                                      double voxel_volume_ml) {
  if (voi.role == VoiRole::lungs) {  // uniform at the package-insert dose, normal tissue
    VoiRadiobiology r;
    r.bed_mean_gy = r.bed_of_mean_dose_gy = r.eubed_gy = bed_gy(mean_dose_gy, rules.normal_radiobiology, rules.half_life_h);
    r.eud_gy = mean_dose_gy;
    return r;
  }
  OutcomeRequest outcome;
  outcome.voxel_volume_ml = voxel_volume_ml;
  if (voi.role == VoiRole::tumour) outcome.tcp = &rules.tumour_tcp;
  if (voi.name == normal_liver_name()) outcome.ntcp = &rules.liver_ntcp;
  const VoxelTissueParameters tissue{rules.tumour_radiobiology, rules.normal_radiobiology, rules.half_life_h};
  return voi_radiobiology(doses, masses, is_tumour, mean_dose_gy, tissue, outcome);
}

}  // namespace sirtkit::dosimetry
