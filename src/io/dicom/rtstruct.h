#pragma once
// RT Structure Set (PS3.3 A.19): closed planar contours rasterised onto a
// given grid. A voxel is inside when its centre is inside the contours of
// its slice by the even-odd rule, so a contour drawn inside another is a hole.

#include <filesystem>
#include <string>
#include <vector>

#include "image/volume.h"

namespace sirtkit::io {

struct RtStructRoi {
  int number = 0;  // ROI Number (3006,0022): the label value in the label map
  std::string name;
  int contours = 0;     // closed planar contours used
  std::size_t voxels = 0;  // voxels inside on the grid
};

struct RtStructLabels {
  image::LabelMap labels;             // ROI number per voxel, 0 outside; a later ROI wins where they overlap
  std::vector<image::Mask> masks;     // one per ROI, in the order of `rois`
  std::vector<RtStructRoi> rois;
  std::string frame_of_reference_uid;
};

// Rasterises every ROI with closed planar contours onto `grid`. When
// `frame_of_reference_uid` is given, contours in any other frame of reference
// are refused. Each grid slice takes the contour plane nearest its centre
// within half a slice; contours must lie in the grid's slice planes
// (parallel to them within 0.01 voxel).
RtStructLabels read_rtstruct(const std::filesystem::path& path, const image::Grid& grid,
                             const std::string& frame_of_reference_uid = "");

// Even-odd scanline fill of polygons given in continuous voxel indices (i, j)
// of one slice; sets mask voxels of slice k to 1. Exposed for tests.
void fill_even_odd(const std::vector<std::vector<std::array<double, 2>>>& polygons, int k, image::Mask& mask);

}  // namespace sirtkit::io
