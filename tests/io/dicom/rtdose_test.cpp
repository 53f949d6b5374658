#include "io/dicom/rtdose.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/error.h"
#include "../dicom_fixture.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using namespace fixture;

image::Volume<float> dose_phantom(const image::Grid& g) {
  image::Volume<float> v(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) v.at(i, j, k) = static_cast<float>(0.37 * i + 12.5 * j + 41.3 * k);
  v.at(0, 0, 0) = 0;
  return v;
}

}  // namespace

TEST(RtDose, RoundTripsThroughDcmtkAndItkWithinScalingPrecision) {
  const fs::path dir = fresh_dir("rtdose");
  fs::create_directories(dir / "ct");
  SeriesSpec ct;
  write_slices(dir / "ct", image::Volume<float>(oblique_grid(4, 4, 3), 0.f), ct);
  const DicomReference ref = read_dicom_reference(dir / "ct");
  EXPECT_EQ(ref.frame_of_reference_uid, ct.frame_of_reference_uid);
  EXPECT_EQ(ref.patient_id, "PID-12345");

  const image::Grid g = oblique_grid(7, 6, 5);  // dose grid differs from the CT grid
  const auto dose = dose_phantom(g);
  const fs::path out = dir / "dose.dcm";
  const double scaling = write_rtdose(out, dose, ref);
  EXPECT_GT(scaling, 0);
  EXPECT_LT(scaling, 1e-7);  // 32-bit: max dose (~ 240 Gy) / 2^32

  const RtDose r = read_rtdose(out);
  EXPECT_EQ(r.frame_of_reference_uid, ct.frame_of_reference_uid);
  EXPECT_DOUBLE_EQ(r.dose_grid_scaling, scaling);
  EXPECT_EQ(r.dose_gy.grid.size, g.size);
  for (int d = 0; d < 3; ++d) {
    EXPECT_NEAR(r.dose_gy.grid.spacing_mm[d], g.spacing_mm[d], 1e-9);
    EXPECT_NEAR(r.dose_gy.grid.origin_mm[d], g.origin_mm[d], 1e-9);
  }
  for (int c = 0; c < 9; ++c) EXPECT_NEAR(r.dose_gy.grid.direction[c], g.direction[c], 1e-9);
  // Half a scaling step from rounding, plus float's own rounding of the value.
  auto tol = [&](float v) { return scaling / 2 + 2 * std::abs(v) * std::numeric_limits<float>::epsilon(); };
  for (std::size_t n = 0; n < dose.data.size(); ++n) ASSERT_NEAR(r.dose_gy.data[n], dose.data[n], tol(dose.data[n])) << n;

  const auto itk = read_rtdose_with_itk(out);
  EXPECT_EQ(itk.grid.size, g.size);
  for (int d = 0; d < 3; ++d) {
    EXPECT_NEAR(itk.grid.spacing_mm[d], g.spacing_mm[d], 1e-6);
    EXPECT_NEAR(itk.grid.origin_mm[d], g.origin_mm[d], 1e-6);
  }
  for (int c = 0; c < 9; ++c) EXPECT_NEAR(itk.grid.direction[c], g.direction[c], 1e-6);
  for (std::size_t n = 0; n < dose.data.size(); ++n) ASSERT_NEAR(itk.data[n], dose.data[n], tol(dose.data[n])) << n;

  // The dose joins the CT's patient and study.
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(out.c_str()).good());
  OFString s;
  f.getDataset()->findAndGetOFString(DCM_StudyInstanceUID, s);
  EXPECT_EQ(std::string(s.c_str()), ct.study_uid);
  f.getDataset()->findAndGetOFString(DCM_Modality, s);
  EXPECT_EQ(std::string(s.c_str()), "RTDOSE");
}

TEST(RtDose, RefusesNegativeOrNonFiniteDoseAndWritesNothing) {
  const fs::path dir = fresh_dir("rtdose_bad");
  DicomReference ref;
  ref.study_uid = "1.2.3";
  ref.frame_of_reference_uid = "1.2.3.4";
  auto dose = dose_phantom(oblique_grid(3, 3, 3));
  dose.data[5] = -1.f;
  EXPECT_THROW(write_rtdose(dir / "d.dcm", dose, ref), Error);
  dose.data[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(write_rtdose(dir / "d.dcm", dose, ref), Error);
  EXPECT_FALSE(fs::exists(dir / "d.dcm"));
}

}  // namespace sirtkit::io
