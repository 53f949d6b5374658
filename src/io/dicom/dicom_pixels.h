#pragma once
// Pixel data of a guarded DICOM file (io/dicom/dicom_guard.h), decoded only after
// the Image Pixel module (PS3.3 C.7.6.3) has been checked, by one path:
// native data read here, RLE / JPEG / JPEG-LS decompressed by DCMTK, JPEG 2000
// by GDCM from a minimal dataset holding only the pixel module (GDCM never
// sees the rest of the file: overlays, curves, private elements).
//
// Refused with Error(bad_input) naming the file and the attribute: colour
// images (RGB, YBR, PALETTE COLOR: sirtkit reads quantities, one sample per
// pixel), Samples per Pixel other than 1, Bits Allocated other than 8/16/32,
// Bits Stored above Bits Allocated, High Bit other than Bits Stored - 1,
// Pixel Representation other than 0/1, pixel data shorter than
// rows x columns x frames x bytes, a Modality LUT Sequence, Rescale
// Slope/Intercept of a VR other than DS or not a finite number.
//
// MONOCHROME1 is not inverted: Photometric Interpretation acts after the
// Modality LUT (Rescale) and the VOI LUT, at display (PS3.3 C.7.6.3.1.2 and
// PS3.4 N.2), so CT numbers are stored x slope + intercept either way (C.8.2.1.1).

#include <dcmtk/dcmdata/dcfilefo.h>

#include <string>
#include <vector>

namespace sirtkit::io::dicom {

struct PixelModule {
  int rows = 0, columns = 0, frames = 1;
  int bits_allocated = 0, bits_stored = 0, high_bit = 0;
  bool is_signed = false;        // Pixel Representation (0028,0103) = 1
  std::string photometric;       // MONOCHROME1 or MONOCHROME2
  std::string transfer_syntax_uid;
};

// Number of Frames (0028,0008): 1 when absent; refused unless an integer in [1, 1e6].
int number_of_frames(DcmItem& ds, const std::string& where);

// Checks the Image Pixel module of `file`; `where` names the file in messages.
PixelModule check_pixel_module(DcmFileFormat& file, const std::string& where);

// Stored values of every frame, frame after frame, rows x columns each (row
// major), masked to Bits Stored and sign-extended when signed.
std::vector<double> decode_stored_values(DcmFileFormat& file, const PixelModule& m, const std::string& where);

// Rescale Slope (0028,1053) and Intercept (0028,1052) of `item` when present
// (value = stored x slope + intercept, PS3.3 C.11.1.1.2). Leaves them
// unchanged when absent; refuses a VR other than DS, a value that is not a
// finite number, and a zero slope.
void read_rescale(DcmItem& item, const std::string& where, double& slope, double& intercept);

}  // namespace sirtkit::io::dicom
