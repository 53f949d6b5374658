#include "io/dicom/dicom_seg.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "../dicom_fixture.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using namespace fixture;

struct Frame {
  int segment;
  int k;
  std::vector<Uint8> values;  // one per pixel: 0/1 (binary) or 0..255 (fractional)
};

// A SEG object with one frame per (segment, slice), per-frame positions and
// segment identification, packed as PS3.5 8.1.1 requires for 1-bit data.
fs::path write_seg(const fs::path& path, const image::Grid& g, const std::string& for_uid, bool fractional,
                   const std::vector<std::pair<int, std::string>>& segments, const std::vector<Frame>& frames, int rows, int cols) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  SeriesSpec s;
  s.modality = "SEG";
  s.sop_class = UID_SegmentationStorage;
  s.frame_of_reference_uid = for_uid;
  put_common(ds, s, new_uid());
  put(ds, DCM_SegmentationType, fractional ? "FRACTIONAL" : "BINARY");
  if (fractional) {
    put(ds, DCM_SegmentationFractionalType, "PROBABILITY");
    ds.putAndInsertUint16(DCM_MaximumFractionalValue, 255);
  }
  for (std::size_t i = 0; i < segments.size(); ++i) {
    DcmItem* item = nullptr;
    ds.findOrCreateSequenceItem(DCM_SegmentSequence, item, static_cast<int>(i));
    item->putAndInsertUint16(DCM_SegmentNumber, static_cast<Uint16>(segments[i].first));
    put(*item, DCM_SegmentLabel, segments[i].second);
  }
  DcmItem* shared = nullptr;
  ds.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
  DcmItem* item = nullptr;
  shared->findOrCreateSequenceItem(DCM_PlaneOrientationSequence, item, 0);
  put(*item, DCM_ImageOrientationPatient, orientation(g));
  shared->findOrCreateSequenceItem(DCM_PixelMeasuresSequence, item, 0);
  put(*item, DCM_PixelSpacing, ds_list({g.spacing_mm[1], g.spacing_mm[0]}));
  put(*item, DCM_SliceThickness, ds_list({g.spacing_mm[2]}));
  const std::size_t plane = static_cast<std::size_t>(rows) * cols;
  std::vector<Uint8> pixels(fractional ? plane * frames.size() : (plane * frames.size() + 7) / 8 + 1, 0);
  for (std::size_t f = 0; f < frames.size(); ++f) {
    DcmItem* pf = nullptr;
    ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, pf, static_cast<int>(f));
    pf->findOrCreateSequenceItem(DCM_PlanePositionSequence, item, 0);
    const auto p = g.point_mm(0, 0, frames[f].k);
    put(*item, DCM_ImagePositionPatient, ds_list({p[0], p[1], p[2]}));
    pf->findOrCreateSequenceItem(DCM_SegmentIdentificationSequence, item, 0);
    item->putAndInsertUint16(DCM_ReferencedSegmentNumber, static_cast<Uint16>(frames[f].segment));
    for (std::size_t n = 0; n < plane; ++n) {
      if (fractional) pixels[f * plane + n] = frames[f].values[n];
      else if (frames[f].values[n]) pixels[(f * plane + n) / 8] |= static_cast<Uint8>(1u << ((f * plane + n) % 8));
    }
  }
  if (pixels.size() % 2) pixels.push_back(0);
  ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(rows));
  ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(cols));
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  put(ds, DCM_PhotometricInterpretation, "MONOCHROME2");
  ds.putAndInsertUint16(DCM_BitsAllocated, fractional ? 8 : 1);
  ds.putAndInsertUint16(DCM_BitsStored, fractional ? 8 : 1);
  ds.putAndInsertUint16(DCM_HighBit, fractional ? 7 : 0);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
  put(ds, DCM_NumberOfFrames, std::to_string(frames.size()));
  ds.putAndInsertUint8Array(DCM_PixelData, pixels.data(), pixels.size());
  if (file.saveFile(path.c_str(), EXS_LittleEndianExplicit).bad()) throw std::runtime_error("cannot write SEG");
  return path;
}

