#include "stats/radix_sort.h"

#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/error.h"

namespace sirtkit::stats {

namespace {

std::uint64_t ordered_bits(double v) {
  if (std::isnan(v)) return std::numeric_limits<std::uint64_t>::max();
  if (v == 0) v = 0.0;  // -0 and +0 are equal keys
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return (b >> 63) ? ~b : (b | (std::uint64_t{1} << 63));
}

}  // namespace

std::vector<std::uint32_t> radix_order(std::span<const double> keys) {
  const std::size_t n = keys.size();
  if (n >= std::numeric_limits<std::uint32_t>::max())
    throw Error(ErrorCategory::internal, "radix_order: more than 2^32 - 1 rows");
  struct Item {
    std::uint64_t key;
    std::uint32_t row;
  };
  std::vector<Item> a(n), b(n);
  std::uint64_t all_and = ~std::uint64_t{0}, all_or = 0;
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = {ordered_bits(keys[i]), static_cast<std::uint32_t>(i)};
    all_and &= a[i].key;
    all_or |= a[i].key;
  }
  const std::uint64_t varying = all_and ^ all_or;
  std::vector<std::size_t> count(1u << 16);
  for (int shift = 0; shift < 64; shift += 16) {
    if (((varying >> shift) & 0xFFFFu) == 0) continue;  // digit constant: order unchanged
    std::fill(count.begin(), count.end(), 0);
    for (const auto& it : a) ++count[(it.key >> shift) & 0xFFFFu];
    std::size_t sum = 0;
    for (auto& c : count) {
      const std::size_t t = c;
      c = sum;
      sum += t;
    }
    for (const auto& it : a) b[count[(it.key >> shift) & 0xFFFFu]++] = it;
    a.swap(b);
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = a[i].row;
  return order;
}

}  // namespace sirtkit::stats
