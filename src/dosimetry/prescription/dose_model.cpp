#include "dosimetry/prescription/dose_model.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/format.h"
#include "dosimetry/prescription/lung_shunt.h"
#include "dosimetry/prescription/partition_model.h"

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

std::string normal_reference_name(const DoseModel& m, const image::Mask& tumour) {
  std::string best = normal_liver_name();
  std::size_t most = 0;
  for (const auto& inj : m.injections) {
    const auto& p = m.voi(perfused_liver_name(inj.name)).mask;
    std::size_t n = 0;
    for (std::size_t i = 0; i < p.data.size(); ++i) n += p.data[i] && tumour.data[i];
    if (n > most) most = n, best = perfused_normal_liver_name(inj.name);
  }
  return best;
}

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

namespace {

struct Masks {
  image::Mask liver, tumours, normal_liver, lungs, perfused_any;
  std::vector<image::Mask> perfused;  // per injection: its territory within the liver
};

image::Volume<float> mass_from_density(const image::Volume<float>& density_g_per_ml) {
  image::Volume<float> mass(density_g_per_ml.grid, 0.f);
  const double voxel_ml = mass.grid.voxel_volume_ml();
  for (std::size_t i = 0; i < mass.data.size(); ++i)
    mass.data[i] = static_cast<float>(density_g_per_ml.data[i] * voxel_ml / 1000.0);
  return mass;
}

Masks derive_masks(const PatientData& data, const std::vector<Injection>& injections, const std::string& where) {
  const image::Grid& g = data.counts.grid;
  Masks k;
  k.liver = data.with_role(VoiRole::liver)[0]->mask;
  k.tumours = union_of(data.with_role(VoiRole::tumour), g);
  k.normal_liver = minus(k.liver, k.tumours);
  k.lungs = union_of(data.with_role(VoiRole::lungs), g);
  k.perfused_any = image::Mask(g, 0);
  for (const Injection& inj : injections) {
    const Voi* territory = data.find(inj.territory);
    if (!territory || territory->role != VoiRole::territory)
      fail_input(where, "injection '" + inj.name + "'.territory", "'" + inj.territory + "'", "must name a VOI with role territory");
    image::Mask p = intersect(territory->mask, k.liver);
    for (std::size_t i = 0; i < p.data.size(); ++i) {
      if (p.data[i] && k.perfused_any.data[i])
        fail_input(where, "injection '" + inj.name + "'", "territory '" + inj.territory + "'",
                   "overlaps the territory of an earlier injection; split the territories");
      k.perfused_any.data[i] |= p.data[i];
    }
    k.perfused.push_back(std::move(p));
  }
  return k;
}

void quantify(DoseModel& m, const PatientData& data, const Masks& k, const std::string& where) {
  Quantification& q = m.quantification;
  const DoseModelOptions& o = m.options;
  q.liver_counts = sum_over(data.counts, k.liver);
  q.lung_counts = sum_over(data.counts, k.lungs);
  for (float c : data.counts.data) q.fov_counts += c;
  if (o.calibration == CountCalibration::field_of_view && o.approach != Approach::standard)
    q.liver_retained_fraction = q.liver_counts / (q.fov_counts - q.lung_counts);
  if (o.lung_mass_kg) {
    q.lung_mass_kg = *o.lung_mass_kg;
    q.lung_mass_source = "stated";
  } else {
    if (data.with_role(VoiRole::lungs).empty()) fail_input(where, "lung_mass", "\"ct\"", "needs a VOI with role lungs");
    q.lung_mass_kg = sum_over(m.mass_kg, k.lungs);
    q.lung_mass_source = "CT density over the lung VOI";
  }
  if (!(q.lung_mass_kg > 0.1 && q.lung_mass_kg < 5))
    fail_input(where, "lung mass", num(q.lung_mass_kg) + " kg", "expected 0.1–5 kg for adult lungs");
  m.lung_dose_gy_per_gbq = o.k_gy_kg_per_gbq * m.lung_shunt.fraction / q.lung_mass_kg;
  for (std::size_t n = 0; n < k.perfused.size(); ++n) {
    const double c = sum_over(data.counts, k.perfused[n]);
    if (c <= 0)
      fail_input(where, "injection '" + m.injections[n].name + "'", "0 counts",
                 "no MAA counts in its territory '" + m.injections[n].territory + "' within the liver");
    q.territory_counts.push_back(c);
  }
  q.counts_in_liver_outside_territories_fraction = sum_over(data.counts, minus(k.liver, k.perfused_any)) / q.liver_counts;
  const std::size_t normal_n = voxel_count(k.normal_liver);
  m.hepatic_reserve_percent =
      normal_n ? 100.0 * static_cast<double>(voxel_count(minus(k.normal_liver, k.perfused_any))) / normal_n : 0.0;
}

// Tumour compartments of one territory, with tumour-to-normal ratios in counts per mL.
struct Compartments {
  std::vector<TumourCompartment> tumours;
  std::vector<image::Mask> masks;
  image::Mask normal;
  double normal_counts_per_voxel = 0;
};

Compartments compartments_of(const PatientData& data, const image::Mask& perfused, const Masks& k,
                             const image::Volume<float>& mass_kg) {
  Compartments c;
  c.normal = minus(perfused, k.tumours);
  c.normal_counts_per_voxel = sum_over(data.counts, c.normal) / std::max<std::size_t>(1, voxel_count(c.normal));
  for (const Voi* t : data.with_role(VoiRole::tumour)) {
    image::Mask tp = intersect(t->mask, perfused);
    const std::size_t n = voxel_count(tp);
    if (n == 0) continue;
    const double tn = c.normal_counts_per_voxel > 0 ? (sum_over(data.counts, tp) / n) / c.normal_counts_per_voxel : 0;
    c.tumours.push_back({t->name, sum_over(mass_kg, tp), tn});
    c.masks.push_back(std::move(tp));
  }
  return c;
}

void fill(image::Volume<float>& v, const image::Mask& m, double value) {
  for (std::size_t i = 0; i < v.data.size(); ++i)
    if (m.data[i]) v.data[i] = static_cast<float>(value);
}

// MIRD single compartment: uniform over the perfused liver; the lungs as one compartment.
image::Volume<float> standard_unit_dose(const DoseModel& m, const image::Mask& perfused, const Masks& k) {
  image::Volume<float> unit(m.mass_kg.grid, 0.f);
  fill(unit, perfused, m.options.k_gy_kg_per_gbq * (1.0 - m.lung_shunt.fraction) / sum_over(m.mass_kg, perfused));
  fill(unit, k.lungs, m.lung_dose_gy_per_gbq);
  return unit;
}

image::Volume<float> partition_unit_dose(const DoseModel& m, const Compartments& c, const Masks& k, const std::string& injection,
                                         const std::string& where) {
  if (c.normal_counts_per_voxel <= 0 && voxel_count(c.normal) > 0)
    fail_input(where, "injection '" + injection + "'", "0 counts in perfused normal liver",
               "the partition model needs counts in normal liver to form tumour-to-normal ratios");
  // partition_doses applies (1 − LSF) to the activity given; η scales the liver share.
  const PartitionDoses d = partition_doses(m.quantification.liver_retained_fraction, m.lung_shunt.fraction, c.tumours,
                                           sum_over(m.mass_kg, c.normal), m.quantification.lung_mass_kg, m.options.k_gy_kg_per_gbq);
  image::Volume<float> unit(m.mass_kg.grid, 0.f);
  fill(unit, c.normal, d.normal_dose_gy);
  for (std::size_t t = 0; t < c.tumours.size(); ++t) fill(unit, c.masks[t], d.tumour_dose_gy[t]);
  fill(unit, k.lungs, m.lung_dose_gy_per_gbq);
  return unit;
}

// Activity ∝ counts in the territory (liver share) and in the lungs (shunted share).
VoxelDose voxel_unit_dose(const DoseModel& m, const PatientData& data, const image::Mask& perfused, double territory_counts,
                          const Masks& k, KernelConvolution* convolution) {
  const Quantification& q = m.quantification;
  image::Volume<float> activity(m.mass_kg.grid, 0.f);
  add_liver_activity(activity, data.counts, perfused, (1.0 - m.lung_shunt.fraction) * q.liver_retained_fraction, territory_counts);
  if (q.lung_counts > 0) add_liver_activity(activity, data.counts, k.lungs, m.lung_shunt.fraction, q.lung_counts);
  return convolution ? kernel_dose(activity, m.mass_kg, m.options.k_gy_kg_per_gbq, *convolution, m.options.voxel)
                     : local_deposition_dose(activity, m.mass_kg, m.options.k_gy_kg_per_gbq, m.options.voxel);
}

}  // namespace

