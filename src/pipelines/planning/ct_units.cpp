#include "pipelines/planning/ct_units.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <vector>

#include "core/error.h"

namespace sirtkit::pipelines {
namespace {

// Thresholds, with their reasons:
// - Hounsfield scale: air -1000 HU and water 0 HU by definition (Hounsfield,
//   Br J Radiol 1973;46:1016); lung parenchyma reads about -950 to -700 HU.
//   A SPECT/CT field of view over liver and lungs holds air around the body
//   and in the lungs, far more than 1 % of its voxels, so its 1st percentile
//   lies near -1000 HU. A CT in g/mL (air 0.0012), in attenuation
//   coefficients (air about 0 /cm) or in HU stored with +1024 (air about 24)
//   has its 1st percentile near 0 and fails the air test.
// - Liver: unenhanced normal liver about 50-65 HU (Kodama et al., AJR
//   2007;188:1307), lower in steatosis (fat is about -100 HU), up to about
//   150 HU with portal-venous contrast. A liver median outside [-100, 250] HU
//   is not liver in HU (g/mL reads about 1.05, HU + 1024 about 1080).
// - Lungs: inflated lung is 0.26 g/cm3 (ICRU Report 44, 1989), about -740 HU;
//   a lung VOI's median above -400 HU (0.6 g/mL) is not aerated lung, and
//   the lung mass from it would be wrong in the non-conservative direction.
// - In g/mL: air 0.0012 and lung (inflated) 0.26 g/cm3, liver 1.06 g/cm3,
//   adipose 0.95 g/cm3 (ICRU Report 44, 1989): 1st percentile <= 0.1 g/mL, a
//   liver median within [0.9, 1.3] g/mL and a lung median <= 0.6 g/mL.
struct Expected {
  double air_max, liver_min, liver_max, lung_max;
  const char* unit;
};
constexpr Expected kHounsfield{-900, -100, 250, -400, "HU"};
constexpr Expected kGPerMl{0.1, 0.9, 1.3, 0.6, "g/mL"};

// The CT at the centre of each voxel of `mask` (nearest CT voxel).
std::vector<float> sample(const image::Volume<float>& ct, const image::Mask& mask) {
  std::vector<float> out;
  const image::Grid& g = mask.grid;
  const image::Grid& c = ct.grid;
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        if (!mask.at(i, j, k)) continue;
        const auto ci = c.continuous_index(g.point_mm(i, j, k));
        const int a = static_cast<int>(std::lround(ci[0])), b = static_cast<int>(std::lround(ci[1])),
                  d = static_cast<int>(std::lround(ci[2]));
        if (a >= 0 && b >= 0 && d >= 0 && a < c.size[0] && b < c.size[1] && d < c.size[2]) out.push_back(ct.at(a, b, d));
      }
  return out;
}

double quantile(std::vector<float>& v, double p) {
  const std::size_t n = static_cast<std::size_t>(std::floor(p * static_cast<double>(v.size() - 1)));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n), v.end());
  return v[n];
}

}  // namespace

const char* ct_units_name(CtUnits units) { return units == CtUnits::hounsfield ? "HU" : "g/mL"; }

CtUnitsEvidence ct_units_evidence(const image::Volume<float>& ct, const image::Mask& liver, const image::Mask& lungs) {
  CtUnitsEvidence e;
  std::vector<float> all = ct.data;
  if (!all.empty()) e.air_percentile = quantile(all, 0.01);
  std::vector<float> in_liver = sample(ct, liver), in_lungs = sample(ct, lungs);
  e.liver_voxels = in_liver.size();
  if (!in_liver.empty()) e.liver_median = quantile(in_liver, 0.5);
  e.lung_voxels = in_lungs.size();
  if (!in_lungs.empty()) e.lung_median = quantile(in_lungs, 0.5);
  return e;
}

CtUnitsEvidence ct_units_evidence_from_activity(const image::Volume<float>& ct, const image::Volume<float>& activity) {
  CtUnitsEvidence e;
  e.tissue = "activity-weighted";
  std::vector<float> all = ct.data;
  if (!all.empty()) e.air_percentile = quantile(all, 0.01);
  std::vector<std::pair<float, double>> weighted;  // CT value, activity
  double total = 0;
  for (std::size_t i = 0; i < ct.data.size() && i < activity.data.size(); ++i)
    if (activity.data[i] > 0) {
      weighted.emplace_back(ct.data[i], activity.data[i]);
      total += activity.data[i];
    }
  e.liver_voxels = weighted.size();
  if (weighted.empty()) return e;
  std::sort(weighted.begin(), weighted.end());
  double run = 0;
  for (const auto& [value, a] : weighted) {
    run += a;
    if (run >= 0.5 * total) {
      e.liver_median = value;
      break;
    }
  }
  return e;
}

void check_ct_units(const CtUnitsEvidence& e, CtUnits units, const std::string& file, const std::string& declaration) {
  const Expected& x = units == CtUnits::hounsfield ? kHounsfield : kGPerMl;
  const bool air_ok = e.air_percentile <= x.air_max;
  const bool liver_ok = e.liver_voxels > 0 && e.liver_median >= x.liver_min && e.liver_median <= x.liver_max;
  const bool lungs_ok = e.lung_voxels == 0 || e.lung_median <= x.lung_max;
  if (air_ok && liver_ok && lungs_ok) return;
  std::string found = e.liver_voxels ? fmt::format("1st percentile {:.4g}, {} median {:.4g}", e.air_percentile, e.tissue, e.liver_median)
                                     : fmt::format("1st percentile {:.4g}, no {} voxel inside the CT", e.air_percentile, e.tissue);
  if (e.lung_voxels) found += fmt::format(", lung median {:.4g}", e.lung_median);
  const std::string hint = units == CtUnits::hounsfield
                               ? "; if the CT holds densities declare it: " + declaration + "\"g/mL\" (other units: convert to HU)"
                               : "; a CT in Hounsfield units needs " + declaration + "\"HU\" (the default)";
  fail_input(file, fmt::format("values (read as {})", x.unit), found,
             fmt::format("does not look like a CT in {0}: expected air near the 1st percentile (<= {1:g} {0}), {6} "
                         "median within [{2:g}, {3:g}] {0} and a lung median <= {4:g} {0}{5}",
                         x.unit, x.air_max, x.liver_min, x.liver_max, x.lung_max, hint,
                         (e.tissue.front() == 'a' ? "an " : "a ") + e.tissue));
}

}  // namespace sirtkit::pipelines
