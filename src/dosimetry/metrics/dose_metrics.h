#pragma once
// Dose-volume metrics of one volume of interest.
//
// Definitions (dosimetry-physics.md §7):
//   mean   mass-weighted: Σ m_i·D_i / Σ m_i (energy over mass of the VOI)
//   Dx     minimum dose to the hottest x % of the volume: with voxel doses
//          sorted high to low, the dose of voxel ceil(x/100 · N) (1-based)
//   Vx     percent of the VOI volume receiving at least x Gy
//   DVH    cumulative: percent of volume with dose ≥ d, on a regular dose axis

#include <span>
#include <vector>

namespace sirtkit::dosimetry {

struct DvhPoint {
  double dose_gy;
  double volume_percent;
};

struct DoseMetrics {
  std::size_t voxels = 0;
  double volume_ml = 0;
  double mass_kg = 0;
  double mean_gy = 0;
  double min_gy = 0;
  double max_gy = 0;
  std::vector<std::pair<double, double>> d_at_percent;  // (x %, Dx in Gy)
  std::vector<std::pair<double, double>> v_at_gy;       // (x Gy, Vx in %)
};

struct MetricRequest {
  std::vector<double> d_percents{2, 50, 70, 95, 98};
  std::vector<double> v_gy{100, 120, 150, 205};
};

// `doses` and `masses` hold the VOI's voxels only; refuses an empty VOI.
DoseMetrics dose_metrics(std::span<const float> doses_gy, std::span<const float> masses_kg, double voxel_volume_ml,
                         const MetricRequest& request);

double dx_gy(std::vector<float> doses_gy, double percent);
// The 1-based rank of Dx among n doses sorted high to low: ceil(x/100 · n), within [1, n].
std::size_t dx_rank(std::size_t n, double percent);
double vx_percent(std::span<const float> doses_gy, double threshold_gy);

// Cumulative DVH from 0 to the maximum dose in `bins` steps.
std::vector<DvhPoint> cumulative_dvh(std::span<const float> doses_gy, int bins = 400);

}  // namespace sirtkit::dosimetry
