#include "stats/radix_sort.h"

#include <algorithm>
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

struct Item {
  std::uint64_t key;
  std::uint32_t row;
};

// Orders a run of items by full key, keeping input order among equal keys.
void stable_sort_run(Item* first, Item* last) {
  const auto by_key = [](const Item& a, const Item& b) { return a.key < b.key; };
  if (last - first > 32) {
    std::stable_sort(first, last, by_key);
    return;
  }
  for (Item* i = first + 1; i < last; ++i) {
    const Item v = *i;
    Item* j = i;
    for (; j > first && v.key < (j - 1)->key; --j) *j = *(j - 1);
    *j = v;
  }
}

}  // namespace

LargeVector<std::uint32_t> radix_order(std::span<const double> keys) {
  const std::size_t n = keys.size();
  if (n >= std::numeric_limits<std::uint32_t>::max())
    throw Error(ErrorCategory::internal, "radix_order: more than 2^32 - 1 rows");
  LargeVector<Item> a(n), b(n);
  std::uint64_t all_and = ~std::uint64_t{0}, all_or = 0;
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = {ordered_bits(keys[i]), static_cast<std::uint32_t>(i)};
    all_and &= a[i].key;
    all_or |= a[i].key;
  }
  const std::uint64_t varying = all_and ^ all_or;
  // Radix passes on the high 32 bits only (sign, exponent and 20 mantissa
  // bits): that orders all but the keys that share them, which the pass below
  // puts in order. Half the passes of a full 64-bit sort.
  std::vector<std::size_t> count(1u << 16);
  for (int shift = 32; shift < 64; shift += 16) {
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
  if ((varying & 0xFFFFFFFFu) != 0) {
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i + 1;
      while (j < n && (a[j].key >> 32) == (a[i].key >> 32)) ++j;
      if (j - i > 1) stable_sort_run(a.data() + i, a.data() + j);
      i = j;
    }
  }
  LargeVector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = a[i].row;
  return order;
}

}  // namespace sirtkit::stats