image::Grid seg_grid() { return oblique_grid(7, 5, 4); }  // 7 columns: frames do not end on byte boundaries

}  // namespace

TEST(DicomSeg, BinarySegmentsLandOnTheirSlicesExactly) {
  const fs::path dir = fresh_dir("seg_binary");
  const image::Grid g = seg_grid();
  image::LabelMap expected(g, 0);
  std::vector<Frame> frames;
  for (int seg = 1; seg <= 2; ++seg)
    for (int k = 0; k < 4; ++k) {
      if (seg == 2 && k == 0) continue;  // a segment absent from a slice has no frame there
      Frame f{seg, k, std::vector<Uint8>(35, 0)};
      for (int j = 0; j < 5; ++j)
        for (int i = 0; i < 7; ++i)
          if ((seg == 1 && (i + j + k) % 3 == 0) || (seg == 2 && i == 6 - k)) {
            f.values[j * 7 + i] = 1;
            expected.at(i, j, k) = seg;  // segment 2 written last wins
          }
      frames.push_back(f);
    }
  write_seg(dir / "seg.dcm", g, "1.2.3.4", false, {{1, "Tumour"}, {2, "Liver"}}, frames, 5, 7);
  const DicomSegmentation s = read_dicom_seg(dir / "seg.dcm", g, "1.2.3.4");
  EXPECT_FALSE(s.fractional);
  ASSERT_EQ(s.segments.size(), 2u);
  EXPECT_EQ(s.segments[1].label, "Liver");
  for (std::size_t n = 0; n < expected.data.size(); ++n) ASSERT_EQ(s.labels.data[n], expected.data[n]) << "voxel " << n;
}

TEST(DicomSeg, FractionalValuesScaleByTheMaximum) {
  const fs::path dir = fresh_dir("seg_fractional");
  const image::Grid g = seg_grid();
  std::vector<Frame> frames;
  for (int k = 0; k < 4; ++k) {
    Frame f{3, k, std::vector<Uint8>(35)};
    for (int n = 0; n < 35; ++n) f.values[n] = static_cast<Uint8>((n * 7 + k * 60) % 256);
    frames.push_back(f);
  }
  write_seg(dir / "seg.dcm", g, "1.2.3.4", true, {{3, "Perfused"}}, frames, 5, 7);
  const DicomSegmentation s = read_dicom_seg(dir / "seg.dcm", g);
  ASSERT_TRUE(s.fractional);
  double sum = 0;
  for (int k = 0; k < 4; ++k)
    for (int n = 0; n < 35; ++n) {
      const float expected = static_cast<float>(((n * 7 + k * 60) % 256) / 255.0);
      ASSERT_FLOAT_EQ(s.fractions[0].data[k * 35 + n], expected);
      sum += expected;
      EXPECT_EQ(s.labels.data[k * 35 + n], expected > 0.5f ? 3 : 0);
    }
  EXPECT_NEAR(s.segments[0].volume_ml, sum * g.voxel_volume_ml(), 1e-6);
}

TEST(DicomSeg, AnotherSizeOrFrameOfReferenceIsRefused) {
  const fs::path dir = fresh_dir("seg_bad");
  const image::Grid g = seg_grid();
  write_seg(dir / "small.dcm", g, "1.2.3.4", false, {{1, "T"}}, {Frame{1, 0, std::vector<Uint8>(20, 1)}}, 4, 5);
  try {
    read_dicom_seg(dir / "small.dcm", g);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("(0028,0010)"), std::string::npos) << e.what();
  }
  write_seg(dir / "for.dcm", g, "1.2.3.4", false, {{1, "T"}}, {Frame{1, 0, std::vector<Uint8>(35, 1)}}, 5, 7);
  try {
    read_dicom_seg(dir / "for.dcm", g, "9.9.9");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("FrameOfReferenceUID (0020,0052) = 1.2.3.4"), std::string::npos) << e.what();
  }
}

}  // namespace sirtkit::io
