#include "io/dicom/dicom_series.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "../dicom_fixture.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using namespace fixture;

image::Volume<float> ct_phantom(const image::Grid& g) {
  image::Volume<float> v(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) v.at(i, j, k) = static_cast<float>(-1000 + i + 10 * j + 100 * k);
  return v;
}

void expect_same_grid(const image::Grid& a, const image::Grid& b) {
  EXPECT_EQ(a.size, b.size);
  for (int d = 0; d < 3; ++d) {
    EXPECT_NEAR(a.spacing_mm[d], b.spacing_mm[d], 1e-9) << "axis " << d;
    EXPECT_NEAR(a.origin_mm[d], b.origin_mm[d], 1e-9) << "axis " << d;
  }
  for (int c = 0; c < 9; ++c) EXPECT_NEAR(a.direction[c], b.direction[c], 1e-9) << "cosine " << c;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(DicomSeries, CtSliceSeriesRoundTripsExactlyInOrderOfPosition) {
  const fs::path dir = fresh_dir("ct");
  const auto v = ct_phantom(oblique_grid());
  SeriesSpec s;
  s.intercept = -1024;
  write_slices(dir, v, s);  // files named in reverse slice order
  const DicomVolume r = read_dicom_series(dir);
  expect_same_grid(r.volume.grid, v.grid);
  EXPECT_EQ(r.units, "HU");
  EXPECT_EQ(r.modality, "CT");
  EXPECT_EQ(r.series_uid, s.series_uid);
  EXPECT_EQ(r.frame_of_reference_uid, s.frame_of_reference_uid);
  ASSERT_EQ(r.volume.data.size(), v.data.size());
  for (std::size_t n = 0; n < v.data.size(); ++n) ASSERT_EQ(r.volume.data[n], v.data[n]) << "voxel " << n;
}

TEST(DicomSeries, PetPerSliceRescaleAndDecayInformation) {
  const fs::path dir = fresh_dir("pet");
  image::Grid g = oblique_grid(4, 3, 5);
  g.direction = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  SeriesSpec s;
  s.modality = "PT";
  s.sop_class = UID_PositronEmissionTomographyImageStorage;
  s.slope = [](int k) { return 0.25 * (k + 1); };  // a different scale on every slice
  image::Volume<float> v(g);
  for (int k = 0; k < 5; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 4; ++i) v.at(i, j, k) = static_cast<float>((100 * k + 7 * j + i) * 0.25 * (k + 1));
  write_slices(dir, v, s);
  const DicomVolume r = read_dicom_series(dir);
  EXPECT_EQ(r.units, "Bq/mL");
  ASSERT_TRUE(r.pet.has_value());
  EXPECT_EQ(r.pet->decay_correction, "START");
  EXPECT_EQ(r.pet->reference_datetime, "20240115101500");
  EXPECT_DOUBLE_EQ(r.pet->half_life_s, 230549);
  for (std::size_t n = 0; n < v.data.size(); ++n) ASSERT_EQ(r.volume.data[n], v.data[n]) << "voxel " << n;
}

TEST(DicomSeries, MixedFolderNeedsAChoiceAndListsBoth) {
  const fs::path dir = fresh_dir("mixed");
  const auto v = ct_phantom(oblique_grid());
  SeriesSpec ct;
  write_slices(dir, v, ct);
  SeriesSpec nm;
  write_nm_tomo(dir / "spect.dcm", ct_phantom(oblique_grid(3, 3, 4)), nm);
  std::ofstream(dir / "notes.txt") << "not DICOM\n";
  const std::string e = error_of([&] { read_dicom_series(dir); });
  EXPECT_NE(e.find("2 image series"), std::string::npos) << e;
  EXPECT_NE(e.find(ct.series_uid), std::string::npos) << e;
  EXPECT_NE(e.find("(0020,000E)"), std::string::npos) << e;
  const auto list = list_dicom_series(dir);
  ASSERT_EQ(list.size(), 2u);
  for (const auto& info : list) {
    ASSERT_TRUE(info.grid.has_value()) << info.problem;
    if (info.series_uid == ct.series_uid) {
      EXPECT_EQ(info.modality, "CT");
      EXPECT_EQ(info.files.size(), 7u);
      EXPECT_EQ(info.grid->size, (std::array<int, 3>{6, 5, 7}));
    } else {
      EXPECT_EQ(info.modality, "NM");
      EXPECT_EQ(info.frames, 4);
    }
  }
  const DicomVolume r = read_dicom_series(dir, nm.series_uid);
  EXPECT_EQ(r.modality, "NM");
  EXPECT_EQ(r.volume.grid.size, (std::array<int, 3>{3, 3, 4}));
  EXPECT_NE(error_of([&] { read_dicom_series(dir, "1.2.3.4"); }).find("1.2.3.4"), std::string::npos);
}

TEST(DicomSeries, MissingSliceIsRefusedNamingTheFileAndTag) {
  const fs::path dir = fresh_dir("missing");
  const auto files = write_slices(dir, ct_phantom(oblique_grid()), SeriesSpec{});
  fs::remove(files[3]);
  const std::string e = error_of([&] { read_dicom_series(dir); });
  EXPECT_NE(e.find("ImagePositionPatient (0020,0032)"), std::string::npos) << e;
  EXPECT_NE(e.find(files[4].filename().string()), std::string::npos) << e;
  EXPECT_NE(e.find("missing slice"), std::string::npos) << e;
}

TEST(DicomSeries, UnevenSpacingIsRefused) {
  const fs::path dir = fresh_dir("uneven");
  image::Grid g = oblique_grid();
  const auto files = write_slices(dir, ct_phantom(g), SeriesSpec{});
  edit_file(files[5], [&](DcmDataset& ds) {
    auto p = g.point_mm(0, 0, 5.2);  // 0.5 mm off a 2.5 mm grid
    put(ds, DCM_ImagePositionPatient, ds_list({p[0], p[1], p[2]}));
  });
  const std::string e = error_of([&] { read_dicom_series(dir); });
  EXPECT_NE(e.find("even slice spacing"), std::string::npos) << e;
  EXPECT_NE(e.find("(0020,0032)"), std::string::npos) << e;
}

TEST(DicomSeries, UnevenSpacingWithinFivePercentIsResampledWithAWarning) {
  const fs::path dir = fresh_dir("uneven_small");
  const image::Grid g = oblique_grid();  // 7 slices 2.5 mm apart
  const auto v = ct_phantom(g);           // value -1000 + i + 10 j + 100 k
  const auto files = write_slices(dir, v, SeriesSpec{});
  edit_file(files[3], [&](DcmDataset& ds) {
    const auto p = g.point_mm(0, 0, 3.02);  // 0.05 mm further: gaps 2.55 and 2.45 mm (2 %)
    put(ds, DCM_ImagePositionPatient, ds_list({p[0], p[1], p[2]}));
  });
  const DicomVolume r = read_dicom_series(dir);
  expect_same_grid(r.volume.grid, g);  // first and last slice unchanged: mean gap 2.5 mm
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("uneven slice spacing: 2.55 mm"), std::string::npos) << r.warnings[0];
  EXPECT_NE(r.warnings[0].find("resampled"), std::string::npos) << r.warnings[0];
  // Slice 3 of the grid (7.5 mm) lies between the acquired slices at 5.0 and
  // 7.55 mm: weight 2.5 / 2.55 on the second. Slice 4 (10 mm) is acquired.
  const double w = 2.5 / 2.55;
  for (int j = 0; j < g.size[1]; ++j)
    for (int i = 0; i < g.size[0]; ++i) {
      EXPECT_NEAR(r.volume.at(i, j, 3), v.at(i, j, 2) + w * 100, 1e-3) << i << "," << j;
      EXPECT_NEAR(r.volume.at(i, j, 4), v.at(i, j, 4), 1e-3) << i << "," << j;
      EXPECT_EQ(r.volume.at(i, j, 2), v.at(i, j, 2));
    }
  // The listing says the same before reading.
  const auto listed = list_dicom_series(dir);
  ASSERT_EQ(listed.size(), 1u);
  ASSERT_EQ(listed[0].warnings.size(), 1u);
  EXPECT_EQ(listed[0].warnings[0], r.warnings[0]);

  // 6 % is beyond the tolerance: refused, naming the gap.
  edit_file(files[3], [&](DcmDataset& ds) {
    const auto p = g.point_mm(0, 0, 3.06);
    put(ds, DCM_ImagePositionPatient, ds_list({p[0], p[1], p[2]}));
  });
  const std::string e = error_of([&] { read_dicom_series(dir); });
  EXPECT_NE(e.find("within 5 % of the mean gap: 2.65 mm between"), std::string::npos) << e;
}

