#include "io/dicom/dicom_pixels.h"

#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <gdcmImageReader.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <sstream>

#include "core/error.h"
#include "core/format.h"
#include "io/dicom/dicom_tags.h"

namespace sirtkit::io::dicom {
namespace {

// Largest decoded pixel data of one file sirtkit accepts (2 GiB): a few
// hundred bytes of compressed data must not make it allocate terabytes.
constexpr std::uint64_t kMaxDecodedBytes = 2ULL << 30;

// PS3.3 C.7.6.3.1.2 Photometric Interpretation defined terms (shown in messages; other values are not).
constexpr std::initializer_list<const char*> kPhotometric{"MONOCHROME1", "MONOCHROME2", "PALETTE COLOR", "RGB", "HSV", "ARGB", "CMYK",
                                                         "YBR_FULL", "YBR_FULL_422", "YBR_PARTIAL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT"};

// DCMTK's decoders for RLE (PS3.5 A.4.2), JPEG (A.4.1) and JPEG-LS (A.4.3), registered once.
void register_decoders() {
  static const bool done = [] {
    DcmRLEDecoderRegistration::registerCodecs();
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    return true;
  }();
  (void)done;
}

int uint16_of(DcmItem& ds, const DcmTagKey& key, const std::string& where, bool required) {
  DcmElement* e = nullptr;
  if (ds.findAndGetElement(key, e).bad() || e == nullptr) {
    if (required) fail_input(where, tag_name(key), "(missing)", "a value (Image Pixel module, PS3.3 C.7.6.3)");
    return -1;
  }
  Uint16 v = 0;
  if (e->ident() != EVR_US || e->getUint16(v).bad())
    fail_input(where, tag_name(key), std::string("VR ") + DcmVR(e->ident()).getVRName(), "one value of VR US (PS3.3 C.7.6.3)");
  return v;
}

bool is_jpeg2000(const std::string& ts) {
  // PS3.5 A.4.4: JPEG 2000 lossless only / JPEG 2000.
  return ts == "1.2.840.10008.1.2.4.90" || ts == "1.2.840.10008.1.2.4.91";
}

// JPEG 2000 through GDCM, which only sees a minimal dataset (pixel module +
// pixel data) written by DCMTK into memory.
std::vector<std::uint8_t> decode_with_gdcm(DcmFileFormat& file, const PixelModule& m, const std::string& where,
                                           std::uint64_t expected) {
  DcmDataset& src = *file.getDataset();
  DcmFileFormat minimal;
  DcmDataset& d = *minimal.getDataset();
  for (const DcmTagKey& key : {DCM_SOPClassUID, DCM_SOPInstanceUID, DCM_SamplesPerPixel, DCM_PhotometricInterpretation, DCM_NumberOfFrames,
                               DCM_Rows, DCM_Columns, DCM_BitsAllocated, DCM_BitsStored, DCM_HighBit, DCM_PixelRepresentation,
                               DCM_PixelData}) {
    DcmElement* e = nullptr;
    if (src.findAndGetElement(key, e).good() && e != nullptr) d.insert(static_cast<DcmElement*>(e->clone()), true);
  }
  const E_TransferSyntax xfer = DcmXfer(m.transfer_syntax_uid.c_str()).getXfer();
  std::vector<char> buffer(static_cast<std::size_t>(src.getLength(xfer) + 65536));
  DcmOutputBufferStream out(buffer.data(), buffer.size());
  minimal.transferInit();
  const OFCondition c = minimal.write(out, xfer, EET_ExplicitLength, nullptr);
  minimal.transferEnd();
  if (c.bad()) fail_input(where, tag_name(DCM_PixelData), std::string("not re-encodable: ") + c.text(), "JPEG 2000 fragments");
  void* written = nullptr;
  offile_off_t length = 0;
  out.flushBuffer(written, length);
  std::istringstream in(std::string(static_cast<const char*>(written), static_cast<std::size_t>(length)));
  gdcm::ImageReader reader;
  reader.SetStream(in);
  if (!reader.Read()) fail_input(where, tag_name(DCM_PixelData), "not decodable by GDCM", "a JPEG 2000 image (PS3.5 A.4.4)");
  const gdcm::Image& image = reader.GetImage();
  if (image.GetBufferLength() != expected)
    fail_input(where, tag_name(DCM_PixelData), std::to_string(image.GetBufferLength()) + " bytes decoded",
               std::to_string(expected) + " bytes (rows x columns x frames x bytes per sample)");
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(expected));
  if (!image.GetBuffer(reinterpret_cast<char*>(pixels.data())))
    fail_input(where, tag_name(DCM_PixelData), "JPEG 2000 stream GDCM cannot decode", "a valid JPEG 2000 codestream (PS3.5 A.4.4)");
  return pixels;
}

}  // namespace

