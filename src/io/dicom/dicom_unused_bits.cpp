#include "io/dicom/dicom_unused_bits.h"

#include <dcmtk/dcmdata/dctk.h>

#include <cstring>

#include "core/error.h"
#include "io/dicom/dicom_pixels.h"
#include "io/dicom/dicom_tags.h"

namespace sirtkit::io::dicom {
namespace {

// The word a conforming reader would find for `raw`: bits above Bits Stored
// zero (unsigned) or copies of the sign bit (two's complement).
std::uint32_t canonical_word(std::uint32_t raw, int bits_stored, int bits_allocated, bool is_signed) {
  if (bits_stored >= bits_allocated) return raw;
  const std::uint32_t stored_mask = bits_stored >= 32 ? 0xFFFFFFFFu : ((1u << bits_stored) - 1u);
  const std::uint32_t word_mask = bits_allocated >= 32 ? 0xFFFFFFFFu : ((1u << bits_allocated) - 1u);
  std::uint32_t v = raw & stored_mask;
  if (is_signed && (v >> (bits_stored - 1)) & 1u) v |= ~stored_mask & word_mask;
  return v;
}

}  // namespace

std::uint64_t clear_unused_pixel_bits(DcmDataset& ds, const PixelModule& m, const std::string& where) {
  if (m.bits_stored >= m.bits_allocated) return 0;
  const DcmXfer xfer(m.transfer_syntax_uid.c_str());
  if (xfer.isEncapsulated()) return 0;
  DcmElement* pixel = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, pixel).bad() || pixel == nullptr)
    fail_input(where, tag_name(DCM_PixelData), "(missing)", "native pixel data");
  const std::uint64_t count = std::uint64_t(m.rows) * std::uint64_t(m.columns) * std::uint64_t(m.frames);
  const std::uint64_t bytes_per = std::uint64_t(m.bits_allocated / 8);
  if (pixel->getLength() < count * bytes_per)
    fail_input(where, tag_name(DCM_PixelData), std::to_string(pixel->getLength()) + " bytes", std::to_string(count * bytes_per) + " bytes");
  // DCMTK holds OB as bytes and OW as host-order 16-bit words; 32-bit samples
  // of a big-endian file are two swapped words (as io/dicom_pixels reads them).
  std::uint8_t* bytes = nullptr;
  Uint8* b8 = nullptr;
  Uint16* b16 = nullptr;
  if (pixel->getUint8Array(b8).good() && b8 != nullptr) bytes = b8;
  else if (pixel->getUint16Array(b16).good() && b16 != nullptr) bytes = reinterpret_cast<std::uint8_t*>(b16);
  if (bytes == nullptr) fail_input(where, tag_name(DCM_PixelData), "(unreadable)", "native pixel data");
  const bool swap_words = m.bits_allocated == 32 && xfer.isBigEndian();
  std::uint64_t changed = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (bytes_per == 1) {
      const auto v = static_cast<std::uint8_t>(canonical_word(bytes[i], m.bits_stored, 8, m.is_signed));
      if (v != bytes[i]) { bytes[i] = v; ++changed; }
    } else if (bytes_per == 2) {
      std::uint16_t u;
      std::memcpy(&u, bytes + 2 * i, 2);
      const auto v = static_cast<std::uint16_t>(canonical_word(u, m.bits_stored, 16, m.is_signed));
      if (v != u) { std::memcpy(bytes + 2 * i, &v, 2); ++changed; }
    } else {
      std::uint32_t u;
      std::memcpy(&u, bytes + 4 * i, 4);
      if (swap_words) u = (u << 16) | (u >> 16);
      std::uint32_t v = canonical_word(u, m.bits_stored, 32, m.is_signed);
      if (v != u) {
        if (swap_words) v = (v << 16) | (v >> 16);
        std::memcpy(bytes + 4 * i, &v, 4);
        ++changed;
      }
    }
  }
  return changed;
}

}  // namespace sirtkit::io::dicom
