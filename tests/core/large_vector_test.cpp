// LargeVector: values set by assign/push_back survive growth, copies and
// moves, and resize keeps the values already there.

#include "core/large_vector.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace sirtkit {
namespace {

TEST(LargeVector, KeepsValuesThroughGrowthCopyAndMove) {
  LargeVector<double> v;
  for (int i = 0; i < 1'000'000; ++i) v.push_back(i * 0.5);
  EXPECT_EQ(v[999'999], 999'999 * 0.5);
  LargeVector<double> copy = v;
  EXPECT_EQ(copy, v);
  LargeVector<double> moved = std::move(copy);
  EXPECT_EQ(moved[123'456], 123'456 * 0.5);
  LargeVector<int> filled;
  filled.assign(2'000'000, 7);  // assign sets every element
  EXPECT_EQ(std::accumulate(filled.begin(), filled.end(), std::int64_t{0}), 14'000'000);
}

TEST(LargeVector, ResizeKeepsExistingValues) {
  LargeVector<int> v{1, 2, 3};
  v.resize(1000);
  v.resize(2);
  EXPECT_EQ(v, (LargeVector<int>{1, 2}));
}

}  // namespace
}  // namespace sirtkit
