// ScaledDoses (dosimetry/metrics/scaled_doses.h) against dose_metrics.h run on the
// doses float(a)·u_i themselves: the same Dx, Vx, min, max, mean and DVH to the
// bit, on doses per GBq with ties, zeros and small negative values, at
// activities from 0 up, and on VOIs of one voxel and of equal doses.
#include "dosimetry/metrics/scaled_doses.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/error.h"

namespace sirtkit::dosimetry {
namespace {

struct Voxels {
  std::vector<float> unit, sorted, mass;
};

Voxels voxels(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  Voxels v;
  for (std::size_t i = 0; i < n; ++i) {
    float d = 80.f * u(rng) * u(rng);
    if (i % 4 == 0) d = 0.25f * std::round(4.f * d);  // ties
    if (i % 13 == 0) d = -2e-6f * u(rng);            // FFT noise outside the activity
    if (i % 17 == 0) d = 0.f;
    v.unit.push_back(d);
    v.mass.push_back(0.00005f + 0.00003f * u(rng));
  }
  v.sorted = v.unit;
  std::sort(v.sorted.begin(), v.sorted.end());
  return v;
}

std::vector<float> scaled(const std::vector<float>& unit, double a) {
  std::vector<float> d(unit.size(), 0.f);
  const float af = static_cast<float>(a);
  for (std::size_t i = 0; i < d.size(); ++i) d[i] += af * unit[i];  // as VoiDoses::doses
  return d;
}

void expect_same_as_the_pass(const Voxels& v, double a) {
  const ScaledDoses s(v.sorted, a);
  const std::vector<float> d = scaled(v.unit, a);
  MetricRequest request;
  request.d_percents = {0.001, 2, 50, 70, 95, 98, 99.999, 100, 33.3333};
  request.v_gy = {-1, 0, 1e-9, 20, 100, 120, 150, 205};
  for (std::size_t i = 0; i < d.size(); i += std::max<std::size_t>(1, d.size() / 50)) request.v_gy.push_back(d[i]);  // ties at the threshold
  const DoseMetrics want = dose_metrics(d, v.mass, 0.064, request);
  const DoseMetrics got = s.metrics(v.unit, v.mass, 0.064, request);
  EXPECT_EQ(got.voxels, want.voxels);
  EXPECT_EQ(got.volume_ml, want.volume_ml);
  EXPECT_EQ(got.mass_kg, want.mass_kg);
  EXPECT_EQ(got.mean_gy, want.mean_gy) << "a " << a;
  EXPECT_EQ(s.mean_gy(v.unit, v.mass), want.mean_gy);
  const DoseMetrics but_mean = s.metrics_but_mean(want.mass_kg, 0.064, request);
  EXPECT_EQ(but_mean.mean_gy, 0.0);
  EXPECT_EQ(but_mean.max_gy, want.max_gy);
  EXPECT_EQ(but_mean.d_at_percent, want.d_at_percent);
  EXPECT_EQ(but_mean.v_at_gy, want.v_at_gy);
  EXPECT_EQ(got.min_gy, want.min_gy);
  EXPECT_EQ(got.max_gy, want.max_gy);
  ASSERT_EQ(got.d_at_percent.size(), want.d_at_percent.size());
  for (std::size_t i = 0; i < want.d_at_percent.size(); ++i) {
    EXPECT_EQ(got.d_at_percent[i], want.d_at_percent[i]) << "a " << a << " D" << want.d_at_percent[i].first;
    EXPECT_EQ(s.dx_gy(want.d_at_percent[i].first), dx_gy(d, want.d_at_percent[i].first));
  }
  ASSERT_EQ(got.v_at_gy.size(), want.v_at_gy.size());
  for (std::size_t i = 0; i < want.v_at_gy.size(); ++i) EXPECT_EQ(got.v_at_gy[i], want.v_at_gy[i]) << "a " << a << " V" << want.v_at_gy[i].first;
  for (int bins : {1, 2, 7, 200, 400}) {
    const std::vector<DvhPoint> w = cumulative_dvh(d, bins), g = s.cumulative_dvh(bins);
    ASSERT_EQ(g.size(), w.size());
    for (std::size_t b = 0; b < w.size(); ++b) {
      EXPECT_EQ(g[b].dose_gy, w[b].dose_gy) << "a " << a << " bins " << bins << " bin " << b;
      EXPECT_EQ(g[b].volume_percent, w[b].volume_percent) << "a " << a << " bins " << bins << " bin " << b;
    }
  }
}

TEST(ScaledDoses, EveryMetricAndTheDvhAreThoseOfAPassOverTheScaledDoses) {
  const Voxels v = voxels(5000, 20261205);
  for (double a : {0.0, 1e-30, 0.01, 0.37, 1.0, 2.5, 3.141592653589793, 7.77777, 29.99, 1e6}) expect_same_as_the_pass(v, a);
}

TEST(ScaledDoses, SmallVoisAndEqualDoses) {
  for (std::size_t n : {1u, 2u, 3u, 10u}) {
    const Voxels v = voxels(n, static_cast<unsigned>(n));
    for (double a : {0.0, 0.5, 2.0}) expect_same_as_the_pass(v, a);
  }
  Voxels same;
  same.unit.assign(50, 3.25f);
  same.sorted = same.unit;
  same.mass.assign(50, 0.00006f);
  for (double a : {0.0, 1.0, 4.4}) expect_same_as_the_pass(same, a);
}

TEST(ScaledDoses, ThreeGbqOfAKnownVoi) {
  // Doses per GBq 1..10 Gy/GBq, equal masses: at 3 GBq the doses are 3..30 Gy,
  // D50 the 5th highest (18 Gy), V20 the 4 voxels at 21, 24, 27, 30 Gy (40 %).
  Voxels v;
  for (int i = 10; i >= 1; --i) v.unit.push_back(static_cast<float>(i));
  v.sorted = v.unit;
  std::sort(v.sorted.begin(), v.sorted.end());
  v.mass.assign(10, 0.001f);
  const ScaledDoses s(v.sorted, 3.0);
  EXPECT_EQ(s.dx_gy(50), 18.0);
  EXPECT_EQ(s.vx_percent(20), 40.0);
  EXPECT_DOUBLE_EQ(s.mean_gy(v.unit, v.mass), 16.5);
  EXPECT_EQ(s.min_gy(), 3.f);
  EXPECT_EQ(s.max_gy(), 30.f);
  const auto dvh = s.cumulative_dvh(10);  // steps of 3 Gy: every voxel at or above each step down to its own dose
  for (int b = 0; b <= 10; ++b) EXPECT_EQ(dvh[b].volume_percent, 100.0 * (b == 0 ? 10 : 11 - b) / 10) << b;
}

TEST(ScaledDoses, RefusesAnEmptyVoiAndANegativeActivity) {
  const std::vector<float> none, one{1.f};
  EXPECT_THROW(ScaledDoses(none, 1.0), Error);
  EXPECT_THROW(ScaledDoses(one, -1.0), Error);
}

}  // namespace
}  // namespace sirtkit::dosimetry
