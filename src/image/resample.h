#pragma once
// Resampling onto another grid.
//
// - Labels and masks: nearest neighbour (the source voxel holding the target
//   voxel's centre).
// - Densities (g/mL, and CT numbers when only a picture is wanted):
//   nearest neighbour too, so that a target voxel always carries the density
//   of the tissue its labels say it is; or an overlap-weighted mean.
// - Counts: overlap-weighted sums, so that every source voxel's counts are
//   shared among the target voxels it overlaps in proportion to the volume
//   of overlap: nothing is created or lost, and nothing moves further than
//   the voxel it came from.
// Overlap weights are exact when both grids share their direction cosines
// (axes parallel; any spacing and origin); otherwise a fallback says what it does.

#include <functional>

#include "image/volume.h"

namespace sirtkit::image {

LabelMap resample_nearest(const LabelMap& source, const Grid& target, int outside_label = 0);
Volume<float> resample_nearest(const Volume<float>& source, const Grid& target, float outside_value);
Volume<float> resample_linear(const Volume<float>& source, const Grid& target, float outside_value);

// Maps a physical point of the target grid (mm) to the point of the source to
// sample, e.g. a rigid registration's transform.
using PointMap = std::function<std::array<double, 3>(const std::array<double, 3>&)>;
Volume<float> resample_linear(const Volume<float>& source, const Grid& target, float outside_value, const PointMap& map);
// True when the overlap-weighted functions below are exact for these grids:
// same direction cosines (1e-5), so voxel boxes are parallel.
bool axes_parallel(const Grid& a, const Grid& b);

// Each target voxel: the mean of the source over its box, weighted by the
// volume of overlap with each source voxel; parts outside the source count as
// `outside_value`. Conserves ∫ value dV exactly (a density's mass). Grids
// whose axes are not parallel are refused (std::invalid_argument).
Volume<float> resample_average(const Volume<float>& source, const Grid& target, float outside_value);

// Counts per voxel: each source voxel's counts shared among the target voxels
// by volume of overlap. The total over the overlap of the two fields of view
// is conserved exactly (to float rounding). Grids whose axes are not parallel
// fall back to trilinear interpolation of the count density with the total
// rescaled to the source total.
Volume<float> resample_counts(const Volume<float>& source, const Grid& target);

}  // namespace sirtkit::image
