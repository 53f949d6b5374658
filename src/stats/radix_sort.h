#pragma once
// Stable ascending order of double keys by LSD radix sort on their bits
// (order-preserving map of IEEE-754 doubles to unsigned integers; NaN last).
// O(n) passes over 16-bit digits, skipping digits that are the same for all
// keys; used for the large sorts of the survival engine.

#include <cstdint>
#include <span>
#include <vector>

namespace sirtkit::stats {

// Row indices ordered by key, ties in input order.
std::vector<std::uint32_t> radix_order(std::span<const double> keys);

}  // namespace sirtkit::stats
