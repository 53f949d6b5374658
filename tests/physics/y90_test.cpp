#include "physics/y90.h"

#include <gtest/gtest.h>

namespace sirtkit::physics {

// dosimetry-physics.md §11: worked numbers.
TEST(DoseConstant, FromInsertNuclearData) {
  EXPECT_NEAR(dose_constant_gy_kg_per_gbq({64.1, 0.9367, ""}), 49.963, 0.001);
  EXPECT_NEAR(dose_constant_gy_kg_per_gbq({64.1, 0.9336, ""}), 49.80, 0.005);
  EXPECT_NEAR(dose_constant_gy_kg_per_gbq({64.1, 0.9267, ""}), 49.43, 0.005);
}

TEST(Decay, FactorsAtWholeDays) {
  EXPECT_NEAR(decay_factor(24, 64.1), 0.7714, 5e-5);
  EXPECT_NEAR(decay_factor(48, 64.1), 0.5951, 5e-5);
  EXPECT_NEAR(decay_factor(72, 64.1), 0.4591, 5e-5);
  EXPECT_NEAR(decay_factor(168, 64.1), 0.1626, 5e-5);
  EXPECT_DOUBLE_EQ(decay_factor(64.1, 64.1), 0.5);
}

TEST(Decay, HoursToReachActivity) {
  // §11 vial timing: 3.903 GBq from a 5 GBq vial after 22.91 h.
  EXPECT_NEAR(hours_to_decay(5.0, 3.903, 64.1), 22.91, 0.01);
  EXPECT_NEAR(hours_to_decay(7.0, 3.903, 64.1), 54.02, 0.01);
  EXPECT_NEAR(hours_to_decay(10.0, 3.903, 64.1), 87.01, 0.01);
  EXPECT_LT(hours_to_decay(3.0, 3.903, 64.1), 0);
}

}  // namespace sirtkit::physics
