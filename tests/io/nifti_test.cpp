#include "io/nifti.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;

image::Grid oblique_grid() {
  image::Grid g;
  g.size = {5, 4, 3};
  g.spacing_mm = {4.42, 2.5, 3.27};
  g.origin_mm = {-100.5, 20.25, 7.0};
  // A rotation about z by 30 degrees.
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
  g.direction = {c, -s, 0, s, c, 0, 0, 0, 1};
  return g;
}

}  // namespace

TEST(Nifti, FloatVolumeRoundTripsExactly) {
  image::Volume<float> v(oblique_grid());
  for (std::size_t i = 0; i < v.data.size(); ++i) v.data[i] = 0.5f * static_cast<float>(i) - 3.25f;
  const fs::path p = fs::temp_directory_path() / "sirtkit_nifti_roundtrip.nii.gz";
  write_nifti(p, v);
  const auto r = read_nifti_float(p);
  EXPECT_EQ(r.grid.size, v.grid.size);
  for (int d = 0; d < 3; ++d) {
    EXPECT_NEAR(r.grid.spacing_mm[d], v.grid.spacing_mm[d], 1e-5);
    EXPECT_NEAR(r.grid.origin_mm[d], v.grid.origin_mm[d], 1e-4);
  }
  for (int c = 0; c < 9; ++c) EXPECT_NEAR(r.grid.direction[c], v.grid.direction[c], 1e-6);
  EXPECT_EQ(r.data, v.data);
}

TEST(Nifti, NonFiniteValuesAreRefusedNamingTheVoxel) {
  image::Volume<float> v(oblique_grid(), 1.f);
  v.data[7] = std::nanf("");  // voxel (2, 1, 0)
  const fs::path p = fs::temp_directory_path() / "sirtkit_nifti_nan.nii.gz";
  write_nifti(p, v);
  try {
    read_nifti_float(p);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("voxel (2, 1, 0) = nan or inf"), std::string::npos) << e.what();
  }
}

TEST(Nifti, LabelsRoundTripAndRefuseFractions) {
  image::LabelMap l(oblique_grid(), 0);
  l.data[3] = 7;
  l.data[10] = 40000;  // beyond 16 bits
  const fs::path p = fs::temp_directory_path() / "sirtkit_labels_roundtrip.nii";
  write_nifti(p, l);
  EXPECT_EQ(read_nifti_labels(p).data, l.data);
  image::Volume<float> frac(oblique_grid(), 0.f);
  frac.data[5] = 0.5f;
  const fs::path q = fs::temp_directory_path() / "sirtkit_fraction.nii.gz";
  write_nifti(q, frac);
  try {
    read_nifti_labels(q);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("voxel (0, 1, 0) = 0.5"), std::string::npos) << e.what();
  }
}

TEST(Nifti, UnreadableFilesAreIoErrors) {
  const fs::path p = fs::temp_directory_path() / "sirtkit_not_nifti.nii";
  std::ofstream(p) << "this is not an image";
  EXPECT_THROW(read_nifti_float(p), Error);
  EXPECT_THROW(read_nifti_float(fs::temp_directory_path() / "sirtkit_no_such_file.nii"), Error);
}

TEST(Nifti, FailedWriteLeavesNoFile) {
  image::Volume<float> v(oblique_grid(), 1.f);
  const fs::path p = fs::temp_directory_path() / "sirtkit_no_such_dir" / "x.nii.gz";
  EXPECT_THROW(write_nifti(p, v), Error);
  EXPECT_FALSE(fs::exists(p));
}

}  // namespace sirtkit::io
