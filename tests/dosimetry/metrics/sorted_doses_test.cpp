// sort_doses_ascending (dosimetry/metrics/sorted_doses.h) against std::sort: the same
// floats, bit for bit, on doses with ties, zeros, negative values, subnormals
// and a wide spread of exponents (every radix pass used), on doses that share
// their high bits (passes skipped), and the refusal of non-finite doses.
#include "dosimetry/metrics/sorted_doses.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace sirtkit::dosimetry {
namespace {

// Bit patterns, so that a -0 where std::sort has +0 (or the reverse) would show.
std::vector<std::uint32_t> bits(const std::vector<float>& v) {
  std::vector<std::uint32_t> out;
  for (float x : v) out.push_back(std::bit_cast<std::uint32_t>(x));
  return out;
}

void expect_as_std_sort(std::vector<float> doses) {
  std::vector<float> got;
  ASSERT_TRUE(sort_doses_ascending(doses, got));
  std::sort(doses.begin(), doses.end());
  EXPECT_EQ(bits(got), bits(doses));
}

TEST(SortedDoses, EqualsStdSortOnWideSpreadTiesNegativesAndSubnormals) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> d;
  for (int i = 0; i < 20000; ++i) {
    float x = 500.f * u(rng) * u(rng) * u(rng);
    if (i % 5 == 0) x = 0.5f * std::round(2.f * x);  // ties
    if (i % 11 == 0) x = -3e-6f * u(rng);            // small negative values (FFT noise)
    if (i % 17 == 0) x = 0.f;
    if (i % 23 == 0) x = std::numeric_limits<float>::denorm_min() * static_cast<float>(i % 7);
    if (i % 29 == 0) x = -1e30f * u(rng);
    if (i % 31 == 0) x = 3e38f * u(rng);
    d.push_back(x);
  }
  expect_as_std_sort(d);
}

TEST(SortedDoses, EqualsStdSortWhenDosesShareTheirHighBits) {
  // Doses within [64, 128): one exponent, so the top pass is skipped; and all equal: every pass skipped.
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(64.f, 128.f);
  std::vector<float> d;
  for (int i = 0; i < 5000; ++i) d.push_back(u(rng));
  expect_as_std_sort(d);
  expect_as_std_sort(std::vector<float>(100, 42.5f));
  expect_as_std_sort({3.f});
  expect_as_std_sort({});
}

TEST(SortedDoses, RefusesDosesThatAreNotFinite) {
  std::vector<float> out;
  EXPECT_FALSE(sort_doses_ascending(std::vector<float>{1.f, std::numeric_limits<float>::quiet_NaN(), 2.f}, out));
  EXPECT_FALSE(sort_doses_ascending(std::vector<float>{std::numeric_limits<float>::infinity(), 2.f}, out));
  EXPECT_FALSE(sort_doses_ascending(std::vector<float>{-std::numeric_limits<float>::infinity()}, out));
  EXPECT_TRUE(sort_doses_ascending(std::vector<float>{std::numeric_limits<float>::max(), -std::numeric_limits<float>::max()}, out));
  EXPECT_EQ(out, (std::vector<float>{-std::numeric_limits<float>::max(), std::numeric_limits<float>::max()}));
}

}  // namespace
}  // namespace sirtkit::dosimetry
