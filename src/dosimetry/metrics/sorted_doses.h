#pragma once
// A VOI's voxel doses sorted ascending, for the plans whose doses are not one
// injection's doses per GBq scaled (two or more injections: the order of
// Σ a_k·u_k changes with the activities, so it is sorted at each what-if).
// LSD radix sort on the float bits (an order-preserving map of IEEE-754 floats
// to unsigned integers), three passes of 11 bits, a pass skipped when every
// dose has the same digit: O(n), the values exactly those of std::sort.
// dosimetry/metrics/scaled_doses.h then reads min, max, Dx, Vx and the DVH from the
// order with a scale of 1, to the bit the passes of dose_metrics.h.

#include <span>
#include <vector>

namespace sirtkit::dosimetry {

// `doses` ascending into `sorted` (resized to its size); false, `sorted` left
// unspecified, when a dose is not finite (NaN has no place in the order).
bool sort_doses_ascending(std::span<const float> doses, std::vector<float>& sorted);

}  // namespace sirtkit::dosimetry
