// Published and hand-computed cases for the closed-form dose methods
// (dosimetry-physics.md §11).
#include <gtest/gtest.h>

#include "dosimetry/prescription/bsa_method.h"
#include "dosimetry/prescription/lung_shunt.h"
#include "dosimetry/prescription/mird.h"
#include "dosimetry/prescription/partition_model.h"
#include "dosimetry/metrics/radiobiology.h"
#include "core/error.h"

namespace sirtkit::dosimetry {

TEST(Mird, GlassPackageInsertExample) {
  // 1500 mL × 1.03 g/mL, 120 Gy, LSF 5 %, no residual, K = 50.
  const double a = mird_activity_gbq(120, 1.545, 0.05, 0.0, 50);
  EXPECT_NEAR(a, 3.9032, 5e-5);
  EXPECT_NEAR(lung_dose_gy(a, 0.05, 1.0, 50), 9.758, 5e-4);
  EXPECT_NEAR(mird_dose_gy(a, 1.545, 0.05, 50), 120, 1e-9);
}

TEST(Mird, ResidualRaisesTheVialActivity) {
  EXPECT_NEAR(mird_activity_gbq(120, 1.545, 0.05, 0.01, 50), 3.9032 / 0.99, 5e-5);
}

TEST(Mird, LungBoundary) {
  // §11: 1000 mL × 1.03, LSF 20 %, K = 50: 116.5 Gy → lung 29.9987 Gy; 116.51 Gy → over 30.
  EXPECT_NEAR(lung_dose_gy(mird_activity_gbq(116.5, 1.03, 0.2, 0, 50), 0.2, 1.0, 50), 29.9987, 1e-4);
  EXPECT_GT(lung_dose_gy(mird_activity_gbq(116.51, 1.03, 0.2, 0, 50), 0.2, 1.0, 50), 30.0);
}

TEST(PartitionModel, WorkedExample) {
  const auto d = partition_doses(3.0, 0.05, {{"T1", 0.3, 3.0}}, 1.2, 1.0, 49.67);
  ASSERT_EQ(d.tumour_dose_gy.size(), 1u);
  EXPECT_NEAR(d.tumour_dose_gy[0], 202.23, 0.01);
  EXPECT_NEAR(d.normal_dose_gy, 67.41, 0.01);
  EXPECT_NEAR(d.lung_dose_gy, 7.45, 0.01);
}

TEST(PartitionModel, TwoTumoursConserveEnergy) {
  const double k = 50;
  const auto d = partition_doses(2.0, 0.1, {{"a", 0.2, 4.0}, {"b", 0.05, 2.0}}, 1.0, 1.0, k);
  const double energy = d.tumour_dose_gy[0] * 0.2 + d.tumour_dose_gy[1] * 0.05 + d.normal_dose_gy * 1.0;
  EXPECT_NEAR(energy, k * 2.0 * 0.9, 1e-9);
  EXPECT_NEAR(d.tumour_dose_gy[0] / d.normal_dose_gy, 4.0, 1e-12);
  EXPECT_NEAR(d.tumour_dose_gy[1] / d.normal_dose_gy, 2.0, 1e-12);
}

TEST(BsaMethod, DuBoisAndMosteller) {
  EXPECT_NEAR(du_bois_bsa_m2(1.75, 70), 1.8481, 5e-5);
  EXPECT_NEAR(mosteller_bsa_m2(1.75, 70), 1.8447, 5e-5);
}

TEST(BsaMethod, WholeLiverAndLungShuntReduction) {
  // 300 mL tumour in a 1500 mL liver: 1200 mL non-tumoural.
  const auto p = bsa_prescription(1.75, 70, 300, 1200, 1.0, 0.05);
  EXPECT_NEAR(p.activity_gbq, 1.848, 5e-4);
  const auto r = bsa_prescription(1.75, 70, 300, 1200, 1.0, 0.12);
  EXPECT_NEAR(r.activity_gbq, 1.478, 5e-4);
  EXPECT_DOUBLE_EQ(resin_lung_shunt_reduction(0.0999).factor, 1.0);
  EXPECT_DOUBLE_EQ(resin_lung_shunt_reduction(0.10).factor, 0.8);
  EXPECT_DOUBLE_EQ(resin_lung_shunt_reduction(0.15).factor, 0.6);
  EXPECT_DOUBLE_EQ(resin_lung_shunt_reduction(0.20).factor, 0.6);
  EXPECT_FALSE(resin_lung_shunt_reduction(0.2001).treatment_allowed);
}

TEST(Radiobiology, BedWorkedNumbers) {
  EXPECT_NEAR(bed_gy(100, 2.5, 2.5, 64.1), 250.15, 0.01);
  EXPECT_NEAR(bed_gy(205, 10, 1.5, 64.1), 301.09, 0.01);
  EXPECT_NEAR(bed_gy(40, 2.5, 2.5, 64.1), 64.02, 0.01);
}

TEST(Radiobiology, Eud) {
  const std::vector<float> two{100.f, 300.f};
  EXPECT_NEAR(eud_gy(two, 0.01), 156.62, 0.01);
  const std::vector<float> uniform(50, 123.f);
  EXPECT_NEAR(eud_gy(uniform, 0.005), 123.0, 1e-4);
}

TEST(LungShunt, PlanarGeometricMean) {
  const PlanarCounts c{100, 400, 900, 1600};  // GM lung 200, liver 1200
  EXPECT_NEAR(planar_lung_shunt(c, "plan"), 200.0 / 1400.0, 1e-12);
}

TEST(LungShunt, RefusesLiverWithoutCounts) {
  EXPECT_THROW(spect_lung_shunt(10, 0, "spect.nii"), Error);
  EXPECT_THROW(spect_lung_shunt(-1, 10, "spect.nii"), Error);
  EXPECT_THROW(planar_lung_shunt({1, 1, 0, 5}, "plan"), Error);
}

}  // namespace sirtkit::dosimetry
