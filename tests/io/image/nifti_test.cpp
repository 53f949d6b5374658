#include "io/image/nifti.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

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

// Issue 11 item 2: niftilib resolves a name by its base name, so asked for
// ct.nii.gz it read a stale ct.nii lying beside it. The file named must be the
// file read: a name shared with another NIfTI file is refused, naming both.
class NiftiSiblings : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("sirtkit_nifti_siblings_" + std::to_string(::getpid()));
  void SetUp() override {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  static image::Volume<float> filled(float value) { return image::Volume<float>(oblique_grid(), value); }
  template <typename F>
  static std::string refusal(F&& read) {
    try {
      read();
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::bad_input);
      return e.what();
    }
    ADD_FAILURE() << "an ambiguous name was read";
    return "";
  }
};

TEST_F(NiftiSiblings, StaleNiiBesideTheNamedNiiGzIsRefused) {
  write_nifti(dir / "ct.nii.gz", filled(60.f));
  EXPECT_EQ(read_nifti_float(dir / "ct.nii.gz").data[0], 60.f);  // alone, it is read
  write_nifti(dir / "ct.nii", filled(1.05f));                     // a stale sibling
  const std::string m = refusal([&] { read_nifti_float(dir / "ct.nii.gz"); });
  EXPECT_NE(m.find((dir / "ct.nii.gz").string()), std::string::npos) << m;
  EXPECT_NE(m.find((dir / "ct.nii").string() + "' lies beside it"), std::string::npos) << m;
  // The reverse: the named .nii with a stale .nii.gz beside it.
  const std::string r = refusal([&] { read_nifti_float(dir / "ct.nii"); });
  EXPECT_NE(r.find((dir / "ct.nii.gz").string() + "' lies beside it"), std::string::npos) << r;
}

TEST_F(NiftiSiblings, LabelMapsAndOtherSpellingsAreCheckedToo) {
  image::LabelMap l(oblique_grid(), 1);
  write_nifti(dir / "labels.nii.gz", l);
  std::ofstream(dir / "labels.NII") << "stale";  // niftilib tries upper-case extensions too
  const std::string m = refusal([&] { read_nifti_labels(dir / "labels.nii.gz"); });
  EXPECT_NE(m.find("labels.NII"), std::string::npos) << m;
  // An Analyze-style header/data pair is one image, but not beside a .nii.
  std::ofstream(dir / "spect.hdr") << "header";
  std::ofstream(dir / "spect.img") << "data";
  std::ofstream(dir / "spect.nii") << "stale";
  EXPECT_NE(refusal([&] { read_nifti_float(dir / "spect.hdr"); }).find("spect.nii"), std::string::npos);
  fs::remove(dir / "spect.nii");
  std::ofstream(dir / "spect.img.gz") << "second data file";
  EXPECT_NE(refusal([&] { read_nifti_float(dir / "spect.hdr"); }).find("spect.img"), std::string::npos);
}

TEST_F(NiftiSiblings, OtherFilesWithTheSameStemAreNoConcern) {
  write_nifti(dir / "ct.nii.gz", filled(40.f));
  std::ofstream(dir / "ct.json") << "{}";
  std::ofstream(dir / "ct_old.nii") << "another name";
  EXPECT_EQ(read_nifti_float(dir / "ct.nii.gz").data[0], 40.f);
}

}  // namespace sirtkit::io
