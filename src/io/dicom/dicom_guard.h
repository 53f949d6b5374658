#pragma once
// The one door every DICOM file goes through before DCMTK, GDCM or ITK see it.
//
// A hostile file must give a clear sirtkit::Error (bad input, exit 2) naming
// the file (its name only: paths may carry patient names) and the reason,
// never a signal. DCMTK's parser is recursive: ~6,000 nested sequences
// overflow the stack. So the byte stream is first walked here by an
// iterative, bounded walker of the DICOM encoding (PS3.5 7: explicit and
// implicit VR, little and big endian, deflated, defined and undefined
// lengths, items, delimiters, encapsulated fragments) that checks every
// length against what is left of the file or enclosing item and counts
// nesting depth, items and elements. Only a file that passes is handed to
// DCMTK, with the transfer syntax the walker found.
//
// Pixel data is NOT validated here: see io/dicom/dicom_pixels.h.

#include <dcmtk/dcmdata/dcfilefo.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace sirtkit::io {

// Limits of the pre-scan. Real files stay far below them: enhanced
// multi-frame objects nest 3-4 sequences, SR content trees rarely 10;
// an RTSTRUCT of 200 ROIs x 500 contours holds ~100,000 items.
struct DicomLimits {
  int max_sequence_depth = 32;
  std::uint64_t max_items = 1'000'000;       // sequence items, whole file
  std::uint64_t max_elements = 4'000'000;    // data elements, whole file (each costs DCMTK ~100 bytes)
  std::uint64_t max_fragments = 1'000'000;   // encapsulated pixel data fragments
  std::uint64_t max_inflated_bytes = 1ULL << 30;  // deflated transfer syntax: at most 1 GiB once inflated
};

// What the pre-scan found.
struct DicomScan {
  bool has_preamble = false;         // 128 bytes + "DICM" (PS3.10 7.1)
  std::string transfer_syntax_uid;   // from the meta header, or detected for a raw dataset
  int max_depth = 0;                 // deepest sequence nesting
  std::uint64_t elements = 0, items = 0, fragments = 0;
  // Zero bytes after the last element (some writers pad files this way; GDCM
  // and DCMTK skip them differently): DCMTK is given the bytes before them.
  std::uint64_t trailing_zero_bytes = 0;
};

// "foo.dcm": how the guard names a file in messages (never the folders above it).
std::string dicom_file_label(const std::filesystem::path& path);

// True when the first bytes look like DICOM: the "DICM" preamble, or a raw
// dataset starting with a group 0002 or 0008 tag. Anything else is "not DICOM"
// (a README in a series folder) and is skipped by folder scans.
bool looks_like_dicom(const std::filesystem::path& path);

// Walks the file without recursion; throws Error(bad_input) naming the file,
// the reason and the byte offset when it is malformed or exceeds `limits`.
DicomScan prescan_dicom(const std::filesystem::path& path, const DicomLimits& limits = {});
// The same over bytes in memory (fuzz targets, tests); `name` labels messages.
DicomScan prescan_dicom(const std::uint8_t* data, std::size_t size, const std::string& name,
                        const DicomLimits& limits = {});

// Pre-scans, then loads with DCMTK. Values longer than 4 kB (pixel data) stay
// on disk until asked for; their lengths were checked against the file size.
// Throws Error(bad_input) for a malformed or non-DICOM file, Error(io) when it
// cannot be opened.
std::unique_ptr<DcmFileFormat> read_dicom_guarded(const std::filesystem::path& path, const DicomLimits& limits = {});
// For folder scans: nullptr when the file is not DICOM at all (looks_like_dicom
// is false); a file that looks like DICOM but is malformed still throws.
std::unique_ptr<DcmFileFormat> read_dicom_guarded_if_dicom(const std::filesystem::path& path,
                                                           const DicomLimits& limits = {});
// In memory (fuzz targets): pre-scan then DCMTK on the same bytes.
std::unique_ptr<DcmFileFormat> read_dicom_guarded(const std::uint8_t* data, std::size_t size, const std::string& name,
                                                  const DicomLimits& limits = {});

}  // namespace sirtkit::io
