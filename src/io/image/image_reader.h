#pragma once
// One entry point for images given by the user: a NIfTI file, or a DICOM
// series (a folder, or one multi-frame DICOM file). For plan and dose
// commands that accept either.

#include <filesystem>
#include <string>

#include "image/volume.h"

namespace sirtkit::io {

struct LoadedImage {
  image::Volume<float> volume;
  std::string units;                   // "" for NIfTI (not recorded in the file)
  std::string frame_of_reference_uid;  // "" for NIfTI
  bool from_dicom = false;
};

// A folder, or a file starting with the DICOM preamble (PS3.10 7.1).
bool is_dicom_path(const std::filesystem::path& path);

// A folder or a file starting with the DICOM preamble is read as DICOM
// (series_uid chooses among several series); anything else as NIfTI.
LoadedImage read_image(const std::filesystem::path& path, const std::string& series_uid = "");

}  // namespace sirtkit::io
