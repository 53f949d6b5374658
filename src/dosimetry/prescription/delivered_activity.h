#pragma once
// Activity actually delivered, from a post-treatment Y-90 image on the dose
// grid, as GBq per voxel that decays fully in place from the injection on.
//
//   PET:   A_v = C_v [Bq/mL] × V_v [mL] × 1e-9 × exp(λ·Δt)
//          (quantitative Y-90 PET at scan time, decay-corrected back to the
//          injection, Δt = scan − injection in hours)
//   SPECT: A_v = A_administered × c_v / C_region
//          (bremsstrahlung SPECT self-calibrated to the administered activity,
//          i.e. the vial activity minus its residual, over a region such as
//          liver + lungs or the whole field of view)
// The calibration factor (GBq per image unit) is reported, so a rescaled
// image is recognised as such.

#include <string>

#include "image/volume.h"

namespace sirtkit::dosimetry {

struct DeliveredActivity {
  image::Volume<float> activity_gbq;
  double gbq_per_unit = 0;      // calibration recovered: GBq at injection per voxel value
  double total_gbq = 0;         // in the whole field of view
  double region_gbq = 0;        // in the calibration region (SPECT) or liver + lungs (PET)
};

DeliveredActivity pet_delivered_activity(const image::Volume<float>& bq_per_ml, double hours_after_injection,
                                         double half_life_h, const image::Mask& region, const std::string& where);

DeliveredActivity spect_delivered_activity(const image::Volume<float>& counts, double administered_gbq,
                                           const image::Mask& region, const std::string& where);

}  // namespace sirtkit::dosimetry
