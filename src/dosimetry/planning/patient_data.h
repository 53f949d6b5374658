#pragma once
// The planning inputs of one patient, all on one dose grid: MAA SPECT counts,
// tissue density, and the volumes of interest by role.

#include <string>
#include <vector>

#include "image/volume.h"

namespace sirtkit::dosimetry {

enum class VoiRole { liver, tumour, lungs, territory, other };

const char* role_name(VoiRole role);

struct Voi {
  std::string name;
  VoiRole role = VoiRole::other;
  image::Mask mask;  // 1 inside
};

struct PatientData {
  image::Volume<float> counts;            // Tc-99m MAA SPECT, counts per voxel
  image::Volume<float> density_g_per_ml;  // from CT or stated per VOI
  std::vector<Voi> vois;

  const Voi* find(const std::string& name) const;
  std::vector<const Voi*> with_role(VoiRole role) const;
};

// Refuses what cannot be planned on, naming the VOI: an empty VOI, tumours
// overlapping each other, a tumour or territory outside the liver, territories
// of two injections overlapping, NaN or negative counts, exactly one liver.
void validate_patient_data(const PatientData& data, const std::string& where);

std::size_t voxel_count(const image::Mask& mask);

}  // namespace sirtkit::dosimetry
