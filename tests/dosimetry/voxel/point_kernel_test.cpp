#include "dosimetry/voxel/point_kernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/error.h"
#include "dosimetry/voxel/kernel_convolution.h"
#include "dosimetry/voxel/voxel_dose.h"

// Fit residuals measured with the default options (knots every 0.25 mm to
// 12 mm, smoothness 100, all 13 tables), generated kernel vs published table,
// both normalised to sum 1:
//   self voxel: worst |model − table| 0.0012 (6.8 and 9.28 mm; 4.42 mm: 0.0001);
//   face (1,0,0) neighbour: worst 0.25 % (3.9 mm); edge (1,1,0): 0.28 % (4.8 mm);
//   corner (1,1,1): 0.60 % (6 mm); any single voxel: ≤ 0.0012 of the energy.
// Leaving the 4.42 mm table out of the fit changes its prediction by < 0.0001
// (self 0.4127 vs 0.4126, face +0.05 %, corner +0.07 %); leaving out the three
// finest tables (2.21–2.4 mm) still predicts them within 0.0003 (self) and
// 0.4 % (neighbours). The tests below assert bounds about twice these.

namespace sirtkit::dosimetry {
namespace {

double sum_of(const DoseKernel& k) { return std::accumulate(k.fraction.begin(), k.fraction.end(), 0.0); }

const physics::VoxelSTable& table(double voxel_mm) {
  for (const auto& t : physics::lanconelli_soft_tissue_tables())
    if (std::abs(t.voxel_mm - voxel_mm) < 1e-9) return t;
  throw std::runtime_error("no table");
}

void expect_reproduces_table(const DoseKernel& model, const DoseKernel& table, double self_tol, double rel_tol,
                             const std::string& what) {
  EXPECT_NEAR(model.at(0, 0, 0), table.at(0, 0, 0), self_tol) << what;
  for (auto [i, j, k] : {std::array<int, 3>{1, 0, 0}, {0, 1, 0}, {0, 0, -1}, {1, 1, 0}, {1, 1, 1}, {-1, 1, -1}})
    EXPECT_NEAR(model.at(i, j, k) / table.at(i, j, k), 1.0, rel_tol) << what << " at " << i << "," << j << "," << k;
  // The second shell matters for small voxels (0.5 % of the energy at 2.21 mm).
  // Where it holds < 1e-4 (6.8, 9.28 mm) the tables show their Monte Carlo
  // bremsstrahlung floor, which a range-limited kernel does not model.
  for (auto [i, j, k] : {std::array<int, 3>{2, 0, 0}, {2, 1, 0}, {2, 1, 1}})
    if (table.at(i, j, k) > 1e-4)
      EXPECT_NEAR(model.at(i, j, k) / table.at(i, j, k), 1.0, 2 * rel_tol) << what << " at " << i << "," << j << "," << k;
  // No voxel is off by more than 0.3 % of the emitted energy.
  for (int z = -model.half[2]; z <= model.half[2]; ++z)
    for (int y = -model.half[1]; y <= model.half[1]; ++y)
      for (int x = -model.half[0]; x <= model.half[0]; ++x) {
        const bool in_table = std::abs(x) <= table.half[0] && std::abs(y) <= table.half[1] && std::abs(z) <= table.half[2];
        const double t = in_table ? table.at(x, y, z) : 0.0;
        ASSERT_NEAR(model.at(x, y, z), t, 0.003) << what << " at " << x << "," << y << "," << z;
      }
}

}  // namespace

TEST(PointKernel, SphereAverageMatchesTheClosedFormInsideTheSelfVoxel) {
  // For r ≤ min h and c = 0 every factor stays linear: with x_a = r/h_a,
  // ⟨Π(1 − x_a|ω_a|)⟩ = 1 − Σx_a/2 + (2/3π) Σ_{a<b} x_a x_b − x1 x2 x3/(4π),
  // from ⟨|ω_a|⟩ = 1/2, ⟨|ω_a ω_b|⟩ = 2/(3π), ⟨|ω1 ω2 ω3|⟩ = 1/(4π).
  const double pi = std::numbers::pi;
  for (std::array<double, 3> h : {std::array<double, 3>{4, 4, 4}, {4.07, 4.07, 3.27}, {2.5, 3.5, 5}})
    for (double r : {0.1, 1.0, 2.0, 2.49}) {
      const double x = r / h[0], y = r / h[1], z = r / h[2];
      const double exact = 1 - (x + y + z) / 2 + 2 / (3 * pi) * (x * y + y * z + x * z) - x * y * z / (4 * pi);
      EXPECT_NEAR(sphere_average_triangle_product(r, {0, 0, 0}, h), exact, 1e-6) << r;  // achieved ≤ 5e-7
    }
  EXPECT_DOUBLE_EQ(sphere_average_triangle_product(0.0, {1.0, 0, 0}, {4, 4, 4}), 0.75);
}

TEST(PointKernel, SphereAverageIsAPartitionOfUnity) {
  // The triangles sum to one over the lattice, so every shell's energy is
  // shared out exactly: Σ_c A(r; c) = 1. This is what conserves energy.
  for (std::array<double, 3> h : {std::array<double, 3>{4.42, 4.42, 4.42}, {4.07, 4.07, 3.27}, {2.21, 3.0, 9.28}})
    for (double r : {0.3, 1.7, 4.0, 7.3, 11.5}) {
      double sum = 0;
      for (int i = -7; i <= 7; ++i)
        for (int j = -7; j <= 7; ++j)
          for (int k = -7; k <= 7; ++k) sum += sphere_average_triangle_product(r, {i * h[0], j * h[1], k * h[2]}, h);
      EXPECT_NEAR(sum, 1.0, 1e-6) << h[0] << "x" << h[1] << "x" << h[2] << " r " << r;
    }
}

TEST(PointKernel, FittedProfileIsPhysical) {
  const RadialEnergyProfile& e = y90_radial_energy_profile();
  ASSERT_EQ(e.residuals.size(), 13u);
  for (double v : e.mev_per_mm) EXPECT_GE(v, 0.0);
  // The tables hold 0.9336–0.9360 MeV per decay; the fit cannot exceed them much.
  EXPECT_GT(e.total_energy_mev(), 0.930);
  EXPECT_LT(e.total_energy_mev(), 0.937);
  // Energy loss near the source ≈ collision stopping power of ~1 MeV electrons
  // (≈ 0.19 MeV/mm at 1.04 g/mL) or a little more for the slower ones.
  EXPECT_GT(e.at(0.0), 0.15);
  EXPECT_LT(e.at(0.0), 0.30);
  // Beyond the 11 mm CSDA range of the 2.28 MeV end point there is only the
  // bremsstrahlung floor of the tables: < 0.05 % of the energy past 10 mm.
  double tail = 0;
  for (double r = 10.0; r < 12.0; r += 0.01) tail += e.at(r + 0.005) * 0.01;
  EXPECT_LT(tail, 0.0005);
  EXPECT_GT(e.at(5.0), 10 * e.at(10.0));
}

TEST(PointKernel, ReproducesEveryPublishedTable) {
  const RadialEnergyProfile& e = y90_radial_energy_profile();
  for (const auto& t : physics::lanconelli_soft_tissue_tables()) {
    const double h = t.voxel_mm;
    const DoseKernel model = generated_y90_kernel({h, h, h});
    const DoseKernel pub = kernel_from_table(t);
    const std::string what = t.source;
    EXPECT_NEAR(sum_of(model), 1.0, 1e-5) << what;
    EXPECT_NEAR(model.table_energy_mev, pub.table_energy_mev, 0.002) << what;
    EXPECT_NEAR(model.table_energy_mev, e.total_energy_mev(), 1e-4) << what;
    expect_reproduces_table(model, pub, 0.0025, 0.012, what);
  }
}

TEST(PointKernel, ResidualsAreReportedForEveryTable) {
  for (const auto& r : y90_radial_energy_profile().residuals) {
    EXPECT_TRUE(r.used_in_fit);
    EXPECT_NEAR(r.self_fraction_model, r.self_fraction_table, 0.0025) << r.voxel_mm;
    EXPECT_LT(std::abs(r.face_neighbour_rel_error), 0.006) << r.voxel_mm;
    EXPECT_LT(std::abs(r.edge_neighbour_rel_error), 0.006) << r.voxel_mm;
    EXPECT_LT(std::abs(r.corner_neighbour_rel_error), 0.012) << r.voxel_mm;
    EXPECT_LT(r.max_abs_error, 0.0025) << r.voxel_mm;
  }
}

TEST(PointKernel, LeaveOneOutPredictsThe442mmTable) {
  RadialFitOptions options;
  options.exclude_voxel_mm = {4.42};
  const RadialEnergyProfile e = fit_radial_energy_profile(physics::lanconelli_soft_tissue_tables(), options);
  EXPECT_EQ(e.source.find("4.42"), std::string::npos) << e.source;
  bool reported = false;
  for (const auto& r : e.residuals)
    if (r.voxel_mm == 4.42) {
      reported = true;
      EXPECT_FALSE(r.used_in_fit);
    }
  EXPECT_TRUE(reported);
  const DoseKernel model = kernel_from_profile(e, {4.42, 4.42, 4.42});
  const DoseKernel pub = kernel_from_table(table(4.42));
  // Achieved: self 0.4127 vs 0.4126, face +0.05 %, edge +0.03 %, corner +0.07 %.
  EXPECT_NEAR(model.at(0, 0, 0), 0.4126, 0.0005);
  expect_reproduces_table(model, pub, 0.0005, 0.003, "leave-one-out 4.42 mm");
}

TEST(PointKernel, ExtrapolatesToTheFinestTablesFromTheCoarserOnes) {
  RadialFitOptions options;
  options.exclude_voxel_mm = {2.21, 2.33, 2.4};
  const RadialEnergyProfile e = fit_radial_energy_profile(physics::lanconelli_soft_tissue_tables(), options);
  for (double h : {2.21, 2.33, 2.4})
    expect_reproduces_table(kernel_from_profile(e, {h, h, h}), kernel_from_table(table(h)), 0.001, 0.008,
                            "fit without 2.21–2.4 mm");
}

TEST(PointKernel, AnisotropicKernelIsSymmetricAndNormalised) {
  const DoseKernel k = generated_y90_kernel({4.07, 4.07, 3.27});  // a PET grid
  EXPECT_EQ(k.source, "generated from radial fit to Lanconelli 2012 tables at 4.07x4.07x3.27 mm");
  EXPECT_EQ(k.half, (std::array<int, 3>{3, 3, 4}));
  EXPECT_NEAR(sum_of(k), 1.0, 1e-5);
  EXPECT_NEAR(k.voxel_mm, std::cbrt(4.07 * 4.07 * 3.27), 1e-12);
  for (int z = -k.half[2]; z <= k.half[2]; ++z)
    for (int y = -k.half[1]; y <= k.half[1]; ++y)
      for (int x = -k.half[0]; x <= k.half[0]; ++x) {
        ASSERT_EQ(k.at(x, y, z), k.at(-x, y, z));
        ASSERT_EQ(k.at(x, y, z), k.at(x, -y, z));
        ASSERT_EQ(k.at(x, y, z), k.at(x, y, -z));
        ASSERT_EQ(k.at(x, y, z), k.at(y, x, z));  // sx = sy
      }
  // The nearer face (3.27 mm along z) gets more than the farther one (4.07 mm).
  EXPECT_GT(k.at(0, 0, 1), 1.2 * k.at(1, 0, 0));
  // Between the 3.59 mm (0.347) and 4.0 mm (0.381) tables, which bracket the
  // 3.78 mm geometric-mean edge.
  EXPECT_GT(k.at(0, 0, 0), 0.347);
  EXPECT_LT(k.at(0, 0, 0), 0.381);

  const DoseKernel g = generated_y90_kernel({2.5, 3.5, 5.0});
  EXPECT_EQ(g.half, (std::array<int, 3>{5, 4, 3}));
  EXPECT_NEAR(sum_of(g), 1.0, 1e-5);
  EXPECT_GT(g.at(1, 0, 0), g.at(0, 1, 0));
  EXPECT_GT(g.at(0, 1, 0), g.at(0, 0, 1));
  EXPECT_FLOAT_EQ(g.at(2, -1, 1), g.at(-2, 1, -1));
}

TEST(PointKernel, MergingVoxelsGivesTheCoarserKernel) {
  // The forward model is exact under merging 2x2x2 voxels into one:
  //   F_2h(C) = (1/8) Σ_{d ∈ {−1,0,1}³} Π(2 − |d_a|) F_h(2C + d),
  // so a kernel at half the spacing, summed this way, must equal the kernel
  // at the full spacing — a check of the quadrature that shares no code path
  // between the two grids.
  const std::array<double, 3> coarse{4.07, 4.07, 3.27};
  const DoseKernel big = generated_y90_kernel(coarse);
  const DoseKernel fine = generated_y90_kernel({coarse[0] / 2, coarse[1] / 2, coarse[2] / 2});
  auto fine_at = [&](int x, int y, int z) {
    if (std::abs(x) > fine.half[0] || std::abs(y) > fine.half[1] || std::abs(z) > fine.half[2]) return 0.0;
    return static_cast<double>(fine.at(x, y, z));
  };
  for (auto [X, Y, Z] : {std::array<int, 3>{0, 0, 0}, {1, 0, 0}, {0, 0, 1}, {1, 1, 1}, {2, 0, 1}, {3, 0, 0}}) {
    double merged = 0;
    for (int dz = -1; dz <= 1; ++dz)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx)
          merged += (2 - std::abs(dx)) * (2 - std::abs(dy)) * (2 - std::abs(dz)) / 8.0 *
                    fine_at(2 * X + dx, 2 * Y + dy, 2 * Z + dz);
    EXPECT_NEAR(merged, big.at(X, Y, Z), 2e-5 + 1e-4 * big.at(X, Y, Z)) << X << "," << Y << "," << Z;
  }
}

