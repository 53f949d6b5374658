// summarise_doses (dosimetry/metrics/dose_summary.h) against the passes of
// dose_metrics and cumulative_dvh, the definitions, on doses chosen to trip a
// bucketed selection: ties, thresholds at a dose, all doses equal, zeros and a
// wide range, tiny negatives, all negative, one voxel; every number exactly.
#include "dosimetry/metrics/dose_summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace sirtkit::dosimetry {
namespace {

void expect_the_passes(const std::vector<float>& d, const std::vector<float>& m, const MetricRequest& r, int bins, const std::string& what) {
  const auto s = summarise_doses(d, m, 0.064, r, bins);
  ASSERT_TRUE(s) << what;
  const DoseMetrics want = dose_metrics(d, m, 0.064, r);
  EXPECT_EQ(s->metrics.voxels, want.voxels) << what;
  EXPECT_EQ(s->metrics.volume_ml, want.volume_ml) << what;
  EXPECT_EQ(s->metrics.mass_kg, want.mass_kg) << what;
  EXPECT_EQ(s->metrics.mean_gy, want.mean_gy) << what;
  EXPECT_EQ(s->metrics.min_gy, want.min_gy) << what;
  EXPECT_EQ(s->metrics.max_gy, want.max_gy) << what;
  EXPECT_EQ(s->metrics.d_at_percent, want.d_at_percent) << what;
  EXPECT_EQ(s->metrics.v_at_gy, want.v_at_gy) << what;
  const std::vector<DvhPoint> dvh = cumulative_dvh(d, bins);
  ASSERT_EQ(s->dvh.size(), dvh.size()) << what;
  for (std::size_t b = 0; b < dvh.size(); ++b) {
    EXPECT_EQ(s->dvh[b].dose_gy, dvh[b].dose_gy) << what << " bin " << b;
    EXPECT_EQ(s->dvh[b].volume_percent, dvh[b].volume_percent) << what << " bin " << b;
  }
}

TEST(DoseSummary, FourVoxelsByHand) {
  // Doses 1..4 Gy, equal masses: mean 2.5; high to low 4 3 2 1, so D50 (rank 2) = 3,
  // D100 (rank 4) = 1, D1 (rank 1) = 4; V2.5 = 50 %, V4 = 25 %, V0 = 100 %, V5 = 0 %.
  // DVH in 4 bins of 1 Gy: 100, 100, 75, 50, 25 %.
  MetricRequest r;
  r.d_percents = {50, 100, 1};
  r.v_gy = {2.5, 4, 0, 5};
  const auto s = summarise_doses(std::vector<float>{3, 1, 4, 2}, std::vector<float>{1, 1, 1, 1}, 2.0, r, 4);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->metrics.voxels, 4u);
  EXPECT_EQ(s->metrics.volume_ml, 8.0);
  EXPECT_EQ(s->metrics.mean_gy, 2.5);
  EXPECT_EQ(s->metrics.min_gy, 1.0);
  EXPECT_EQ(s->metrics.max_gy, 4.0);
  EXPECT_EQ(s->metrics.d_at_percent, (std::vector<std::pair<double, double>>{{50, 3}, {100, 1}, {1, 4}}));
  EXPECT_EQ(s->metrics.v_at_gy, (std::vector<std::pair<double, double>>{{2.5, 50}, {4, 25}, {0, 100}, {5, 0}}));
  ASSERT_EQ(s->dvh.size(), 5u);
  const double percent[] = {100, 100, 75, 50, 25};
  for (int b = 0; b <= 4; ++b) {
    EXPECT_EQ(s->dvh[b].dose_gy, b);
    EXPECT_EQ(s->dvh[b].volume_percent, percent[b]) << b;
  }
}

TEST(DoseSummary, EqualsThePassesOnDosesChosenToTripIt) {
  std::mt19937 rng(20261206);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  for (int c = 0; c < 700; ++c) {
    const std::size_t n = 1 + rng() % (c % 10 == 0 ? 5 : 3000);
    const int kind = c % 7;
    std::vector<float> d(n), m(n);
    for (float& x : d) {
      switch (kind) {
        case 0: x = 300 * u(rng); break;
        case 1: x = std::round(10 * u(rng)) * 25; break;  // ties, many at the thresholds below
        case 2: x = 7.5f; break;                         // all equal
        case 3: x = u(rng) < 0.3f ? 0.f : std::exp(12 * u(rng) - 4); break;  // zeros and four decades
        case 4: x = u(rng) * 2e-6f - 1e-6f; break;       // tiny negatives, as an FFT leaves
        case 5: x = -100 * u(rng); break;                // every dose negative
        default: x = u(rng) < 0.5f ? 100.f : 120.f + static_cast<float>(rng() % 3); break;
      }
    }
    for (float& x : m) x = 0.00004f + static_cast<float>(rng() % 1000) * 1e-8f;
    MetricRequest r;
    r.d_percents = {98, 2, 50, 70, 95, 70, 100, 0.001, 33.3};
    r.v_gy = {100, 120, 150, 205, 0, -1e-300, 7.5, 25, 1e30, -50, std::numeric_limits<double>::infinity(), d[rng() % n], d[rng() % n]};
    expect_the_passes(d, m, r, c % 3 == 0 ? 1 + static_cast<int>(rng() % 500) : 200, "case " + std::to_string(c));
  }
}

TEST(DoseSummary, ANonFiniteDoseIsLeftToThePasses) {
  const std::vector<float> m(3, 1.f);
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()})
    EXPECT_FALSE(summarise_doses(std::vector<float>{1.f, bad, 2.f}, m, 1.0, {}, 200)) << bad;
}

}  // namespace
}  // namespace sirtkit::dosimetry
