// Pixel decoding through the one validated path: hostile pixel modules are
// refused by name, every supported encoding gives the same stored values.
#include "io/dicom/dicom_pixels.h"

#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "../dicom_hostile.h"
#include "io/dicom/dicom_guard.h"
#include "io/dicom/dicom_series.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;

std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input) << e.what();
    return e.what();
  }
  return "(no error)";
}

// A folder holding one edited copy of the 4x3 test slice (HU = -24 + 10 n).
fs::path edited_slice(const std::string& name, const std::function<void(DcmDataset&)>& edit) {
  const fs::path dir = fixture::fresh_dir("pixels_" + name);
  const fs::path p = hostile::ct_slice(dir, name + ".dcm");
  fixture::edit_file(p, edit);
  return dir;
}

float expected_hu(std::size_t n) { return static_cast<float>(-24 + 10 * static_cast<int>(n)); }

}  // namespace

TEST(DicomPixels, Monochrome1CtKeepsItsHounsfieldUnits) {
  // PS3.3 C.7.6.3.1.2: MONOCHROME1 only says the minimum is displayed white;
  // the Modality LUT (rescale) comes first, so HU = stored x slope + intercept.
  const fs::path dir = edited_slice("mono1", [](DcmDataset& ds) { ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME1"); });
  const DicomVolume v = read_dicom_series(dir);
  ASSERT_EQ(v.volume.data.size(), 12u);
  EXPECT_EQ(v.volume.data[0], -24.f);  // ITK/GDCM gave -2025 here
  for (std::size_t n = 0; n < 12; ++n) EXPECT_EQ(v.volume.data[n], expected_hu(n)) << n;
}

TEST(DicomPixels, RescaleInterceptOfVrUiIsRefused) {
  const fs::path dir = edited_slice("rescale_ui", [](DcmDataset& ds) { hostile::put_as_ui(ds, DCM_RescaleIntercept, "1.2.840.10008.1"); });
  const std::string m = refusal([&] { read_dicom_series(dir); });
  EXPECT_NE(m.find("RescaleIntercept (0028,1052)"), std::string::npos) << m;
  EXPECT_NE(m.find("VR UI"), std::string::npos) << m;
  EXPECT_NE(m.find("rescale_ui.dcm"), std::string::npos) << m;
}

TEST(DicomPixels, RescaleValuesMustBeFiniteNumbersAndSlopeNonZero) {
  const fs::path a = edited_slice("slope_text", [](DcmDataset& ds) { ds.putAndInsertString(DCM_RescaleSlope, "1.0e"); });
  EXPECT_NE(refusal([&] { read_dicom_series(a); }).find("RescaleSlope (0028,1053) = 1.0e"), std::string::npos);
  const fs::path b = edited_slice("slope_zero", [](DcmDataset& ds) { ds.putAndInsertString(DCM_RescaleSlope, "0"); });
  EXPECT_NE(refusal([&] { read_dicom_series(b); }).find("non-zero slope"), std::string::npos);
}

TEST(DicomPixels, ColourImagesAreRefusedWithTheReason) {
  const fs::path palette = edited_slice("palette", [](DcmDataset& ds) { ds.putAndInsertString(DCM_PhotometricInterpretation, "PALETTE COLOR"); });
  const std::string m1 = refusal([&] { read_dicom_series(palette); });
  EXPECT_NE(m1.find("PALETTE COLOR with 1 sample(s) per pixel and no palette"), std::string::npos) << m1;
  EXPECT_NE(m1.find("grey-scale"), std::string::npos) << m1;
  const fs::path rgb = edited_slice("rgb1", [](DcmDataset& ds) { ds.putAndInsertString(DCM_PhotometricInterpretation, "RGB"); });
  EXPECT_NE(refusal([&] { read_dicom_series(rgb); }).find("RGB with 1 sample(s) per pixel"), std::string::npos);
  const fs::path three = edited_slice("samples3", [](DcmDataset& ds) { ds.putAndInsertUint16(DCM_SamplesPerPixel, 3); });
  EXPECT_NE(refusal([&] { read_dicom_series(three); }).find("SamplesPerPixel (0028,0002) = 3"), std::string::npos);
}

TEST(DicomPixels, BitsMustBeConsistent) {
  const fs::path a = edited_slice("bits17", [](DcmDataset& ds) { ds.putAndInsertUint16(DCM_BitsStored, 17); });
  EXPECT_NE(refusal([&] { read_dicom_series(a); }).find("BitsStored (0028,0101) = 17"), std::string::npos);
  const fs::path b = edited_slice("highbit", [](DcmDataset& ds) { ds.putAndInsertUint16(DCM_HighBit, 11); });
  EXPECT_NE(refusal([&] { read_dicom_series(b); }).find("HighBit (0028,0102) = 11"), std::string::npos);
  const fs::path c = edited_slice("alloc12", [](DcmDataset& ds) { ds.putAndInsertUint16(DCM_BitsAllocated, 12); });
  EXPECT_NE(refusal([&] { read_dicom_series(c); }).find("BitsAllocated (0028,0100) = 12"), std::string::npos);
  const fs::path d = edited_slice("rep2", [](DcmDataset& ds) { ds.putAndInsertUint16(DCM_PixelRepresentation, 2); });
  EXPECT_NE(refusal([&] { read_dicom_series(d); }).find("PixelRepresentation (0028,0103) = 2"), std::string::npos);
  const fs::path e = edited_slice("bits_vr", [](DcmDataset& ds) { hostile::put_as_ui(ds, DCM_BitsAllocated, "16"); });
  EXPECT_NE(refusal([&] { read_dicom_series(e); }).find("BitsAllocated (0028,0100) = VR UI"), std::string::npos);
}

TEST(DicomPixels, PixelDataShorterThanTheMatrixIsRefused) {
  const fs::path dir = edited_slice("short", [](DcmDataset& ds) {
    const Uint16 few[6] = {1, 2, 3, 4, 5, 6};
    ds.putAndInsertUint16Array(DCM_PixelData, few, 6);
  });
  const std::string m = refusal([&] { read_dicom_series(dir); });
  EXPECT_NE(m.find("PixelData (7FE0,0010) = 12 bytes"), std::string::npos) << m;
  EXPECT_NE(m.find("24 bytes (3 rows x 4 columns x 1 frames x 2 bytes)"), std::string::npos) << m;
}

TEST(DicomPixels, OverlayElementsAreIgnoredAndBitsAboveBitsStoredMasked) {
  // Overlay Comments (6000,4000) and an overlay plane: GDCM asserted on them;
  // the pixel path never hands the overlay group to any decoder.
  const fs::path dir = edited_slice("overlay", [](DcmDataset& ds) {
    ds.putAndInsertString(DcmTagKey(0x6000, 0x4000), "old overlay comment");
    ds.putAndInsertUint16(DcmTagKey(0x6000, 0x0010), 3);
    ds.putAndInsertUint16(DcmTagKey(0x6000, 0x0011), 4);
    ds.putAndInsertString(DcmTagKey(0x6000, 0x0040), "G");
    ds.putAndInsertUint16(DcmTagKey(0x6000, 0x0100), 1);
    ds.putAndInsertUint16(DcmTagKey(0x6000, 0x0102), 15);  // Overlay Bit Position 15: embedded in pixel data (retired)
    // 12 stored bits (signed): bit 15 carries the embedded overlay, bits 12-14 garbage.
    ds.putAndInsertUint16(DCM_BitsStored, 12);
    ds.putAndInsertUint16(DCM_HighBit, 11);
    const Uint16* px = nullptr;
    ds.findAndGetUint16Array(DCM_PixelData, px);
    std::vector<Uint16> v(px, px + 12);
    for (auto& x : v) x = static_cast<Uint16>((x & 0x0FFF) | 0xF000 * (x % 2));  // high nibble set on odd values
    ds.putAndInsertUint16Array(DCM_PixelData, v.data(), 12);
  });
  const DicomVolume v = read_dicom_series(dir);
  // Stored values were HU + 1024 (1000 + 10 n < 2048): the low 12 bits, read as signed 12-bit.
  for (std::size_t n = 0; n < 12; ++n) EXPECT_EQ(v.volume.data[n], expected_hu(n)) << n;
}

TEST(DicomPixels, CompressedAndOtherEncodingsGiveTheSameValues) {
  DcmRLEEncoderRegistration::registerCodecs();
  DJEncoderRegistration::registerCodecs();
  DJLSEncoderRegistration::registerCodecs();
  const fs::path dir = fixture::fresh_dir("pixels_encodings");
  const fs::path ct = hostile::ct_slice(dir);
  DcmFileFormat original;
  ASSERT_TRUE(original.loadFile(ct.c_str()).good());
  original.loadAllDataIntoMemory();
  const DJ_RPLossless lossless;  // JPEG process 14, selection value 1
  const DJLSRepresentationParameter ls(0, OFTrue);
  const std::vector<std::tuple<E_TransferSyntax, const DcmRepresentationParameter*, std::string>> cases{
      {EXS_RLELossless, nullptr, "rle"},
      {EXS_JPEGProcess14SV1, &lossless, "jpeg_lossless"},
      {EXS_JPEGLSLossless, &ls, "jpeg_ls"},
      {EXS_BigEndianExplicit, nullptr, "big_endian"},
      {EXS_LittleEndianImplicit, nullptr, "implicit"},
      {EXS_DeflatedLittleEndianExplicit, nullptr, "deflated"}};
  for (const auto& [xfer, param, name] : cases) {
    const fs::path sub = fixture::fresh_dir("pixels_enc_" + name);
    DcmFileFormat copy(original);
    ASSERT_TRUE(copy.getDataset()->chooseRepresentation(xfer, param).good()) << name;
    ASSERT_TRUE(copy.saveFile((sub / (name + ".dcm")).c_str(), xfer).good()) << name;
    const DicomVolume v = read_dicom_series(sub);
    ASSERT_EQ(v.volume.data.size(), 12u) << name;
    for (std::size_t n = 0; n < 12; ++n) EXPECT_EQ(v.volume.data[n], expected_hu(n)) << name << " voxel " << n;
  }
  DcmRLEEncoderRegistration::cleanup();
  DJEncoderRegistration::cleanup();
  DJLSEncoderRegistration::cleanup();
}

}  // namespace sirtkit::io