DoseModel build_dose_model(const PatientData& data, const std::vector<Injection>& injections, const LungShunt& lsf,
                           const DoseModelOptions& options, const std::string& where) {
  validate_patient_data(data, where);
  if (injections.empty()) fail_input(where, "injection", "(none)", "at least one [[injection]] is required");
  if (!(lsf.fraction >= 0 && lsf.fraction < 1))
    fail_input(where, "lung shunt fraction", num(lsf.fraction), "must be >= 0 and < 1 (100 %)");
  DoseModel m;
  m.options = options;
  m.lung_shunt = lsf;
  m.injections = injections;
  m.mass_kg = mass_from_density(data.density_g_per_ml);
  const Masks k = derive_masks(data, injections, where);
  quantify(m, data, k, where);

  m.vois = data.vois;
  m.vois.push_back({normal_liver_name(), VoiRole::other, k.normal_liver});
  for (std::size_t n = 0; n < injections.size(); ++n) {
    m.vois.push_back({perfused_liver_name(injections[n].name), VoiRole::other, k.perfused[n]});
    m.vois.push_back({perfused_normal_liver_name(injections[n].name), VoiRole::other, minus(k.perfused[n], k.tumours)});
  }

  std::optional<KernelConvolution> convolution;
  if (options.approach == Approach::voxel && options.voxel_method == VoxelMethod::kernel) {
    m.kernel = y90_soft_tissue_kernel(data.counts.grid.spacing_mm);
    convolution.emplace(data.counts.grid.size, *m.kernel, options.threads);
  }
  for (std::size_t n = 0; n < injections.size(); ++n) {
    const Compartments c = compartments_of(data, k.perfused[n], k, m.mass_kg);
    for (const auto& t : c.tumours) m.quantification.tn_ratios.emplace_back(t.name, t.tn_ratio);
    switch (options.approach) {
      case Approach::standard: m.unit_dose_gy_per_gbq.push_back(standard_unit_dose(m, k.perfused[n], k)); break;
      case Approach::partition: m.unit_dose_gy_per_gbq.push_back(partition_unit_dose(m, c, k, injections[n].name, where)); break;
      case Approach::voxel: {
        VoxelDose vd = voxel_unit_dose(m, data, k.perfused[n], m.quantification.territory_counts[n], k,
                                       convolution ? &*convolution : nullptr);
        m.excluded_energy_fraction = std::max(m.excluded_energy_fraction, vd.excluded_energy_fraction);
        m.unit_dose_gy_per_gbq.push_back(std::move(vd.dose_gy));
        break;
      }
    }
  }
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
