#include "dosimetry/planning/patient_data.h"

#include <cmath>
#include <fmt/format.h>

#include "core/error.h"
#include "core/format.h"

namespace sirtkit::dosimetry {

const char* role_name(VoiRole role) {
  switch (role) {
    case VoiRole::liver: return "liver";
    case VoiRole::tumour: return "tumour";
    case VoiRole::lungs: return "lungs";
    case VoiRole::territory: return "territory";
    case VoiRole::other: return "other";
  }
  return "other";
}

const Voi* PatientData::find(const std::string& name) const {
  for (const Voi& v : vois)
    if (v.name == name) return &v;
  return nullptr;
}

std::vector<const Voi*> PatientData::with_role(VoiRole role) const {
  std::vector<const Voi*> out;
  for (const Voi& v : vois)
    if (v.role == role) out.push_back(&v);
  return out;
}

std::size_t voxel_count(const image::Mask& mask) {
  std::size_t n = 0;
  for (unsigned char m : mask.data) n += m != 0;
  return n;
}

namespace {

std::size_t overlap(const image::Mask& a, const image::Mask& b) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) n += a.data[i] && b.data[i];
  return n;
}

}  // namespace

void validate_patient_data(const PatientData& d, const std::string& where) {
  for (std::size_t i = 0; i < d.counts.data.size(); ++i) {
    const float c = d.counts.data[i];
    if (!std::isfinite(c) || c < 0) {
      const auto& s = d.counts.grid.size;
      fail_input(where, fmt::format("SPECT voxel ({}, {}, {})", i % s[0], (i / s[0]) % s[1], i / (std::size_t(s[0]) * s[1])),
                 num(c), "counts must be finite and >= 0");
    }
  }
  for (const Voi& v : d.vois)
    if (voxel_count(v.mask) == 0) fail_input(where, "VOI '" + v.name + "'", "0 voxels", "the mask is empty on the dose grid");
  const auto livers = d.with_role(VoiRole::liver);
  if (livers.size() != 1)
    fail_input(where, "VOIs with role liver", std::to_string(livers.size()), "exactly one liver VOI is required");
  const image::Mask& liver = livers[0]->mask;
  double liver_counts = 0;
  for (std::size_t i = 0; i < liver.data.size(); ++i)
    if (liver.data[i]) liver_counts += d.counts.data[i];
  if (liver_counts <= 0)
    fail_input(where, "liver VOI '" + livers[0]->name + "'", "0 counts", "the MAA SPECT shows no counts in the liver");
  const auto tumours = d.with_role(VoiRole::tumour);
  for (std::size_t a = 0; a < tumours.size(); ++a) {
    const std::size_t n = voxel_count(tumours[a]->mask);
    const std::size_t inside = overlap(tumours[a]->mask, liver);
    if (inside != n)
      fail_input(where, "tumour '" + tumours[a]->name + "'", fmt::format("{} of {} voxels outside the liver", n - inside, n),
                 "tumours must lie within the liver VOI (the liver includes its tumours)");
    for (std::size_t b = a + 1; b < tumours.size(); ++b)
      if (std::size_t o = overlap(tumours[a]->mask, tumours[b]->mask))
        fail_input(where, "tumours '" + tumours[a]->name + "' and '" + tumours[b]->name + "'",
                   fmt::format("{} shared voxels", o), "tumour VOIs must not overlap");
  }
  for (const Voi* lungs : d.with_role(VoiRole::lungs))
    if (std::size_t o = overlap(lungs->mask, liver))
      fail_input(where, "lungs '" + lungs->name + "'", fmt::format("{} voxels shared with the liver", o),
                 "lung and liver VOIs must not overlap");
  for (const Voi* t : d.with_role(VoiRole::territory))
    if (overlap(t->mask, liver) == 0)
      fail_input(where, "territory '" + t->name + "'", "no voxel in the liver", "a perfused territory must cover liver");
}

}  // namespace sirtkit::dosimetry
