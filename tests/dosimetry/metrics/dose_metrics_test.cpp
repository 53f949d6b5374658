#include "dosimetry/metrics/dose_metrics.h"

#include <gtest/gtest.h>

namespace sirtkit::dosimetry {

TEST(DoseMetrics, DxVxOnARamp) {
  // 100 voxels with doses 1..100 Gy: D70 is the 70th highest = 31 Gy.
  std::vector<float> d(100), m(100, 0.001f);
  for (int i = 0; i < 100; ++i) d[i] = static_cast<float>(i + 1);
  const auto r = dose_metrics(d, m, 1.0, {{2, 50, 70, 95, 98}, {50, 100, 101}});
  EXPECT_DOUBLE_EQ(r.mean_gy, 50.5);
  EXPECT_DOUBLE_EQ(r.min_gy, 1);
  EXPECT_DOUBLE_EQ(r.max_gy, 100);
  EXPECT_DOUBLE_EQ(r.d_at_percent[0].second, 99);  // D2: 2nd highest
  EXPECT_DOUBLE_EQ(r.d_at_percent[1].second, 51);
  EXPECT_DOUBLE_EQ(r.d_at_percent[2].second, 31);
  EXPECT_DOUBLE_EQ(r.d_at_percent[3].second, 6);
  EXPECT_DOUBLE_EQ(r.d_at_percent[4].second, 3);
  EXPECT_DOUBLE_EQ(r.v_at_gy[0].second, 51);  // 50..100
  EXPECT_DOUBLE_EQ(r.v_at_gy[1].second, 1);
  EXPECT_DOUBLE_EQ(r.v_at_gy[2].second, 0);
  EXPECT_DOUBLE_EQ(r.volume_ml, 100);
  EXPECT_NEAR(r.mass_kg, 0.1, 1e-6);
}

TEST(DoseMetrics, MeanIsMassWeighted) {
  const std::vector<float> d{100, 200}, m{3, 1};
  EXPECT_DOUBLE_EQ(dose_metrics(d, m, 1, {}).mean_gy, 125);
}

TEST(DoseMetrics, UniformDoseGivesFlatDvh) {
  const std::vector<float> d(10, 80.f);
  EXPECT_DOUBLE_EQ(dx_gy(d, 70), 80);
  const auto dvh = cumulative_dvh(d, 100);
  EXPECT_DOUBLE_EQ(dvh.front().volume_percent, 100);
  EXPECT_DOUBLE_EQ(dvh.back().volume_percent, 100);  // every voxel at the maximum
  EXPECT_DOUBLE_EQ(dvh.back().dose_gy, 80);
}

TEST(DoseMetrics, CumulativeDvhIsMonotone) {
  std::vector<float> d;
  for (int i = 0; i < 1000; ++i) d.push_back(static_cast<float>((i * 37) % 251));
  const auto dvh = cumulative_dvh(d, 50);
  for (size_t i = 1; i < dvh.size(); ++i) EXPECT_LE(dvh[i].volume_percent, dvh[i - 1].volume_percent);
  EXPECT_NEAR(dvh[25].volume_percent, vx_percent(d, dvh[25].dose_gy), 0.5);
}

}  // namespace sirtkit::dosimetry
