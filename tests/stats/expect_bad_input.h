#pragma once
// A call must fail with sirtkit::Error of category bad_input whose message
// contains every given fragment (field name, value).

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "core/error.h"

#define EXPECT_STATS_BAD_INPUT(stmt, ...)                                            \
  do {                                                                               \
    try {                                                                            \
      (void)(stmt);                                                                  \
      ADD_FAILURE() << "no error from: " #stmt;                                      \
    } catch (const ::sirtkit::Error& e) {                                            \
      EXPECT_EQ(e.category(), ::sirtkit::ErrorCategory::bad_input) << e.what();      \
      for (const std::string& frag : std::initializer_list<std::string>{__VA_ARGS__}) \
        EXPECT_NE(std::string(e.what()).find(frag), std::string::npos)               \
            << "message '" << e.what() << "' lacks '" << frag << "'";                \
    }                                                                                \
  } while (0)

// |actual − expected| <= tol · |expected| (exact match when expected is 0).
inline ::testing::AssertionResult RelNear(double actual, double expected, double tol) {
  const double diff = actual > expected ? actual - expected : expected - actual;
  const double scale = expected < 0 ? -expected : expected;
  if (diff <= tol * scale || actual == expected) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "actual " << ::testing::PrintToString(actual) << " vs expected "
                                       << ::testing::PrintToString(expected) << " (relative difference "
                                       << diff / scale << " > " << tol << ")";
}
