// Voxel-by-voxel radiobiology (radiobiology.h) against hand-computed cases.
//
// For the Dale permanent-implant BED, BED(D) = D + k·D² with
// k = λ/((μ + λ)·α/β) = T_rep / ((T_rep + T½)·α/β) (the ln 2 cancels), so for
// equal masses mean(BED) − BED(mean D) = k·Var(D): the convexity gap.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "dosimetry/metrics/radiobiology.h"

namespace sirtkit::dosimetry {
namespace {

constexpr double kHalfLifeH = 64.1;
const RadiobiologyParameters kNormal{2.5, 2.5, 0.005};
const RadiobiologyParameters kTumour{10.0, 1.5, 0.005};
const VoxelTissueParameters kTissue{kTumour, kNormal, kHalfLifeH};

double k_of(const RadiobiologyParameters& p) { return p.repair_half_time_h / ((p.repair_half_time_h + kHalfLifeH) * p.alpha_beta_gy); }

TEST(VoxelRadiobiology, UniformDoseMeanOfVoxelBedsIsBedOfMean) {
  const std::vector<float> doses(40, 120.f), masses(40, 0.001f);
  const std::vector<std::uint8_t> normal(40, 0);
  const VoiRadiobiology r = voi_radiobiology(doses, masses, normal, 120.0, kTissue);
  const double expected = 120.0 + k_of(kNormal) * 120.0 * 120.0;  // 336.216... Gy
  EXPECT_NEAR(r.bed_mean_gy, expected, 1e-9 * expected);
  EXPECT_NEAR(r.bed_of_mean_dose_gy, expected, 1e-9 * expected);
  EXPECT_NEAR(r.eud_gy, 120.0, 1e-9);
  EXPECT_NEAR(r.eubed_gy, expected, 1e-6);  // a uniform BED is its own EUBED
  EXPECT_DOUBLE_EQ(r.tumour_voxel_fraction, 0.0);
}

TEST(VoxelRadiobiology, TwoLevelDoseMeanOfBedsExceedsBedOfMeanByKTimesVariance) {
  // Half the voxels at 50 Gy, half at 150 Gy, equal masses: mean 100 Gy, variance 2500 Gy².
  std::vector<float> doses;
  for (int i = 0; i < 30; ++i) doses.push_back(i % 2 ? 150.f : 50.f);
  const std::vector<float> masses(30, 0.0012f);
  const std::vector<std::uint8_t> normal(30, 0);
  const VoiRadiobiology r = voi_radiobiology(doses, masses, normal, 100.0, kTissue);
  // k = 2.5 / (66.6 × 2.5) = 1/66.6 per Gy: BED(100) = 250.150 Gy, mean BED = 287.688 Gy.
  EXPECT_NEAR(r.bed_of_mean_dose_gy, 100 + 10000 / 66.6, 1e-9);
  EXPECT_NEAR(r.bed_mean_gy, 100 + 12500 / 66.6, 1e-9);
  EXPECT_NEAR(r.bed_mean_gy - r.bed_of_mean_dose_gy, 2500 / 66.6, 1e-9);  // 37.538 Gy, −13 % if averaged first
}

TEST(VoxelRadiobiology, MassWeightsTheVoxelBeds) {
  // Two normal voxels, 40 and 80 Gy, masses 1:3: mean BED = (BED(40) + 3·BED(80)) / 4.
  const std::vector<float> doses{40.f, 80.f}, masses{0.001f, 0.003f};
  const std::vector<std::uint8_t> normal{0, 0};
  const double k = k_of(kNormal);
  const VoiRadiobiology r = voi_radiobiology(doses, masses, normal, 70.0, kTissue);
  EXPECT_NEAR(r.bed_mean_gy, ((40 + k * 1600) + 3 * (80 + k * 6400)) / 4, 1e-6);
}

TEST(VoxelRadiobiology, TumourVoxelsTakeTumourParameters) {
  // A liver VOI of one tumour voxel (200 Gy) and one normal voxel (50 Gy), equal masses.
  const std::vector<float> doses{200.f, 50.f}, masses{0.001f, 0.001f};
  const std::vector<std::uint8_t> tissue{1, 0};
  const VoiRadiobiology r = voi_radiobiology(doses, masses, tissue, 125.0, kTissue);
  const double tumour_bed = 200 + 40000 * 1.5 / (65.6 * 10);  // 291.463 Gy
  const double normal_bed = 50 + 2500 / 66.6;                 // 87.538 Gy
  EXPECT_NEAR(r.bed_mean_gy, (tumour_bed + normal_bed) / 2, 1e-4);
  EXPECT_DOUBLE_EQ(r.tumour_voxel_fraction, 0.5);
  // (With normal parameters for the tumour voxel, the old behaviour, the mean would be 444.07 Gy.)
}

TEST(Lkb, HalfAtTd50AndPhiOfOneAtOneSlopeAbove) {
  const LkbParameters p{52.0, 0.28, 1.0};
  EXPECT_NEAR(lkb_ntcp(52.0, p), 0.5, 1e-15);
  EXPECT_NEAR(lkb_ntcp(52.0 * 1.28, p), 0.8413447460685429, 1e-12);  // Φ(1)
  EXPECT_NEAR(lkb_ntcp(52.0 * 0.72, p), 0.15865525393145707, 1e-12);  // Φ(−1)
  EXPECT_THROW(lkb_ntcp(10, LkbParameters{52.0, 0.0, 1.0}), Error);
}

TEST(Lkb, VoiNtcpUsesTheMeanBedWhenNIsOne) {
  // n = 1: BED_eff is the (volume) mean of the voxel BEDs, here 287.688 Gy; TD50 set to it gives 0.5.
  std::vector<float> doses;
  for (int i = 0; i < 10; ++i) doses.push_back(i % 2 ? 150.f : 50.f);
  const std::vector<float> masses(10, 0.001f);
  const std::vector<std::uint8_t> normal(10, 0);
  const LkbParameters at_mean{100 + 12500 / 66.6, 0.28, 1.0};
  OutcomeRequest request;
  request.ntcp = &at_mean;
  const VoiRadiobiology r = voi_radiobiology(doses, masses, normal, 100.0, kTissue, request);
  ASSERT_TRUE(r.ntcp.has_value());
  EXPECT_NEAR(*r.ntcp, 0.5, 1e-9);
  EXPECT_FALSE(r.tcp.has_value());
}

TEST(GeneralisedEud, Limits) {
  const std::vector<double> x{10, 20, 60};
  EXPECT_NEAR(generalised_eud_gy(x, 1.0), 30.0, 1e-12);                               // a = 1: mean
  EXPECT_NEAR(generalised_eud_gy(x, 2.0), std::sqrt((100 + 400 + 3600) / 3.0), 1e-12);  // RMS
  // Large |a|: only the extreme voxel counts, gEUD = extreme · (1/3)^(1/a) → max (a → ∞), min (a → −∞).
  EXPECT_NEAR(generalised_eud_gy(x, 400.0), 60.0 * std::pow(3.0, -1.0 / 400), 1e-12);
  EXPECT_NEAR(generalised_eud_gy(x, -400.0), 10.0 * std::pow(3.0, 1.0 / 400), 1e-12);
  EXPECT_NEAR(generalised_eud_gy(x, 1e6), 60.0, 1e-3);
  EXPECT_NEAR(generalised_eud_gy(x, -1e6), 10.0, 1e-3);
  EXPECT_DOUBLE_EQ(generalised_eud_gy(std::vector<double>{0.0, 5.0}, -2.0), 0.0);  // a cold voxel dominates a < 0
  EXPECT_GT(generalised_eud_gy(x, 400.0), generalised_eud_gy(x, 2.0));
  const std::vector<double> same(7, 42.0);
  for (double a : {-10.0, -1.0, 0.5, 1.0, 8.0}) EXPECT_NEAR(generalised_eud_gy(same, a), 42.0, 1e-12) << a;
  EXPECT_THROW(generalised_eud_gy(x, 0.0), Error);
}

TEST(PoissonTcp, HalfWhereSurvivingClonogensAreLn2) {
  // Uniform BED B over N = ρ·V clonogens: TCP = exp(−N·e^(−αB)) = 0.5 at B = ln(N / ln 2) / α.
  const TcpParameters p{0.35, 1e7};
  const std::vector<double>::size_type voxels = 1000;  // 1000 × 0.064 mL = 64 mL, 6.4e8 clonogens
  const double n = 1e7 * 0.064 * voxels;
  const double b50 = std::log(n / std::log(2.0)) / 0.35;  // 58.66 Gy
  EXPECT_NEAR(poisson_tcp(std::vector<double>(voxels, b50), 0.064, p), 0.5, 1e-12);
  EXPECT_NEAR(poisson_tcp(std::vector<double>(voxels, b50 + 2 / 0.35), 0.064, p), std::pow(0.5, std::exp(-2.0)), 1e-12);
  // One cold voxel among hot ones controls TCP: its clonogens alone survive.
  std::vector<double> cold(voxels, 1000.0);
  cold[0] = 0.0;
  EXPECT_NEAR(poisson_tcp(cold, 0.064, p), std::exp(-1e7 * 0.064), 1e-300);
}

}  // namespace
}  // namespace sirtkit::dosimetry

namespace sirtkit::dosimetry {
namespace {

// The default LKB TD50 is a BED: Walrand et al. (J Nucl Med 2014;55:1317) quote
// 93 Gy of BED for resin, which is the BED of Strigari's 52 Gy absorbed dose at
// the normal-liver parameters (α/β 2.5 Gy, repair 2.5 h, T½ 64.1 h): 92.60 Gy.
TEST(Lkb, DefaultTd50IsTheBedOfStrigarisAbsorbedDose) {
  const double bed = bed_gy(52.0, 2.5, 2.5, 64.1);
  EXPECT_NEAR(bed, 92.60, 0.01);
  EXPECT_EQ(std::lround(bed), 93);
  EXPECT_EQ(LkbParameters{}.td50_gy, 93.0);
  // A normal liver at Strigari's 52 Gy is at the 50 % point; the former default (52 Gy
  // applied to BED) put it at Φ((92.6 − 52)/(0.28·52)) = 99.7 %.
  EXPECT_NEAR(lkb_ntcp(bed, LkbParameters{}), 0.5, 0.01);
  EXPECT_GT(lkb_ntcp(bed, LkbParameters{52.0, 0.28, 1.0}), 0.99);
}

}  // namespace
}  // namespace sirtkit::dosimetry
