#pragma once
// The voxels of every VOI of a dose model, with each injection's dose per GBq
// at those voxels, gathered once. Doses are linear in activity
// (dosimetry/prescription/dose_model.h), so the doses of a plan at any activities are then
// computed over the VOIs' voxels only, not the whole grid: a what-if on a
// prepared model (the server's workspace, issue 14) costs the VOIs' voxels.
// The doses are bit for bit those of combined_dose at the same voxels (the same
// float sum in injection order), so every number is the full computation's.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dosimetry/prescription/dose_model.h"

namespace sirtkit::dosimetry {

struct VoiVoxels {
  const Voi* voi = nullptr;
  std::size_t position = 0;                          // in VoiDoses::vois() (and model.vois)
  std::size_t same_voxels_as = 0;                    // the first VOI with exactly these voxels (position, maybe its own):
                                                     // its doses are this one's (a territory and its perfused liver)
  std::vector<std::size_t> index;                    // grid indices, ascending
  std::vector<float> mass_kg;                        // per voxel
  std::vector<std::uint8_t> is_tumour;               // per voxel: inside any VOI of role tumour
  std::vector<std::vector<float>> unit_gy_per_gbq;   // per injection, per voxel
  // A model of one injection: its doses per GBq at these voxels sorted ascending,
  // the order of the VOI's doses at every activity (dosimetry/metrics/scaled_doses.h);
  // empty with several injections (their sum's order changes with the activities).
  std::vector<float> sorted_unit_gy_per_gbq;
  double mass_sum_kg = 0;  // Σ mass_kg in grid order, as dose_metrics sums it
};

class VoiDoses {
 public:
  // Keeps a reference to `model`, which must outlive it.
  explicit VoiDoses(const DoseModel& model);
  const DoseModel& model() const { return model_; }
  const std::vector<VoiVoxels>& vois() const { return vois_; }
  // The VOI named `name`; throws bad_input naming it (as DoseModel::voi) when the model has none.
  const VoiVoxels& at(const std::string& name) const;
  // Σ_k float(a_k)·unit_k at each voxel of `v`, in injection order: combined_dose(model, a) at v's voxels.
  void doses(const VoiVoxels& v, std::span<const double> administered_gbq, std::vector<float>& out) const;

 private:
  const DoseModel& model_;
  std::vector<VoiVoxels> vois_;
};

}  // namespace sirtkit::dosimetry