int number_of_frames(DcmItem& ds, const std::string& where) {
  if (!ds.tagExists(DCM_NumberOfFrames)) return 1;
  const std::string text = get_string(ds, DCM_NumberOfFrames);
  long long n = 0;
  std::size_t used = 0;
  try {
    n = std::stoll(text, &used);
  } catch (...) {
    used = 0;
  }
  if (used == 0 || used != text.size() || n < 1 || n > 1'000'000)
    fail_input(where, tag_name(DCM_NumberOfFrames), shown_number(text), "an integer from 1 to 1,000,000");
  return static_cast<int>(n);
}

PixelModule check_pixel_module(DcmFileFormat& file, const std::string& where) {
  DcmDataset& ds = *file.getDataset();
  PixelModule m;
  m.transfer_syntax_uid = get_string(*file.getMetaInfo(), DCM_TransferSyntaxUID);
  if (m.transfer_syntax_uid.empty()) m.transfer_syntax_uid = DcmXfer(ds.getOriginalXfer()).getXferID();
  m.photometric = get_string(ds, DCM_PhotometricInterpretation);
  const int samples = uint16_of(ds, DCM_SamplesPerPixel, where, true);
  // PS3.3 C.7.6.3.1.2: only MONOCHROME1/2 are grey-scale; CT (C.8.2.1.1.1), PET
  // (C.8.9.4.1.2) and NM (C.8.4.9.1.2) allow nothing else.
  if (m.photometric == "PALETTE COLOR" || m.photometric == "RGB" || m.photometric.rfind("YBR", 0) == 0 || m.photometric == "ARGB" ||
      m.photometric == "CMYK" || m.photometric == "HSV")
    fail_input(where, tag_name(DCM_PhotometricInterpretation),
               shown_term(m.photometric, kPhotometric) + " with " + std::to_string(samples) + " sample(s) per pixel" +
                   (m.photometric == "PALETTE COLOR" && !ds.tagExists(DCM_RedPaletteColorLookupTableData) ? " and no palette" : ""),
               "a grey-scale image (MONOCHROME1 or MONOCHROME2): a colour image carries no quantity sirtkit can measure");
  if (m.photometric != "MONOCHROME1" && m.photometric != "MONOCHROME2")
    fail_input(where, tag_name(DCM_PhotometricInterpretation), shown_term(m.photometric, kPhotometric),
               "MONOCHROME1 or MONOCHROME2 (PS3.3 C.7.6.3.1.2)");
  if (samples != 1)
    fail_input(where, tag_name(DCM_SamplesPerPixel), std::to_string(samples), "1 for " + shown_term(m.photometric, kPhotometric) + " (PS3.3 C.7.6.3.1.1)");
  m.rows = uint16_of(ds, DCM_Rows, where, true);
  m.columns = uint16_of(ds, DCM_Columns, where, true);
  if (m.rows < 1 || m.columns < 1)
    fail_input(where, "Rows/Columns (0028,0010)/(0028,0011)", std::to_string(m.rows) + "x" + std::to_string(m.columns), "at least 1x1");
  m.bits_allocated = uint16_of(ds, DCM_BitsAllocated, where, true);
  m.bits_stored = uint16_of(ds, DCM_BitsStored, where, true);
  m.high_bit = uint16_of(ds, DCM_HighBit, where, true);
  const int representation = uint16_of(ds, DCM_PixelRepresentation, where, true);
  if (m.bits_allocated != 8 && m.bits_allocated != 16 && m.bits_allocated != 32)
    fail_input(where, tag_name(DCM_BitsAllocated), std::to_string(m.bits_allocated), "8, 16 or 32");
  if (m.bits_stored < 1 || m.bits_stored > m.bits_allocated)
    fail_input(where, tag_name(DCM_BitsStored), std::to_string(m.bits_stored),
               "1 to Bits Allocated (" + std::to_string(m.bits_allocated) + ") (PS3.5 8.1.1)");
  // CT C.8.2.1.1.4, MR C.8.3.1.1.4, NM C.8.4.9.1.4, PET C.8.9.4.1.4: High Bit = Bits Stored - 1.
  if (m.high_bit != m.bits_stored - 1)
    fail_input(where, tag_name(DCM_HighBit), std::to_string(m.high_bit),
               std::to_string(m.bits_stored - 1) + " (one less than Bits Stored, PS3.3 C.8.2.1.1.4)");
  if (representation != 0 && representation != 1)
    fail_input(where, tag_name(DCM_PixelRepresentation), std::to_string(representation), "0 (unsigned) or 1 (two's complement)");
  m.is_signed = representation == 1;
  m.frames = number_of_frames(ds, where);
  if (ds.tagExists(DCM_ModalityLUTSequence))
    fail_input(where, tag_name(DCM_ModalityLUTSequence), "present",
               "Rescale Slope/Intercept (a Modality LUT table maps stored values in a way sirtkit does not apply)");
  if (!ds.tagExists(DCM_PixelData)) fail_input(where, tag_name(DCM_PixelData), "(missing)", "pixel data");
  const std::uint64_t bytes = std::uint64_t(m.rows) * std::uint64_t(m.columns) * std::uint64_t(m.frames) * std::uint64_t(m.bits_allocated / 8);
  if (bytes > kMaxDecodedBytes)
    fail_input(where, "Rows x Columns x NumberOfFrames", std::to_string(bytes) + " bytes of pixels", "at most 2 GiB per file (sirtkit's limit)");
  return m;
}

