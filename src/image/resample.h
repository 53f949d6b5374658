#pragma once
// Resampling onto another grid: labels by nearest neighbour, intensities
// (CT HU) trilinearly, counts trilinearly as a density with the total rescaled
// so that no counts are created or lost.

#include <functional>

#include "image/volume.h"

namespace sirtkit::image {

LabelMap resample_nearest(const LabelMap& source, const Grid& target, int outside_label = 0);
Volume<float> resample_linear(const Volume<float>& source, const Grid& target, float outside_value);

// Maps a physical point of the target grid (mm) to the point of the source to
// sample, e.g. a rigid registration's transform.
using PointMap = std::function<std::array<double, 3>(const std::array<double, 3>&)>;
Volume<float> resample_linear(const Volume<float>& source, const Grid& target, float outside_value, const PointMap& map);
// Total counts inside the target field of view equal the source total.
Volume<float> resample_counts(const Volume<float>& source, const Grid& target);

}  // namespace sirtkit::image
