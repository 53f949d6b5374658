#include "io/dicom/rtstruct.h"

#include <dcmtk/dcmrt/drtstrct.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.h"
#include "core/format.h"
#include "io/dicom/dicom_guard.h"
#include "io/dicom/dicom_tags.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using dicom::tag_name;

constexpr double kPlanarTolVoxel = 0.01;  // a contour's points may differ this much in slice index

struct PlaneContours {
  double k = 0;  // continuous slice index of the plane
  std::vector<std::vector<std::array<double, 2>>> polygons;
};

}  // namespace

void fill_even_odd(const std::vector<std::vector<std::array<double, 2>>>& polygons, int k, image::Mask& mask) {
  const auto& g = mask.grid;
  if (k < 0 || k >= g.size[2]) return;
  std::vector<double> xs;
  for (int j = 0; j < g.size[1]; ++j) {
    const double y = j;  // voxel centres sit at integer indices
    xs.clear();
    for (const auto& poly : polygons) {
      const std::size_t n = poly.size();
      for (std::size_t a = 0; a < n; ++a) {
        const auto& p = poly[a];
        const auto& q = poly[(a + 1) % n];
        // Half-open rule: an edge counts when it straddles y (one end <= y, the other > y).
        if ((p[1] <= y) != (q[1] <= y)) xs.push_back(p[0] + (y - p[1]) * (q[0] - p[0]) / (q[1] - p[1]));
      }
    }
    std::sort(xs.begin(), xs.end());
    for (std::size_t m = 0; m + 1 < xs.size(); m += 2) {
      const int i0 = std::max(0, static_cast<int>(std::ceil(xs[m])));
      const int i1 = std::min(g.size[0] - 1, static_cast<int>(std::ceil(xs[m + 1])) - 1);
      for (int i = i0; i <= i1; ++i) mask.at(i, j, k) = 1;
    }
  }
}