std::vector<double> decode_stored_values(DcmFileFormat& file, const PixelModule& m, const std::string& where) {
  static_assert(std::endian::native == std::endian::little, "DICOM pixel decoding assumes a little-endian host");
  DcmDataset& ds = *file.getDataset();
  const std::size_t bytes_per = static_cast<std::size_t>(m.bits_allocated / 8);
  const std::size_t count = static_cast<std::size_t>(m.rows) * m.columns * m.frames;
  const std::uint64_t expected = std::uint64_t(count) * bytes_per;
  const DcmXfer xfer(m.transfer_syntax_uid.c_str());

  std::vector<std::uint8_t> decoded;  // used when the data had to be decompressed by GDCM
  const std::uint8_t* bytes = nullptr;
  std::uint64_t length = 0;
  if (is_jpeg2000(m.transfer_syntax_uid)) {
    decoded = decode_with_gdcm(file, m, where, expected);
    bytes = decoded.data();
    length = decoded.size();
  } else {
    if (xfer.isEncapsulated()) {
      register_decoders();
      const OFCondition c = ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
      if (c.bad() || !ds.canWriteXfer(EXS_LittleEndianExplicit))
        fail_input(where, "TransferSyntaxUID (0002,0010)", m.transfer_syntax_uid + " (" + xfer.getXferName() + ")",
                   "pixel data sirtkit can decode: uncompressed, deflated, RLE, JPEG, JPEG-LS or JPEG 2000" +
                       std::string(c.bad() ? std::string(" (decoder: ") + c.text() + ")" : ""));
    }
    DcmElement* pixel = nullptr;
    if (ds.findAndGetElement(DCM_PixelData, pixel).bad() || pixel == nullptr)
      fail_input(where, tag_name(DCM_PixelData), "(missing)", "pixel data");
    length = pixel->getLength();
    Uint8* b8 = nullptr;
    Uint16* b16 = nullptr;
    // Native pixel data is held by DCMTK in host byte order (OW swapped word by word).
    if (pixel->getUint8Array(b8).good() && b8 != nullptr) bytes = b8;
    else if (pixel->getUint16Array(b16).good() && b16 != nullptr) bytes = reinterpret_cast<const std::uint8_t*>(b16);
    if (bytes == nullptr && length > 0) fail_input(where, tag_name(DCM_PixelData), "(unreadable)", "native pixel data");
  }
  // PS3.5 8.1.1: the value is padded to an even length by one byte at most.
  if (length < expected || length > expected + 1)
    fail_input(where, tag_name(DCM_PixelData), std::to_string(length) + " bytes",
               std::to_string(expected) + " bytes (" + std::to_string(m.rows) + " rows x " + std::to_string(m.columns) + " columns x " +
                   std::to_string(m.frames) + " frames x " + std::to_string(bytes_per) + " bytes)");
  // 32-bit samples of a big-endian file came through DCMTK as two swapped 16-bit words.
  const bool swap_words = m.bits_allocated == 32 && xfer.isBigEndian() && !is_jpeg2000(m.transfer_syntax_uid);
  const std::uint64_t mask = (1ULL << m.bits_stored) - 1;
  const std::uint64_t sign = 1ULL << (m.bits_stored - 1);
  std::vector<double> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::uint64_t raw = 0;
    if (bytes_per == 1) {
      raw = bytes[i];
    } else if (bytes_per == 2) {
      std::uint16_t u;
      std::memcpy(&u, bytes + 2 * i, 2);
      raw = u;
    } else {
      std::uint32_t u;
      std::memcpy(&u, bytes + 4 * i, 4);
      if (swap_words) u = (u << 16) | (u >> 16);
      raw = u;
    }
    raw &= mask;  // bits above Bits Stored (old embedded overlays) are not part of the value
    const double v = (m.is_signed && (raw & sign)) ? static_cast<double>(static_cast<std::int64_t>(raw) - static_cast<std::int64_t>(mask) - 1)
                                                   : static_cast<double>(raw);
    out[i] = v;
  }
  return out;
}

