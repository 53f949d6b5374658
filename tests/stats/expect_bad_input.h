#pragma once
// Test helpers of the stats tests: EXPECT_BAD_INPUT (shared with the clinical
// tests) and a relative-tolerance comparison.

#include <gtest/gtest.h>

#include "../clinical/expect_bad_input.h"

// |actual − expected| <= tol · |expected| (exact match when expected is 0).
inline ::testing::AssertionResult RelNear(double actual, double expected, double tol) {
  const double diff = actual > expected ? actual - expected : expected - actual;
  const double scale = expected < 0 ? -expected : expected;
  if (diff <= tol * scale || actual == expected) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "actual " << ::testing::PrintToString(actual) << " vs expected "
                                       << ::testing::PrintToString(expected) << " (relative difference "
                                       << diff / scale << " > " << tol << ")";
}
