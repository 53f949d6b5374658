#include "io/image/image_reader.h"

#include <fstream>

#include "io/dicom/dicom_series.h"
#include "io/image/nifti.h"

namespace sirtkit::io {
// PS3.10 7.1: a DICOM file starts with a 128-byte preamble and "DICM".
bool has_dicom_preamble(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char buf[132] = {};
  in.read(buf, sizeof buf);
  return in.gcount() == 132 && std::string(buf + 128, 4) == "DICM";
}

bool is_dicom_path(const std::filesystem::path& path) {
  return std::filesystem::is_directory(path) || has_dicom_preamble(path);
}

LoadedImage read_image(const std::filesystem::path& path, const std::string& series_uid) {
  LoadedImage out;
  if (is_dicom_path(path)) {
    DicomVolume v = read_dicom_series(path, series_uid);
    out.volume = std::move(v.volume);
    out.units = v.units;
    out.frame_of_reference_uid = v.frame_of_reference_uid;
    out.from_dicom = true;
    return out;
  }
  out.volume = read_nifti_float(path);
  return out;
}

}  // namespace sirtkit::io