void read_rescale(DcmItem& item, const std::string& where, double& slope, double& intercept) {
  for (const DcmTagKey& key : {DCM_RescaleSlope, DCM_RescaleIntercept}) {
    DcmElement* e = nullptr;
    if (item.findAndGetElement(key, e).bad() || e == nullptr) continue;
    // PS3.6: both are DS; any other VR (a UI, a binary float) is a broken writer.
    if (e->ident() != EVR_DS)
      fail_input(where, tag_name(key), std::string("a value of VR ") + DcmVR(e->ident()).getVRName(), "VR DS (decimal string, PS3.6)");
    OFString text;
    if (e->getVM() != 1 || e->getOFString(text, 0).bad())
      fail_input(where, tag_name(key), std::to_string(e->getVM()) + " values", "exactly one decimal value");
    std::string s = text.c_str();
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    double v = 0;
    std::size_t used = 0;
    try {
      v = std::stod(s, &used);
    } catch (...) {
      used = 0;
    }
    if (used == 0 || used != s.size() || !std::isfinite(v))
      fail_input(where, tag_name(key), shown_number(s), "a finite decimal number");
    if (key == DCM_RescaleSlope) {
      if (v == 0) fail_input(where, tag_name(key), s, "a non-zero slope");
      slope = v;
    } else {
      intercept = v;
    }
  }
}

}  // namespace sirtkit::io::dicom
