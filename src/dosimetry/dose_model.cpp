#include "dosimetry/dose_model.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/format.h"
#include "dosimetry/lung_shunt.h"
#include "dosimetry/partition_model.h"

namespace sirtkit::dosimetry {

const char* approach_name(Approach a) {
  switch (a) {
    case Approach::standard: return "standard (MIRD single compartment)";
    case Approach::partition: return "partition model";
    case Approach::voxel: return "voxel";
  }
  return "";
}

const char* voxel_method_name(VoxelMethod m) {
  return m == VoxelMethod::kernel ? "dose-voxel kernel (FFT convolution)" : "local deposition";
}

const char* calibration_name(CountCalibration c) {
  return c == CountCalibration::field_of_view ? "field of view" : "liver and lungs";
}

std::string normal_liver_name() { return "normal liver"; }
std::string perfused_liver_name(const std::string& injection) { return "perfused liver: " + injection; }
std::string perfused_normal_liver_name(const std::string& injection) { return "perfused normal liver: " + injection; }

const Voi& DoseModel::voi(const std::string& name) const {
  for (const Voi& v : vois)
    if (v.name == name) return v;
  std::string known;
  for (const Voi& v : vois) known += (known.empty() ? "'" : ", '") + v.name + "'";
  fail_input("plan", "VOI", "'" + name + "'", "no such volume of interest; known: " + known);
}

namespace {

double sum_over(const image::Volume<float>& v, const image::Mask& m) {
  double s = 0;
  for (std::size_t i = 0; i < v.data.size(); ++i)
    if (m.data[i]) s += v.data[i];
  return s;
}

image::Mask union_of(const std::vector<const Voi*>& vois, const image::Grid& g) {
  image::Mask out(g, 0);
  for (const Voi* v : vois)
    for (std::size_t i = 0; i < out.data.size(); ++i) out.data[i] |= v->mask.data[i];
  return out;
}

image::Mask intersect(const image::Mask& a, const image::Mask& b) {
  image::Mask out(a.grid, 0);
  for (std::size_t i = 0; i < out.data.size(); ++i) out.data[i] = a.data[i] && b.data[i];
  return out;
}

image::Mask minus(const image::Mask& a, const image::Mask& b) {
  image::Mask out(a.grid, 0);
  for (std::size_t i = 0; i < out.data.size(); ++i) out.data[i] = a.data[i] && !b.data[i];
  return out;
}

// Activity per GBq administered of injection k in the liver part of its territory.
void add_liver_activity(image::Volume<float>& activity, const image::Volume<float>& counts, const image::Mask& perfused,
                        double liver_gbq_per_gbq, double territory_counts) {
  const double scale = liver_gbq_per_gbq / territory_counts;
  for (std::size_t i = 0; i < activity.data.size(); ++i)
    if (perfused.data[i]) activity.data[i] += static_cast<float>(counts.data[i] * scale);
}

// The compartment models treat the lungs as one uniform compartment.
void add_uniform_lung_dose(image::Volume<float>& unit, const image::Mask& lungs, double gy_per_gbq) {
  for (std::size_t i = 0; i < unit.data.size(); ++i)
    if (lungs.data[i]) unit.data[i] = static_cast<float>(gy_per_gbq);
}

}  // namespace

LungShunt spect_lung_shunt_of(const PatientData& data, const std::string& where) {
  const auto lungs = data.with_role(VoiRole::lungs);
  const auto livers = data.with_role(VoiRole::liver);
  if (lungs.empty()) fail_input(where, "lung_shunt.method", "\"spect\"", "needs a VOI with role lungs");
  if (livers.empty()) fail_input(where, "lung_shunt.method", "\"spect\"", "needs a VOI with role liver");
  const image::Mask lung_mask = union_of(lungs, data.counts.grid);
  const double lsf = spect_lung_shunt(sum_over(data.counts, lung_mask), sum_over(data.counts, livers[0]->mask), where);
  return {lsf, "SPECT/CT VOI counts"};
}

DoseModel build_dose_model(const PatientData& data, const std::vector<Injection>& injections, const LungShunt& lsf,
                           const DoseModelOptions& options, const std::string& where) {
  validate_patient_data(data, where);
  if (injections.empty()) fail_input(where, "injection", "(none)", "at least one [[injection]] is required");
  if (!(lsf.fraction >= 0 && lsf.fraction < 1))
    fail_input(where, "lung shunt fraction", num(lsf.fraction), "must be >= 0 and < 1 (100 %)");
  const image::Grid& g = data.counts.grid;
  DoseModel m;
  m.options = options;
  m.lung_shunt = lsf;
  m.injections = injections;

  // Masses from density.
  m.mass_kg = image::Volume<float>(g, 0.f);
  const double voxel_ml = g.voxel_volume_ml();
  for (std::size_t i = 0; i < m.mass_kg.data.size(); ++i)
    m.mass_kg.data[i] = static_cast<float>(data.density_g_per_ml.data[i] * voxel_ml / 1000.0);

  const Voi& liver = *data.with_role(VoiRole::liver)[0];
  const image::Mask tumour_union = union_of(data.with_role(VoiRole::tumour), g);
  const image::Mask normal_liver = minus(liver.mask, tumour_union);
  const auto lungs = data.with_role(VoiRole::lungs);
  const image::Mask lung_mask = union_of(lungs, g);

  Quantification& q = m.quantification;
  q.liver_counts = sum_over(data.counts, liver.mask);
  q.lung_counts = sum_over(data.counts, lung_mask);
  for (float c : data.counts.data) q.fov_counts += c;
  if (q.liver_counts <= 0) fail_input(where, "liver VOI '" + liver.name + "'", "0 counts", "the MAA SPECT shows no counts in the liver");
  if (options.calibration == CountCalibration::field_of_view && options.approach != Approach::standard)
    q.liver_retained_fraction = q.liver_counts / (q.fov_counts - q.lung_counts);

  if (options.lung_mass_kg) {
    q.lung_mass_kg = *options.lung_mass_kg;
    q.lung_mass_source = "stated";
  } else {
    if (lungs.empty()) fail_input(where, "lung_mass", "\"ct\"", "needs a VOI with role lungs");
    q.lung_mass_kg = sum_over(m.mass_kg, lung_mask);
    q.lung_mass_source = "CT density over the lung VOI";
  }
  if (!(q.lung_mass_kg > 0.1 && q.lung_mass_kg < 5))
    fail_input(where, "lung mass", num(q.lung_mass_kg) + " kg", "expected 0.1–5 kg for adult lungs");
  m.lung_dose_gy_per_gbq = options.k_gy_kg_per_gbq * lsf.fraction / q.lung_mass_kg;

  // VOIs: inputs, normal liver, and per injection the perfused (normal) liver.
  m.vois = data.vois;
  m.vois.push_back({normal_liver_name(), VoiRole::other, normal_liver});
  image::Mask perfused_any(g, 0);
  std::vector<image::Mask> perfused;
  for (const Injection& inj : injections) {
    const Voi* territory = data.find(inj.territory);
    if (!territory || territory->role != VoiRole::territory)
      fail_input(where, "injection '" + inj.name + "'.territory", "'" + inj.territory + "'",
                 "must name a VOI with role territory");
    image::Mask p = intersect(territory->mask, liver.mask);
    for (std::size_t i = 0; i < p.data.size(); ++i) {
      if (p.data[i] && perfused_any.data[i])
        fail_input(where, "injection '" + inj.name + "'", "territory '" + inj.territory + "'",
                   "overlaps the territory of an earlier injection; split the territories");
      perfused_any.data[i] |= p.data[i];
    }
    m.vois.push_back({perfused_liver_name(inj.name), VoiRole::other, p});
    m.vois.push_back({perfused_normal_liver_name(inj.name), VoiRole::other, minus(p, tumour_union)});
    perfused.push_back(std::move(p));
  }
  const double outside = sum_over(data.counts, minus(liver.mask, perfused_any));
  q.counts_in_liver_outside_territories_fraction = outside / q.liver_counts;
  const std::size_t normal_n = voxel_count(normal_liver);
  m.hepatic_reserve_percent =
      normal_n ? 100.0 * static_cast<double>(voxel_count(minus(normal_liver, perfused_any))) / normal_n : 0.0;

  // Tumour-to-normal ratios per tumour against its territory's normal liver.
  const double k = options.k_gy_kg_per_gbq;
  for (std::size_t n = 0; n < injections.size(); ++n) {
    const double c = sum_over(data.counts, perfused[n]);
    if (c <= 0)
      fail_input(where, "injection '" + injections[n].name + "'", "0 counts",
                 "no MAA counts in its territory '" + injections[n].territory + "' within the liver");
    q.territory_counts.push_back(c);
  }

  std::optional<KernelConvolution> convolution;
  if (options.approach == Approach::voxel && options.voxel_method == VoxelMethod::kernel) {
    m.kernel = y90_soft_tissue_kernel(g.spacing_mm);
    convolution.emplace(g.size, *m.kernel, options.threads);
  }

  double excluded = 0;
  for (std::size_t n = 0; n < injections.size(); ++n) {
    const image::Mask& p = perfused[n];
    const image::Mask p_normal = minus(p, tumour_union);
    const double liver_share = (1.0 - lsf.fraction) * q.liver_retained_fraction;
    image::Volume<float> unit(g, 0.f);
    // Tumour-to-normal ratios, counts per mL.
    const double normal_density = sum_over(data.counts, p_normal) / std::max<std::size_t>(1, voxel_count(p_normal));
    std::vector<TumourCompartment> compartments;
    std::vector<image::Mask> compartment_masks;
    for (const Voi* t : data.with_role(VoiRole::tumour)) {
      image::Mask tp = intersect(t->mask, p);
      const std::size_t tn_voxels = voxel_count(tp);
      if (tn_voxels == 0) continue;
      const double tn = normal_density > 0 ? (sum_over(data.counts, tp) / tn_voxels) / normal_density : 0;
      q.tn_ratios.emplace_back(t->name, tn);
      compartments.push_back({t->name, sum_over(m.mass_kg, tp), tn});
      compartment_masks.push_back(std::move(tp));
    }
    switch (options.approach) {
      case Approach::standard: {
        const double dose = k * (1.0 - lsf.fraction) / sum_over(m.mass_kg, p);
        for (std::size_t i = 0; i < unit.data.size(); ++i)
          if (p.data[i]) unit.data[i] = static_cast<float>(dose);
        add_uniform_lung_dose(unit, lung_mask, m.lung_dose_gy_per_gbq);
        break;
      }
      case Approach::partition: {
        const double normal_mass = sum_over(m.mass_kg, p_normal);
        if (normal_density <= 0 && voxel_count(p_normal) > 0)
          fail_input(where, "injection '" + injections[n].name + "'", "0 counts in perfused normal liver",
                     "the partition model needs counts in normal liver to form tumour-to-normal ratios");
        // partition_doses applies (1 − LSF); η scales the liver share.
        const PartitionDoses d = partition_doses(q.liver_retained_fraction, lsf.fraction, compartments, normal_mass,
                                                 q.lung_mass_kg, k);
        for (std::size_t i = 0; i < unit.data.size(); ++i)
          if (p_normal.data[i]) unit.data[i] = static_cast<float>(d.normal_dose_gy);
        for (std::size_t c = 0; c < compartments.size(); ++c)
          for (std::size_t i = 0; i < unit.data.size(); ++i)
            if (compartment_masks[c].data[i]) unit.data[i] = static_cast<float>(d.tumour_dose_gy[c]);
        add_uniform_lung_dose(unit, lung_mask, m.lung_dose_gy_per_gbq);
        break;
      }
      case Approach::voxel: {
        image::Volume<float> activity(g, 0.f);
        add_liver_activity(activity, data.counts, p, liver_share, q.territory_counts[n]);
        if (q.lung_counts > 0) add_liver_activity(activity, data.counts, lung_mask, lsf.fraction, q.lung_counts);
        VoxelDose vd = options.voxel_method == VoxelMethod::kernel
                           ? kernel_dose(activity, m.mass_kg, k, *convolution, options.voxel)
                           : local_deposition_dose(activity, m.mass_kg, k, options.voxel);
        excluded = std::max(excluded, vd.excluded_energy_fraction);
        unit = std::move(vd.dose_gy);
        break;
      }
    }
    m.unit_dose_gy_per_gbq.push_back(std::move(unit));
  }
  m.excluded_energy_fraction = excluded;
  return m;
}

image::Volume<float> combined_dose(const DoseModel& model, const std::vector<double>& administered_gbq) {
  image::Volume<float> out(model.mass_kg.grid, 0.f);
  for (std::size_t n = 0; n < model.unit_dose_gy_per_gbq.size(); ++n) {
    const float a = static_cast<float>(administered_gbq[n]);
    const auto& u = model.unit_dose_gy_per_gbq[n].data;
    for (std::size_t i = 0; i < out.data.size(); ++i) out.data[i] += a * u[i];
  }
  return out;
}

}  // namespace sirtkit::dosimetry
