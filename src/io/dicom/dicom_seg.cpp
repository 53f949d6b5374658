#include "io/dicom/dicom_seg.h"

#include <cmath>
#include <map>

#include "core/error.h"
#include "core/format.h"
#include "io/dicom/dicom_guard.h"
#include "io/dicom/dicom_pixels.h"
#include "io/dicom/dicom_tags.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using dicom::get_double;
using dicom::get_doubles;
using dicom::get_item;
using dicom::get_string;
using dicom::tag_name;

DcmItem* group(DcmItem* per_frame, DcmItem* shared, const DcmTagKey& key) {
  if (per_frame)
    if (DcmItem* g = get_item(*per_frame, key)) return g;
  if (shared)
    if (DcmItem* g = get_item(*shared, key)) return g;
  return nullptr;
}

}  // namespace

DicomSegmentation read_dicom_seg(const fs::path& path, const image::Grid& grid, const std::string& frame_of_reference_uid) {
  const std::string where = path.string();
  const auto file = read_dicom_guarded(path);
  DcmDataset& ds = *file->getDataset();
  if (get_string(ds, DCM_Modality) != "SEG") fail_input(where, tag_name(DCM_Modality), dicom::shown_modality(get_string(ds, DCM_Modality)), "SEG");
  DicomSegmentation out;
  out.frame_of_reference_uid = get_string(ds, DCM_FrameOfReferenceUID);
  if (!frame_of_reference_uid.empty() && out.frame_of_reference_uid != frame_of_reference_uid)
    fail_input(where, tag_name(DCM_FrameOfReferenceUID), dicom::shown_uid(out.frame_of_reference_uid),
               "the frame of reference of the reference image (" + frame_of_reference_uid + ")");
  // Segmentation Image module (C.8.20.2): BINARY (1 bit) or FRACTIONAL (8 bits, up to Maximum Fractional Value).
  const std::string type = get_string(ds, DCM_SegmentationType);
  if (type != "BINARY" && type != "FRACTIONAL") fail_input(where, tag_name(DCM_SegmentationType), dicom::shown_term(type, {"BINARY", "FRACTIONAL"}), "BINARY or FRACTIONAL");
  out.fractional = type == "FRACTIONAL";
  const double max_fraction = out.fractional ? get_double(ds, DCM_MaximumFractionalValue).value_or(0) : 1;
  if (!(max_fraction > 0)) fail_input(where, tag_name(DCM_MaximumFractionalValue), "(missing)", "the value that means a fraction of 1");
  Uint16 rows = 0, cols = 0, bits = 0;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, cols);
  ds.findAndGetUint16(DCM_BitsAllocated, bits);
  // The SEG must be drawn on the reference grid (same matrix): refuse another size.
  if (rows != grid.size[1] || cols != grid.size[0])
    fail_input(where, "Rows/Columns (0028,0010)/(0028,0011)", std::to_string(rows) + "x" + std::to_string(cols),
               "the reference grid's " + std::to_string(grid.size[1]) + "x" + std::to_string(grid.size[0]));
  if (bits != (out.fractional ? 8 : 1)) fail_input(where, tag_name(DCM_BitsAllocated), std::to_string(bits), out.fractional ? "8 for FRACTIONAL" : "1 for BINARY");

  std::map<int, std::size_t> index;
  const int nseg = dicom::item_count(ds, DCM_SegmentSequence);
  for (int s = 0; s < nseg; ++s) {
    DcmItem* item = get_item(ds, DCM_SegmentSequence, s);
    const int number = static_cast<int>(get_double(*item, DCM_SegmentNumber).value_or(0));
    if (number <= 0 || index.count(number)) fail_input(where, tag_name(DCM_SegmentNumber), std::to_string(number), "a positive number used once");
    index[number] = out.segments.size();
    out.segments.push_back({number, get_string(*item, DCM_SegmentLabel), 0});
    if (out.fractional) out.fractions.emplace_back(grid, 0.f);
  }
  if (out.segments.empty()) fail_input(where, tag_name(DCM_SegmentSequence), "(empty)", "at least one segment");
  out.labels = image::LabelMap(grid, 0);

  const int nframes = ds.tagExists(DCM_NumberOfFrames) ? dicom::number_of_frames(ds, where) : 0;
  DcmItem* shared = get_item(ds, DCM_SharedFunctionalGroupsSequence);
  if (dicom::item_count(ds, DCM_PerFrameFunctionalGroupsSequence) != nframes)
    fail_input(where, tag_name(DCM_PerFrameFunctionalGroupsSequence), std::to_string(dicom::item_count(ds, DCM_PerFrameFunctionalGroupsSequence)),
               "one item per frame (" + std::to_string(nframes) + ")");
  if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad())
    fail_input(where, "TransferSyntaxUID (0002,0010)", dicom::shown_uid(get_string(*file->getMetaInfo(), DCM_TransferSyntaxUID)), "an uncompressed transfer syntax");
  DcmElement* pixel = nullptr;
  const Uint8* bytes = nullptr;
  Uint8* b8 = nullptr;
  Uint16* b16 = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, pixel).bad()) fail_input(where, tag_name(DCM_PixelData), "(missing)", "pixel data");
  if (pixel->getUint8Array(b8).good() && b8) bytes = b8;
  else if (pixel->getUint16Array(b16).good() && b16) bytes = reinterpret_cast<const Uint8*>(b16);
  const std::size_t plane = static_cast<std::size_t>(rows) * cols;
  const std::size_t needed = out.fractional ? plane * nframes : (plane * nframes + 7) / 8;
  if (bytes == nullptr || pixel->getLength() < needed)
    fail_input(where, tag_name(DCM_PixelData), std::to_string(pixel->getLength()) + " bytes", std::to_string(needed) + " bytes");

  const double tol_mm = 1e-3 + 1e-3 * grid.spacing_mm[2];
  for (int f = 0; f < nframes; ++f) {
    DcmItem* pf = get_item(ds, DCM_PerFrameFunctionalGroupsSequence, f);
    const std::string fwhere = where + " frame " + std::to_string(f + 1);
    DcmItem* id = group(pf, shared, DCM_SegmentIdentificationSequence);
    const int number = id ? static_cast<int>(get_double(*id, DCM_ReferencedSegmentNumber).value_or(0)) : 0;
    if (!index.count(number)) fail_input(fwhere, tag_name(DCM_ReferencedSegmentNumber), std::to_string(number), "a segment of the Segment Sequence");
    DcmItem* pos = group(pf, shared, DCM_PlanePositionSequence);
    DcmItem* ori = group(pf, shared, DCM_PlaneOrientationSequence);
    DcmItem* pix = group(pf, shared, DCM_PixelMeasuresSequence);
    const auto p = pos ? get_doubles(*pos, DCM_ImagePositionPatient) : std::vector<double>{};
    if (p.size() != 3) fail_input(fwhere, tag_name(DCM_ImagePositionPatient), "(missing)", "the frame's position");
    if (ori) {
      const auto o = get_doubles(*ori, DCM_ImageOrientationPatient);
      const auto& d = grid.direction;
      const double expected[6] = {d[0], d[3], d[6], d[1], d[4], d[7]};
      for (int c = 0; c < 6 && o.size() == 6; ++c)
        if (std::abs(o[c] - expected[c]) > 1e-4)
          fail_input(fwhere, tag_name(DCM_ImageOrientationPatient), num(o[c]) + " (value " + std::to_string(c + 1) + ")",
                     "the reference grid's orientation");
    }
    if (pix) {
      const auto s = get_doubles(*pix, DCM_PixelSpacing);
      if (s.size() == 2 && (std::abs(s[0] - grid.spacing_mm[1]) > 1e-4 || std::abs(s[1] - grid.spacing_mm[0]) > 1e-4))
        fail_input(fwhere, tag_name(DCM_PixelSpacing), num(s[0]) + "\\" + num(s[1]), "the reference grid's spacing");
    }
    const auto ci = grid.continuous_index({p[0], p[1], p[2]});
    const int k = static_cast<int>(std::lround(ci[2]));
    if (std::abs(ci[0]) * grid.spacing_mm[0] > tol_mm || std::abs(ci[1]) * grid.spacing_mm[1] > tol_mm ||
        std::abs(ci[2] - k) * grid.spacing_mm[2] > tol_mm || k < 0 || k >= grid.size[2])
      fail_input(fwhere, tag_name(DCM_ImagePositionPatient), num(p[0]) + "\\" + num(p[1]) + "\\" + num(p[2]),
                 "the position of a slice of the reference grid");
    const std::size_t s = index[number];
    for (std::size_t n = 0; n < plane; ++n) {
      const std::size_t v = static_cast<std::size_t>(k) * plane + n;
      if (out.fractional) {
        const float fraction = static_cast<float>(bytes[f * plane + n] / max_fraction);
        out.fractions[s].data[v] = fraction;
        if (fraction > 0.5f) out.labels.data[v] = number;
      } else {
        // Binary frames are packed 1 bit per pixel, least significant bit first, without padding between frames (PS3.5 8.1.1).
        const std::size_t bit = f * plane + n;
        if ((bytes[bit / 8] >> (bit % 8)) & 1) out.labels.data[v] = number;
      }
    }
  }
  const double ml = grid.voxel_volume_ml();
  for (std::size_t s = 0; s < out.segments.size(); ++s) {
    double total = 0;
    if (out.fractional)
      for (float x : out.fractions[s].data) total += x;
    else
      for (int l : out.labels.data) total += (l == out.segments[s].number);
    out.segments[s].volume_ml = total * ml;
  }
  return out;
}

}  // namespace sirtkit::io