TEST(PointKernel, SelfVoxelFractionGrowsWithVoxelSize) {
  double previous = 0;
  for (double h = 1.0; h <= 20.0; h *= 1.25) {
    const double self = generated_y90_kernel({h, h, h}).at(0, 0, 0);
    EXPECT_GT(self, previous) << h;
    previous = self;
  }
  EXPECT_GT(previous, 0.75);  // 18.2 mm: most of the energy stays in the voxel
  EXPECT_LT(previous, 0.90);
}

TEST(PointKernel, RefusesAbsurdSpacing) {
  EXPECT_THROW(generated_y90_kernel({0.5, 4, 4}), Error);
  EXPECT_THROW(generated_y90_kernel({4, 4, 20.5}), Error);
  EXPECT_THROW(generated_y90_kernel({4, -4, 4}), Error);
  EXPECT_THROW(generated_y90_kernel({4, 4, std::numeric_limits<double>::infinity()}), Error);
  EXPECT_NO_THROW(generated_y90_kernel({20, 20, 20}));
}

class UniformRegion : public ::testing::TestWithParam<std::array<double, 3>> {};

TEST_P(UniformRegion, KernelDoseEqualsLocalDepositionDeepInside) {
  // Deep inside a uniform region, every voxel receives what it emits: the
  // kernel dose must equal the local-deposition dose D = K·A/M.
  image::Grid g;
  g.size = {40, 40, 40};
  g.spacing_mm = GetParam();
  image::Volume<float> activity(g, 0.f), mass(g, 0.f);
  const double voxel_kg = 1.04 * g.voxel_volume_ml() / 1000.0;
  for (int z = 5; z < 35; ++z)
    for (int y = 5; y < 35; ++y)
      for (int x = 5; x < 35; ++x) activity.at(x, y, z) = 1.0f / 27000.f;
  for (float& m : mass.data) m = static_cast<float>(voxel_kg);
  const double k = 49.67;
  const double expected = k / (27000 * voxel_kg);
  const auto ldm = local_deposition_dose(activity, mass, k);
  EXPECT_NEAR(ldm.dose_gy.at(20, 20, 20), expected, 1e-5 * expected);
  const DoseKernel kernel = y90_soft_tissue_kernel(g.spacing_mm);
  ASSERT_NE(kernel.source.find("generated"), std::string::npos);
  KernelConvolution conv(g.size, kernel, 1);
  const auto dvk = kernel_dose(activity, mass, k, conv);
  EXPECT_NEAR(dvk.dose_gy.at(20, 20, 20), expected, 0.01 * expected);
  EXPECT_NEAR(dvk.dose_gy.at(10, 12, 9), expected, 0.01 * expected);
  // At a face of the block a voxel keeps only part of its neighbours' energy.
  EXPECT_LT(dvk.dose_gy.at(5, 20, 20), 0.9 * expected);
  double energy = 0;
  for (size_t i = 0; i < mass.size(); ++i) energy += dvk.dose_gy.data[i] * mass.data[i];
  EXPECT_NEAR(energy, k, 1e-4 * k);
}

INSTANTIATE_TEST_SUITE_P(GeneratedKernels, UniformRegion,
                         ::testing::Values(std::array<double, 3>{3.5, 3.5, 3.5},
                                           std::array<double, 3>{4.07, 4.07, 3.27}));

}  // namespace sirtkit::dosimetry
