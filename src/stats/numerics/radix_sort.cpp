#include "stats/numerics/radix_sort.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/error.h"
#include "stats/numerics/parallel.h"

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
  if (std::is_sorted(first, last, by_key)) return;  // the usual run: exact ties
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

// The items (key bits, row) in stable ascending order of the keys.
LargeVector<Item> sorted_items(std::span<const double> keys, int threads) {
  const std::size_t n = keys.size();
  if (n >= std::numeric_limits<std::uint32_t>::max())
    throw Error(ErrorCategory::internal, "radix_order: more than 2^32 - 1 rows");
  // Contiguous parts of the array, each counted and scattered by its own
  // thread; part t's items go after part t-1's in every bucket (stable).
  const std::size_t parts = std::max<std::size_t>(1, std::min<std::size_t>(std::max(threads, 1), n / 100000));
  auto part_begin = [&](std::size_t t) { return t * n / parts; };
  LargeVector<Item> a(n), b(n);
  std::vector<std::uint64_t> part_and(parts, ~std::uint64_t{0}), part_or(parts, 0);
  run_parts(parts, [&](std::size_t t) {
    std::uint64_t bits_and = ~std::uint64_t{0}, bits_or = 0;  // local: the parts' slots share a cache line
    for (std::size_t i = part_begin(t); i < part_begin(t + 1); ++i) {
      a[i] = {ordered_bits(keys[i]), static_cast<std::uint32_t>(i)};
      bits_and &= a[i].key;
      bits_or |= a[i].key;
    }
    part_and[t] = bits_and;
    part_or[t] = bits_or;
  });
  std::uint64_t all_and = ~std::uint64_t{0}, all_or = 0;
  for (std::size_t t = 0; t < parts; ++t) {
    all_and &= part_and[t];
    all_or |= part_or[t];
  }
  const std::uint64_t varying = all_and ^ all_or;
  // Radix passes on the high 32 bits only (sign, exponent and 20 mantissa
  // bits): that orders all but the keys that share them, which the pass below
  // puts in order. Half the passes of a full 64-bit sort.
  constexpr std::size_t kBuckets = 1u << 16;
  std::vector<std::vector<std::uint32_t>> count(parts, std::vector<std::uint32_t>(kBuckets));
  for (int shift = 32; shift < 64; shift += 16) {
    if (((varying >> shift) & 0xFFFFu) == 0) continue;  // digit constant: order unchanged
    auto digit = [shift](const Item& it) { return static_cast<std::size_t>((it.key >> shift) & 0xFFFFu); };
    run_parts(parts, [&](std::size_t t) {
      std::fill(count[t].begin(), count[t].end(), 0u);
      for (std::size_t i = part_begin(t); i < part_begin(t + 1); ++i) ++count[t][digit(a[i])];
    });
    std::uint32_t sum = 0;
    for (std::size_t d = 0; d < kBuckets; ++d)
      for (std::size_t t = 0; t < parts; ++t) {
        const std::uint32_t c = count[t][d];
        count[t][d] = sum;
        sum += c;
      }
    run_parts(parts, [&](std::size_t t) {
      for (std::size_t i = part_begin(t); i < part_begin(t + 1); ++i) b[count[t][digit(a[i])]++] = a[i];
    });
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
  return a;
}

}  // namespace

LargeVector<std::uint32_t> radix_order(std::span<const double> keys, int threads) {
  const LargeVector<Item> a = sorted_items(keys, threads);
  LargeVector<std::uint32_t> order(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) order[i] = a[i].row;
  return order;
}

std::uint32_t radix_ranks(std::span<const double> keys, LargeVector<std::uint32_t>& rank, int threads) {
  const LargeVector<Item> a = sorted_items(keys, threads);
  constexpr std::uint64_t kNaN = std::numeric_limits<std::uint64_t>::max();  // ordered_bits of every NaN, and of nothing else
  rank.resize(a.size());
  std::uint32_t m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i > 0 && (a[i].key != a[i - 1].key || a[i].key == kNaN)) ++m;
    rank[a[i].row] = m;
  }
  return a.empty() ? 0 : m + 1;
}

}  // namespace sirtkit::stats
