#include "io/dicom/rtstruct.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "../dicom_fixture.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using namespace fixture;

using Contour = std::vector<std::array<double, 3>>;
struct Roi {
  int number;
  std::string name;
  std::string frame_of_reference_uid;
  std::vector<Contour> contours;
};

fs::path write_rtstruct(const fs::path& path, const std::vector<Roi>& rois) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  SeriesSpec s;
  s.modality = "RTSTRUCT";
  s.sop_class = UID_RTStructureSetStorage;
  put_common(ds, s, new_uid());
  put(ds, DCM_StructureSetLabel, "test");
  put(ds, DCM_StructureSetDate, "20240115");
  put(ds, DCM_StructureSetTime, "101500");
  for (std::size_t r = 0; r < rois.size(); ++r) {
    DcmItem* item = nullptr;
    ds.findOrCreateSequenceItem(DCM_StructureSetROISequence, item, static_cast<int>(r));
    put(*item, DCM_ROINumber, std::to_string(rois[r].number));
    put(*item, DCM_ReferencedFrameOfReferenceUID, rois[r].frame_of_reference_uid);
    put(*item, DCM_ROIName, rois[r].name);
    put(*item, DCM_ROIGenerationAlgorithm, "MANUAL");
    DcmItem* rc = nullptr;
    ds.findOrCreateSequenceItem(DCM_ROIContourSequence, rc, static_cast<int>(r));
    put(*rc, DCM_ReferencedROINumber, std::to_string(rois[r].number));
    put(*rc, DCM_ROIDisplayColor, "255\\0\\0");
    for (std::size_t c = 0; c < rois[r].contours.size(); ++c) {
      DcmItem* ci = nullptr;
      rc->findOrCreateSequenceItem(DCM_ContourSequence, ci, static_cast<int>(c));
      put(*ci, DCM_ContourGeometricType, "CLOSED_PLANAR");
      put(*ci, DCM_NumberOfContourPoints, std::to_string(rois[r].contours[c].size()));
      std::vector<double> xyz;
      for (const auto& p : rois[r].contours[c]) xyz.insert(xyz.end(), p.begin(), p.end());
      put(*ci, DCM_ContourData, ds_list(xyz));
    }
    DcmItem* obs = nullptr;
    ds.findOrCreateSequenceItem(DCM_RTROIObservationsSequence, obs, static_cast<int>(r));
    put(*obs, DCM_ObservationNumber, std::to_string(rois[r].number));
    put(*obs, DCM_ReferencedROINumber, std::to_string(rois[r].number));
    put(*obs, DCM_RTROIInterpretedType, "ORGAN");
  }
  if (file.saveFile(path.c_str(), EXS_LittleEndianExplicit).bad()) throw std::runtime_error("cannot write");
  return path;
}

Contour circle(double cx, double cy, double z, double radius, int points, bool clockwise = false) {
  Contour c;
  for (int p = 0; p < points; ++p) {
    const double a = (clockwise ? -1 : 1) * 2 * M_PI * p / points;
    c.push_back({cx + radius * std::cos(a), cy + radius * std::sin(a), z});
  }
  return c;
}

image::Grid grid_1x1x2() {
  image::Grid g;
  g.size = {64, 64, 30};
  g.spacing_mm = {1.0, 1.0, 2.0};
  g.origin_mm = {-31.5, -31.5, -29.0};  // voxel centres symmetric about 0 in x, y; slice centres at odd mm in z
  return g;
}

}  // namespace

