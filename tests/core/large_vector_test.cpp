// LargeVector: values set by assign/push_back survive growth, copies and
// moves; arrays of 4 MB or more are 2 MB aligned (the huge-page hint).

#include "core/large_vector.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace sirtkit {
namespace {

TEST(LargeVector, KeepsValuesThroughGrowthCopyAndMove) {
  LargeVector<double> v;
  for (int i = 0; i < 1'000'000; ++i) v.push_back(i * 0.5);  // grows across the 4 MB line
  EXPECT_EQ(v[999'999], 999'999 * 0.5);
  LargeVector<double> copy = v;
  EXPECT_EQ(copy, v);
  LargeVector<double> moved = std::move(copy);
  EXPECT_EQ(moved[123'456], 123'456 * 0.5);
  LargeVector<int> filled;
  filled.assign(2'000'000, 7);  // assign sets every element
  EXPECT_EQ(std::accumulate(filled.begin(), filled.end(), std::int64_t{0}), 14'000'000);
}

TEST(LargeVector, LargeArraysAreHugePageAligned) {
  LargeVector<double> big(std::size_t{1} << 20);  // 8 MB
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(big.data()) % (std::size_t{2} << 20), 0u);
  LargeVector<double> small(100);
  small[99] = 1;
  EXPECT_EQ(small[99], 1);
}

}  // namespace
}  // namespace sirtkit
