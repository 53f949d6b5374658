#pragma once
// NIfTI (.nii, .nii.gz) read and write through ITK. The only place images
// enter or leave sirtkit; geometry is kept exactly as ITK reports it (LPS).

#include <filesystem>

#include "image/volume.h"

namespace sirtkit::io {

// Reads any scalar NIfTI as float (CT in HU, SPECT counts, PET Bq/mL).
image::Volume<float> read_nifti_float(const std::filesystem::path& path);
// Reads a label map or mask; refuses non-integer voxel values, naming the first.
image::LabelMap read_nifti_labels(const std::filesystem::path& path);

// Written atomically: a failure leaves no partial file.
void write_nifti(const std::filesystem::path& path, const image::Volume<float>& volume);
void write_nifti(const std::filesystem::path& path, const image::LabelMap& labels);

}  // namespace sirtkit::io