TEST(RtStruct, SphereMatchesAnalyticVolumeWithinPartialVolumeTolerance) {
  const fs::path dir = fresh_dir("rtstruct_sphere");
  const image::Grid g = grid_1x1x2();
  const double R = 20.0;
  Roi sphere{7, "Tumour 1", "1.2.826.0.1.3680043.2.1125.1", {}};
  for (int k = 0; k < g.size[2]; ++k) {
    const double z = g.origin_mm[2] + 2.0 * k;
    if (std::abs(z) < R) sphere.contours.push_back(circle(0, 0, z, std::sqrt(R * R - z * z), 180));
  }
  write_rtstruct(dir / "rs.dcm", {sphere});
  const auto r = read_rtstruct(dir / "rs.dcm", g, "1.2.826.0.1.3680043.2.1125.1");
  ASSERT_EQ(r.rois.size(), 1u);
  EXPECT_EQ(r.rois[0].name, "Tumour 1");
  EXPECT_EQ(r.rois[0].contours, static_cast<int>(sphere.contours.size()));
  const double volume_mm3 = r.rois[0].voxels * 2.0;
  const double analytic = 4.0 / 3.0 * M_PI * R * R * R;
  // Partial volume: a 1 mm in-plane grid and 2 mm slices through a 20 mm
  // sphere; the stated tolerance is 2 % of the volume (observed well under).
  EXPECT_NEAR(volume_mm3 / analytic, 1.0, 0.02);
  EXPECT_EQ(r.labels.at(32, 32, 15), 7);
  EXPECT_EQ(r.labels.at(0, 0, 15), 0);
  // Each slice: area of the voxel-centre fill against pi r^2 within one voxel ring (2 pi r · 1 mm).
  for (int k = 0; k < g.size[2]; ++k) {
    const double z = g.origin_mm[2] + 2.0 * k;
    const double r2 = R * R - z * z;
    int count = 0;
    for (int j = 0; j < 64; ++j)
      for (int i = 0; i < 64; ++i) count += r.masks[0].at(i, j, k);
    if (r2 <= 0) {
      EXPECT_EQ(count, 0) << "slice " << k;
    } else {
      EXPECT_NEAR(count, M_PI * r2, 2 * M_PI * std::sqrt(r2) * 0.5 + 1) << "slice " << k;
    }
  }
}

TEST(RtStruct, RingWithHoleByEvenOdd) {
  const fs::path dir = fresh_dir("rtstruct_ring");
  const image::Grid g = grid_1x1x2();
  Roi ring{1, "Ring", "1.2.3", {}};
  Roi liver{2, "Liver", "1.2.3", {}};
  for (int k = 10; k < 20; ++k) {
    const double z = g.origin_mm[2] + 2.0 * k;
    ring.contours.push_back(circle(0, 0, z, 15, 180));
    ring.contours.push_back(circle(0, 0, z, 7, 90, /*clockwise=*/k % 2 == 0));  // the hole, either winding
  }
  liver.contours.push_back(circle(20, 20, g.origin_mm[2] + 2.0 * 5, 5, 60));
  write_rtstruct(dir / "rs.dcm", {ring, liver});
  const auto r = read_rtstruct(dir / "rs.dcm", g);
  ASSERT_EQ(r.rois.size(), 2u);
  const double area = M_PI * (15 * 15 - 7 * 7);
  for (int k = 10; k < 20; ++k) {
    int count = 0;
    for (int j = 0; j < 64; ++j)
      for (int i = 0; i < 64; ++i) count += r.masks[0].at(i, j, k);
    // One voxel ring on each boundary: 2 pi (15 + 7) · 0.5 mm.
    EXPECT_NEAR(count, area, 2 * M_PI * (15 + 7) * 0.5) << "slice " << k;
    EXPECT_EQ(r.labels.at(32, 32, k), 0) << "hole at slice " << k;  // centre (0.5, 0.5) mm: in the hole
    EXPECT_EQ(r.labels.at(32 + 11, 32, k), 1) << "ring at slice " << k;
  }
  EXPECT_EQ(r.labels.at(32 + 11, 32, 9), 0);
  EXPECT_EQ(r.labels.at(32 + 20, 32 + 20, 5), 2);
  EXPECT_EQ(r.rois[1].name, "Liver");
}

TEST(RtStruct, ContoursInAnotherFrameOfReferenceAreRefused) {
  const fs::path dir = fresh_dir("rtstruct_for");
  Roi roi{3, "Tumour", "1.2.3.999", {circle(0, 0, 1, 5, 20)}};
  write_rtstruct(dir / "rs.dcm", {roi});
  try {
    read_rtstruct(dir / "rs.dcm", grid_1x1x2(), "1.2.3.4");
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("(3006,0024)"), std::string::npos) << m;
    EXPECT_NE(m.find("1.2.3.999"), std::string::npos) << m;
    EXPECT_NE(m.find("rs.dcm"), std::string::npos) << m;
  }
}

TEST(RtStruct, ContourOffTheSlicePlanesIsRefused) {
  const fs::path dir = fresh_dir("rtstruct_tilted");
  Contour tilted{{0, 0, 1}, {10, 0, 4}, {10, 10, 4}, {0, 10, 1}};
  write_rtstruct(dir / "rs.dcm", {Roi{1, "Tilted", "1.2.3", {tilted}}});
  EXPECT_THROW(read_rtstruct(dir / "rs.dcm", grid_1x1x2()), Error);
}

}  // namespace sirtkit::io
