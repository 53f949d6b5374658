// radix_order against std::stable_sort: the same permutation (ties in input
// order) for signed values, zeros of both signs, NaN, exact ties, and keys
// that differ only in their low 32 bits (short and long runs).

#include "stats/numerics/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace sirtkit::stats {
namespace {

LargeVector<std::uint32_t> reference_order(const std::vector<double>& keys) {
  LargeVector<std::uint32_t> order(keys.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const double x = keys[a], y = keys[b];
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);  // NaN last
    return x < y;
  });
  return order;
}

TEST(RadixSort, MatchesStableSortOnMixedKeys) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal;
  std::vector<double> keys;
  for (int i = 0; i < 20000; ++i) keys.push_back(normal(rng) * 100);
  for (int i = 0; i < 3000; ++i) keys.push_back(std::round(normal(rng) * 10));  // exact ties
  for (int i = 0; i < 500; ++i) keys.push_back(1.0 + (rng() % 50) * 1e-12);    // same high 32 bits, short runs
  keys.insert(keys.end(), {0.0, -0.0, std::numeric_limits<double>::quiet_NaN(), -1e300, 1e300,
                           std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::denorm_min(), -0.0, 0.0});
  std::shuffle(keys.begin(), keys.end(), rng);
  EXPECT_EQ(radix_order(keys), reference_order(keys));
}

TEST(RadixSort, LongRunSharingHighBitsIsOrderedStably) {
  // 5,000 keys within 1e-7 of 20000 (timestamps with fractional seconds):
  // one run of equal high bits, ordered by comparison, with ties.
  std::mt19937_64 rng(12);
  std::vector<double> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back(20000.0 + static_cast<double>(rng() % 700) * 1e-10);
  EXPECT_EQ(radix_order(keys), reference_order(keys));
}

TEST(RadixSort, ThreadCountDoesNotChangeTheOrder) {
  // 400,000 keys (up to 4 parts of 100,000) with ties across the parts.
  std::mt19937_64 rng(13);
  std::normal_distribution<double> normal;
  std::vector<double> keys;
  for (int i = 0; i < 400000; ++i) keys.push_back(i % 3 == 0 ? std::round(normal(rng) * 20) : normal(rng));
  const auto reference = reference_order(keys);
  for (int threads : {1, 2, 3, 4}) EXPECT_EQ(radix_order(keys, threads), reference) << threads << " threads";
}

// radix_ranks against ranks counted from the reference order by comparing
// the values: equal values share a rank, -0 and +0 too, each NaN has its own;
// for 1 to 3 threads (400,000 keys: up to 3 parts).
TEST(RadixSort, RanksMatchTheDistinctValuesInOrder) {
  std::mt19937_64 rng(14);
  std::normal_distribution<double> normal;
  std::vector<double> keys;
  for (int i = 0; i < 400000; ++i) keys.push_back(i % 4 == 0 ? std::round(normal(rng) * 30) : normal(rng));
  keys.insert(keys.end(), {0.0, -0.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(),
                           1.0 + 1e-12, 1.0 + 2e-12, 1.0 + 1e-12, std::numeric_limits<double>::infinity()});
  std::shuffle(keys.begin(), keys.end(), rng);
  const auto order = reference_order(keys);
  std::vector<std::uint32_t> want(keys.size());
  std::uint32_t m = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k > 0 && keys[order[k]] != keys[order[k - 1]]) ++m;
    want[order[k]] = m;
  }
  for (int threads : {1, 2, 3}) {
    LargeVector<std::uint32_t> rank;
    EXPECT_EQ(radix_ranks(keys, rank, threads), m + 1) << threads << " threads";
    EXPECT_TRUE(std::equal(rank.begin(), rank.end(), want.begin(), want.end())) << threads << " threads";
  }
  LargeVector<std::uint32_t> rank{7};
  EXPECT_EQ(radix_ranks(std::vector<double>{}, rank), 0u);
  EXPECT_TRUE(rank.empty());
}

TEST(RadixSort, ConstantAndEmptyInput) {
  EXPECT_TRUE(radix_order(std::vector<double>{}).empty());
  const std::vector<double> same(100, 3.5);
  EXPECT_EQ(radix_order(same), reference_order(same));
}

}  // namespace
}  // namespace sirtkit::stats