TEST(DicomSeries, TwoFilesWithOneInstanceUidAreReadOnceOnlyWhenIdentical) {
  const fs::path dir = fresh_dir("duplicate_uid");
  const auto v = ct_phantom(oblique_grid());
  const auto files = write_slices(dir, v, SeriesSpec{});
  fs::copy_file(files[2], dir / "copy_of_slice.dcm");
  const DicomVolume r = read_dicom_series(dir);
  EXPECT_EQ(r.volume.grid.size[2], 7);
  for (std::size_t n = 0; n < v.data.size(); ++n) ASSERT_EQ(r.volume.data[n], v.data[n]) << "voxel " << n;
  edit_file(dir / "copy_of_slice.dcm", [](DcmDataset& ds) { put(ds, DCM_InstanceNumber, "99"); });
  const std::string e = error_of([&] { read_dicom_series(dir); });
  EXPECT_NE(e.find("SOPInstanceUID (0008,0018)"), std::string::npos) << e;
  EXPECT_NE(e.find(files[2].filename().string()), std::string::npos) << e;
  EXPECT_NE(e.find("copy_of_slice.dcm"), std::string::npos) << e;
  EXPECT_NE(error_of([&] { list_dicom_series(dir); }).find("copy_of_slice.dcm"), std::string::npos);
}