RtStructLabels read_rtstruct(const fs::path& path, const image::Grid& grid, const std::string& frame_of_reference_uid) {
  const std::string where = path.string();
  const auto file = read_dicom_guarded(path);
  DRTStructureSetIOD rt;
  if (rt.read(*file->getDataset()).bad()) fail_input(where, "RT Structure Set IOD", "unreadable", "an RTSTRUCT object (PS3.3 A.19)");
  OFString modality;
  rt.getModality(modality);
  if (modality != "RTSTRUCT") fail_input(where, tag_name(DCM_Modality), dicom::shown_modality(modality.c_str()), "RTSTRUCT");

  RtStructLabels out;
  out.labels = image::LabelMap(grid, 0);
  // Structure Set ROI Sequence (3006,0020), PS3.3 C.8.8.5: number, name and
  // frame of reference of each ROI.
  std::map<int, std::size_t> roi_index;
  auto& rois = rt.getStructureSetROISequence();
  // (dcmrt's gotoNextItem() reports success when stepping past the end: index instead.)
  for (std::size_t n = 0; n < rois.getNumberOfItems(); ++n) {
    auto& item = rois.getItem(n);
    Sint32 number = 0;
    OFString name, for_uid;
    item.getROINumber(number);
    item.getROIName(name);
    item.getReferencedFrameOfReferenceUID(for_uid);
    if (!frame_of_reference_uid.empty() && for_uid != frame_of_reference_uid.c_str())
      fail_input(where, "ReferencedFrameOfReferenceUID (3006,0024) of ROI " + std::to_string(number),
                 dicom::shown_uid(for_uid.c_str()),
                 "the frame of reference of the reference image (" + frame_of_reference_uid + ")");
    if (out.frame_of_reference_uid.empty()) out.frame_of_reference_uid = for_uid.c_str();
    else if (out.frame_of_reference_uid != for_uid.c_str())
      fail_input(where, "ReferencedFrameOfReferenceUID (3006,0024) of ROI " + std::to_string(number), dicom::shown_uid(for_uid.c_str()),
                 "one frame of reference for all ROIs (" + dicom::shown_uid(out.frame_of_reference_uid) + ")");
    if (number <= 0) fail_input(where, "ROINumber (3006,0022)", std::to_string(number), "a positive ROI number");
    if (roi_index.count(number)) fail_input(where, "ROINumber (3006,0022)", std::to_string(number), "a number used by one ROI only");
    roi_index[number] = out.rois.size();
    out.rois.push_back({number, name.c_str(), 0, 0});
    out.masks.emplace_back(grid, 0);
  }

  // ROI Contour Sequence (3006,0039), PS3.3 C.8.8.6: contours per ROI.
  auto& contours = rt.getROIContourSequence();
  for (std::size_t n = 0; n < contours.getNumberOfItems(); ++n) {
    auto& item = contours.getItem(n);
    Sint32 number = 0;
    item.getReferencedROINumber(number);
    if (!roi_index.count(number))
      fail_input(where, "ReferencedROINumber (3006,0084)", std::to_string(number), "an ROI of the Structure Set ROI Sequence (3006,0020)");
    const std::size_t r = roi_index[number];
    std::vector<PlaneContours> planes;
    auto& seq = item.getContourSequence();
    for (std::size_t index = 0; index < seq.getNumberOfItems(); ++index) {
      auto& contour = seq.getItem(index);
      OFString type;
      contour.getContourGeometricType(type);
      if (type != "CLOSED_PLANAR") continue;  // POINT and OPEN_PLANAR enclose no volume (C.8.8.6.1)
      OFVector<Float64> xyz;
      contour.getContourData(xyz);
      const std::string cwhere = "ROI " + std::to_string(number) + " contour " + std::to_string(index + 1);
      if (xyz.size() < 9 || xyz.size() % 3 != 0)
        fail_input(where, "ContourData (3006,0050) of " + cwhere, std::to_string(xyz.size()) + " values",
                   "at least three x\\y\\z points");
      std::vector<std::array<double, 2>> poly;
      double kmin = 1e300, kmax = -1e300;
      for (std::size_t p = 0; p + 2 < xyz.size(); p += 3) {
        const auto ci = grid.continuous_index({xyz[p], xyz[p + 1], xyz[p + 2]});
        poly.push_back({ci[0], ci[1]});
        kmin = std::min(kmin, ci[2]);
        kmax = std::max(kmax, ci[2]);
      }
      if (kmax - kmin > kPlanarTolVoxel)
        fail_input(where, "ContourData (3006,0050) of " + cwhere, "spans slice indices " + num(kmin) + " to " + num(kmax),
                   "a contour in a slice plane of the reference grid");
      const double k = 0.5 * (kmin + kmax);
      auto it = std::find_if(planes.begin(), planes.end(), [&](const PlaneContours& pc) { return std::abs(pc.k - k) <= kPlanarTolVoxel; });
      if (it == planes.end()) {
        planes.push_back({k, {}});
        it = planes.end() - 1;
      }
      it->polygons.push_back(std::move(poly));
      out.rois[r].contours++;
    }
    // Each grid slice takes the nearest contour plane within half a slice.
    for (int k = 0; k < grid.size[2]; ++k) {
      const PlaneContours* best = nullptr;
      for (const auto& pc : planes)
        if (std::abs(pc.k - k) <= 0.5 + 1e-9 && (best == nullptr || std::abs(pc.k - k) < std::abs(best->k - k))) best = &pc;
      if (best != nullptr) {
        // Even-odd over all of the ROI's contours in the plane: holes and islands (C.8.8.6.3).
        fill_even_odd(best->polygons, k, out.masks[r]);
      }
    }
  }
  for (std::size_t r = 0; r < out.rois.size(); ++r) {
    const auto& m = out.masks[r];
    for (std::size_t n = 0; n < m.data.size(); ++n)
      if (m.data[n]) {
        out.labels.data[n] = out.rois[r].number;
        out.rois[r].voxels++;
      }
  }
  return out;
}

}  // namespace sirtkit::io
