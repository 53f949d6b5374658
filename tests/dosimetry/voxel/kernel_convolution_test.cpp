#include "dosimetry/voxel/kernel_convolution.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>
#include <string>

#include "core/error.h"
#include "dosimetry/voxel/voxel_dose.h"

namespace sirtkit::dosimetry {
namespace {

DoseKernel kernel_442() { return y90_soft_tissue_kernel({4.42, 4.42, 4.42}); }

std::vector<float> direct_convolution(const std::vector<float>& in, const std::array<int, 3>& n, const DoseKernel& k) {
  std::vector<float> out(in.size(), 0.f);
  for (int z = 0; z < n[2]; ++z)
    for (int y = 0; y < n[1]; ++y)
      for (int x = 0; x < n[0]; ++x) {
        double acc = 0;
        for (int dz = -k.half[2]; dz <= k.half[2]; ++dz)
          for (int dy = -k.half[1]; dy <= k.half[1]; ++dy)
            for (int dx = -k.half[0]; dx <= k.half[0]; ++dx) {
              const int sx = x - dx, sy = y - dy, sz = z - dz;
              if (sx < 0 || sy < 0 || sz < 0 || sx >= n[0] || sy >= n[1] || sz >= n[2]) continue;
              acc += in[(static_cast<size_t>(sz) * n[1] + sy) * n[0] + sx] * k.at(dx, dy, dz);
            }
        out[(static_cast<size_t>(z) * n[1] + y) * n[0] + x] = static_cast<float>(acc);
      }
  return out;
}

}  // namespace

TEST(DoseKernel, NormalisedAndSymmetric) {
  const DoseKernel k = kernel_442();
  EXPECT_EQ(k.half[0], 5);
  const double sum = std::accumulate(k.fraction.begin(), k.fraction.end(), 0.0);
  EXPECT_NEAR(sum, 1.0, 1e-6);
  EXPECT_NEAR(k.at(0, 0, 0), 0.41, 0.01);  // self-voxel fraction at 4.42 mm
  EXPECT_FLOAT_EQ(k.at(1, 2, 3), k.at(-1, -2, -3));
  EXPECT_GT(k.table_energy_mev, 0.933);
  EXPECT_LT(k.table_energy_mev, 0.937);
}

TEST(DoseKernel, GeneratesAKernelForAGridWithoutATable) {
  // No table at 3.5 mm or for anisotropic voxels: the kernel is generated from
  // the radial fit (point_kernel.h); a grid within 1 % of a table uses the table.
  const DoseKernel cubic = y90_soft_tissue_kernel({3.5, 3.5, 3.5});
  EXPECT_NE(cubic.source.find("generated"), std::string::npos) << cubic.source;
  EXPECT_NE(cubic.source.find("3.5x3.5x3.5"), std::string::npos) << cubic.source;
  // Between the 3.0 mm (0.298) and 3.59 mm (0.347) tables.
  EXPECT_GT(cubic.at(0, 0, 0), 0.30);
  EXPECT_LT(cubic.at(0, 0, 0), 0.347);
  const DoseKernel flat = y90_soft_tissue_kernel({4.42, 4.42, 3.0});
  EXPECT_NE(flat.source.find("generated"), std::string::npos) << flat.source;
  EXPECT_GT(flat.half[2], flat.half[0]);
  const DoseKernel table = y90_soft_tissue_kernel({4.43, 4.41, 4.42});
  EXPECT_EQ(table.source.find("generated"), std::string::npos) << table.source;
  EXPECT_EQ(table.half[0], 5);
}

TEST(DoseKernel, RefusesAbsurdSpacing) {
  EXPECT_THROW(y90_soft_tissue_kernel({0.0, 4.0, 4.0}), Error);
  EXPECT_THROW(y90_soft_tissue_kernel({4.0, -4.0, 4.0}), Error);
  EXPECT_THROW(y90_soft_tissue_kernel({4.0, 4.0, 0.5}), Error);
  EXPECT_THROW(y90_soft_tissue_kernel({25.0, 4.0, 4.0}), Error);
  EXPECT_THROW(y90_soft_tissue_kernel({4.0, std::nan(""), 4.0}), Error);
  try {
    y90_soft_tissue_kernel({4.0, 4.0, 0.2});
    FAIL() << "expected a bad-input error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("0.2"), std::string::npos) << e.what();
  }
}

TEST(KernelConvolution, GoodSizes) {
  EXPECT_EQ(KernelConvolution::good_fft_size(133), 135);
  EXPECT_EQ(KernelConvolution::good_fft_size(128), 128);
  EXPECT_EQ(KernelConvolution::good_fft_size(11), 12);
  EXPECT_EQ(KernelConvolution::good_fft_size(13), 14);
}

TEST(KernelConvolution, SingleVoxelGivesTheKernel) {
  const DoseKernel k = kernel_442();
  const std::array<int, 3> n{21, 19, 17};
  std::vector<float> in(21 * 19 * 17, 0.f), out;
  in[(8 * 19 + 9) * 21 + 10] = 1000.f;
  KernelConvolution conv(n, k, 1);
  conv.apply(in, out);
  for (int dz = -5; dz <= 5; ++dz)
    for (int dx = -5; dx <= 5; ++dx)
      EXPECT_NEAR(out[((8 + dz) * 19 + 9) * 21 + 10 + dx], 1000.f * k.at(dx, 0, dz), 1e-3);
  EXPECT_NEAR(std::accumulate(out.begin(), out.end(), 0.0), 1000.0, 1e-2);
}

TEST(KernelConvolution, EqualsDirectConvolutionWithoutWrapAround) {
  const DoseKernel k = kernel_442();
  const std::array<int, 3> n{16, 14, 12};
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> in(16 * 14 * 12), out;
  for (float& v : in) v = u(rng);
  // Hot voxels on the faces: wrap-around would put their dose on the opposite face.
  in[0] = 500.f;
  in[in.size() - 1] = 500.f;
  KernelConvolution conv(n, k, 2);
  conv.apply(in, out);
  const auto ref = direct_convolution(in, n, k);
  double worst = 0, peak = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    worst = std::max(worst, static_cast<double>(std::abs(out[i] - ref[i])));
    peak = std::max(peak, static_cast<double>(ref[i]));
  }
  EXPECT_LT(worst / peak, 1e-5);
}