TEST(DicomSeries, InconsistentOrientationIsRefused) {
  const fs::path dir = fresh_dir("orientation");
  const auto files = write_slices(dir, ct_phantom(oblique_grid()), SeriesSpec{});
  edit_file(files[2], [](DcmDataset& ds) { put(ds, DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0"); });
  const std::string e = error_of([&] { read_dicom_series(dir); });
  EXPECT_NE(e.find("ImageOrientationPatient (0020,0037)"), std::string::npos) << e;
  EXPECT_NE(e.find(files[2].filename().string()), std::string::npos) << e;
}

TEST(DicomSeries, GantryTiltIsRefused) {
  const fs::path dir = fresh_dir("tilt");
  image::Grid g = oblique_grid();
  g.direction = {1, 0, 0, 0, 1, 0.2, 0, 0, 0.98};  // slices stepping off the normal
  const auto files = write_slices(dir, ct_phantom(g), SeriesSpec{});
  const std::string e = error_of([&] { read_dicom_series(dir); });
  EXPECT_NE(e.find("gantry tilt"), std::string::npos) << e;
}

TEST(DicomSeries, PetWithoutDecayInformationIsRefused) {
  image::Grid g = oblique_grid(3, 3, 3);
  SeriesSpec s;
  s.modality = "PT";
  s.sop_class = UID_PositronEmissionTomographyImageStorage;
  {
    const fs::path dir = fresh_dir("pet_nodecay");
    const auto files = write_slices(dir, ct_phantom(g), s);
    for (const auto& f : files) edit_file(f, [](DcmDataset& ds) { ds.findAndDeleteElement(DCM_DecayCorrection); });
    const std::string e = error_of([&] { read_dicom_series(dir); });
    EXPECT_NE(e.find("DecayCorrection (0054,1102) = (missing)"), std::string::npos) << e;
    EXPECT_NE(e.find(".dcm"), std::string::npos) << e;
  }
  {
    const fs::path dir = fresh_dir("pet_admin");
    const auto files = write_slices(dir, ct_phantom(g), s);
    for (const auto& f : files)
      edit_file(f, [](DcmDataset& ds) {
        put(ds, DCM_DecayCorrection, "ADMIN");
        ds.findAndDeleteElement(DCM_RadiopharmaceuticalStartDateTime, true, true);
      });
    const std::string e = error_of([&] { read_dicom_series(dir); });
    EXPECT_NE(e.find("(0018,1078)"), std::string::npos) << e;
  }
  {
    const fs::path dir = fresh_dir("pet_units");
    const auto files = write_slices(dir, ct_phantom(g), s);
    for (const auto& f : files) edit_file(f, [](DcmDataset& ds) { put(ds, DCM_Units, "CNTS"); });
    const std::string e = error_of([&] { read_dicom_series(dir); });
    EXPECT_NE(e.find("Units (0054,1001) = CNTS"), std::string::npos) << e;
  }
}

TEST(DicomSeries, NmMultiFrameTomographyRoundTrips) {
  const fs::path dir = fresh_dir("nm");
  const auto v = ct_phantom(oblique_grid(5, 4, 6));
  write_nm_tomo(dir / "spect.dcm", v, SeriesSpec{});
  const DicomVolume r = read_dicom_series(dir / "spect.dcm");
  expect_same_grid(r.volume.grid, v.grid);
  EXPECT_EQ(r.units, "counts");
  for (std::size_t n = 0; n < v.data.size(); ++n) ASSERT_EQ(r.volume.data[n], v.data[n]) << "voxel " << n;
  write_nm_tomo(dir / "spect.dcm", v, SeriesSpec{}, "ORIGINAL\\PRIMARY\\STATIC\\EMISSION");
  const std::string e = error_of([&] { read_dicom_series(dir); });
  EXPECT_NE(e.find("ImageType (0008,0008)"), std::string::npos) << e;
}

TEST(DicomSeries, EnhancedMultiFrameAppliesPerFrameRescale) {
  const fs::path dir = fresh_dir("enhanced");
  image::Grid g = oblique_grid(4, 3, 5);
  SeriesSpec s;
  s.slope = [](int k) { return 0.5 * (k + 1); };
  s.intercept = -10;
  image::Volume<float> v(g);
  for (int k = 0; k < 5; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 4; ++i) v.at(i, j, k) = static_cast<float>((10 * k + 3 * j + i) * 0.5 * (k + 1) - 10);
  write_enhanced(dir / "enhanced.dcm", v, s);
  const DicomVolume r = read_dicom_series(dir);
  expect_same_grid(r.volume.grid, g);
  for (std::size_t n = 0; n < v.data.size(); ++n) ASSERT_EQ(r.volume.data[n], v.data[n]) << "voxel " << n;
}

}  // namespace sirtkit::io
