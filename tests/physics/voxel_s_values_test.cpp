#include "physics/voxel_s_values.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "physics/y90.h"

namespace sirtkit::physics {
namespace {

double energy_mev(const VoxelSTable& t) {
  const double voxel_kg = kLanconelliSoftTissueDensityGPerMl * std::pow(t.voxel_mm, 3) / 1e6;
  double sum = 0;
  for (int k = -(t.extent - 1); k < t.extent; ++k)
    for (int j = -(t.extent - 1); j < t.extent; ++j)
      for (int i = -(t.extent - 1); i < t.extent; ++i) sum += t.at(std::abs(i), std::abs(j), std::abs(k));
  return sum * 1e-9 * voxel_kg / kJoulePerMeV;
}

}  // namespace

TEST(VoxelSValues, ThirteenBundledSoftTissueTables) {
  const auto& tables = lanconelli_soft_tissue_tables();
  ASSERT_EQ(tables.size(), 13u);
  EXPECT_DOUBLE_EQ(tables.front().voxel_mm, 2.21);
  EXPECT_DOUBLE_EQ(tables.back().voxel_mm, 9.28);
}

// kernels/README.md: each table integrates to 0.9336–0.9360 MeV per decay.
TEST(VoxelSValues, EveryTableIntegratesToTheMeanBetaEnergy) {
  for (const auto& t : lanconelli_soft_tissue_tables()) {
    const double e = energy_mev(t);
    EXPECT_GT(e, 0.9330) << t.source;
    EXPECT_LT(e, 0.9365) << t.source;
  }
}

TEST(VoxelSValues, SelfVoxelFractions) {
  const std::map<double, double> expected{{3.0, 0.30}, {4.42, 0.41}, {5.0, 0.45}, {9.28, 0.65}};
  for (const auto& t : lanconelli_soft_tissue_tables()) {
    auto it = expected.find(t.voxel_mm);
    if (it == expected.end()) continue;
    const double voxel_kg = kLanconelliSoftTissueDensityGPerMl * std::pow(t.voxel_mm, 3) / 1e6;
    const double self = t.at(0, 0, 0) * 1e-9 * voxel_kg / kJoulePerMeV / energy_mev(t);
    EXPECT_NEAR(self, it->second, 0.01) << t.source;
  }
}

TEST(VoxelSValues, ParserRefusesBrokenRows) {
  EXPECT_THROW(parse_voxel_s_table("h\n0 0 0 1.0\n0 0 x 2\n", 3, "t.txt"), Error);
  EXPECT_THROW(parse_voxel_s_table("0 0 0 1.0\n0 0 1 -2\n", 3, "t.txt"), Error);
  EXPECT_THROW(parse_voxel_s_table("0 0 0 1.0\n0 0 1 2\n", 3, "t.txt"), Error);  // not a full octant
  EXPECT_THROW(parse_voxel_s_table("", 3, "t.txt"), Error);
  const auto t = parse_voxel_s_table("head\n0 0 0 1.5\n", 3, "t.txt");
  EXPECT_EQ(t.extent, 1);
  EXPECT_DOUBLE_EQ(t.at(0, 0, 0), 1.5);
}

}  // namespace sirtkit::physics