TEST(VoxelDose, UniformActivityMatchesTheAnalyticDose) {
  // 1 GBq spread over a 30³ block of 1.03 g/mL tissue: D = K·A/M everywhere deep inside.
  image::Grid g;
  g.size = {40, 40, 40};
  g.spacing_mm = {4.42, 4.42, 4.42};
  image::Volume<float> activity(g, 0.f), mass(g, 0.f);
  const double voxel_kg = 1.03 * g.voxel_volume_ml() / 1000.0;
  for (int z = 5; z < 35; ++z)
    for (int y = 5; y < 35; ++y)
      for (int x = 5; x < 35; ++x) activity.at(x, y, z) = 1.0f / 27000.f;
  for (float& m : mass.data) m = static_cast<float>(voxel_kg);
  const double k = 49.67;
  const double expected = k * 1.0 / (27000 * voxel_kg);
  const auto ldm = local_deposition_dose(activity, mass, k);
  EXPECT_NEAR(ldm.dose_gy.at(20, 20, 20), expected, 1e-5 * expected);
  KernelConvolution conv(g.size, kernel_442(), 2);
  const auto dvk = kernel_dose(activity, mass, k, conv);
  EXPECT_NEAR(dvk.dose_gy.at(20, 20, 20), expected, 0.01 * expected);
  EXPECT_NEAR(dvk.dose_gy.at(10, 10, 10), expected, 0.01 * expected);
  // Energy is conserved: Σ D·m equals K·A.
  double energy = 0;
  for (size_t i = 0; i < mass.size(); ++i) energy += dvk.dose_gy.data[i] * mass.data[i];
  EXPECT_NEAR(energy, k * 1.0, 1e-4 * k);
}

TEST(VoxelDose, SphereLeakageAt442mm) {
  // §11: a uniform 300 mL sphere loses 5.9 % ± 0.5 % of its energy outside itself.
  image::Grid g;
  g.size = {40, 40, 40};
  g.spacing_mm = {4.42, 4.42, 4.42};
  image::Volume<float> activity(g, 0.f), mass(g, 0.f);
  const double radius_mm = std::cbrt(300.0 * 1000.0 * 3.0 / (4.0 * M_PI));
  size_t inside = 0;
  for (int z = 0; z < 40; ++z)
    for (int y = 0; y < 40; ++y)
      for (int x = 0; x < 40; ++x) {
        const double r = 4.42 * std::sqrt((x - 19.5) * (x - 19.5) + (y - 19.5) * (y - 19.5) + (z - 19.5) * (z - 19.5));
        if (r <= radius_mm) {
          activity.at(x, y, z) = 1.f;
          ++inside;
        }
      }
  for (float& m : mass.data) m = 1.f;
  KernelConvolution conv(g.size, kernel_442(), 2);
  std::vector<float> absorbed;
  conv.apply(activity.data, absorbed);
  double in_sphere = 0;
  for (size_t i = 0; i < absorbed.size(); ++i)
    if (activity.data[i] > 0) in_sphere += absorbed[i];
  const double leakage = 1.0 - in_sphere / static_cast<double>(inside);
  EXPECT_NEAR(leakage, 0.059, 0.005);
}

}  // namespace sirtkit::dosimetry
