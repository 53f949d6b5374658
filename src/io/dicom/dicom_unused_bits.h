#pragma once
// Bits of native pixel data outside Bits Stored, rewritten for de-identification.
//
// PS3.5 8.1.2 (retired, still met in archives) let an overlay — text, a name, a
// mark — live in the unused high bits of each pixel word. A reader that masks
// to Bits Stored never shows it, but the bytes travel with the file. deid
// rewrites those bits so no such overlay survives, and the stored value every
// conforming reader derives is unchanged: zero for unsigned data, the sign
// extension of the stored value for two's complement data (PS3.5 8.1.1).
#include <cstdint>
#include <string>

class DcmDataset;

namespace sirtkit::io::dicom {

struct PixelModule;

// Rewrites the bits above Bits Stored of native (not encapsulated) pixel data;
// answers the number of samples whose word changed. Encapsulated pixel data
// is left as it is (its codec carries Bits Stored). `where` names the file in
// errors ("input #3").
std::uint64_t clear_unused_pixel_bits(DcmDataset& ds, const PixelModule& m, const std::string& where);

}  // namespace sirtkit::io::dicom
