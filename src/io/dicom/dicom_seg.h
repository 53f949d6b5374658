#pragma once
// DICOM Segmentation (PS3.3 A.51, C.8.20): binary and fractional segments
// placed onto a reference grid. Frames must lie on the grid's slices with the
// grid's in-plane size, orientation and spacing; a SEG of another size or in
// another frame of reference is refused.

#include <filesystem>
#include <string>
#include <vector>

#include "image/volume.h"

namespace sirtkit::io {

struct SegSegment {
  int number = 0;     // Segment Number (0062,0004): the label value
  std::string label;  // Segment Label (0062,0005)
  double volume_ml = 0;  // binary: voxels inside; fractional: sum of fractions
};

struct DicomSegmentation {
  bool fractional = false;
  image::LabelMap labels;  // binary: segment number per voxel (a later segment wins); fractional: fraction > 0.5
  std::vector<image::Volume<float>> fractions;  // fractional only: 0..1 per segment, in the order of `segments`
  std::vector<SegSegment> segments;
  std::string frame_of_reference_uid;
};

DicomSegmentation read_dicom_seg(const std::filesystem::path& path, const image::Grid& grid,
                                 const std::string& frame_of_reference_uid = "");

}  // namespace sirtkit::io
