#pragma once
// Builds DICOM files with DCMTK from known volumes, for the io tests: CT/PET
// slice series, NM multi-frame tomography, enhanced multi-frame with
// per-frame rescale. Geometry is written with 10 significant digits (DS holds 16 characters).

#include <dcmtk/dcmdata/dctk.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "image/volume.h"

namespace sirtkit::io::fixture {

namespace fs = std::filesystem;

inline std::string new_uid() {
  char buf[100];
  dcmGenerateUniqueIdentifier(buf, SITE_INSTANCE_UID_ROOT);
  return buf;
}

inline std::string ds_list(const std::vector<double>& v) {
  std::string s;
  char buf[40];
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.10g", v[i]);  // DS: at most 16 characters
    s += (i ? "\\" : "") + std::string(buf);
  }
  return s;
}

inline fs::path fresh_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("sirtkit_test_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

struct SeriesSpec {
  std::string modality = "CT";
  std::string sop_class = UID_CTImageStorage;
  std::string patient_name = "DOE^JANE";
  std::string patient_id = "PID-12345";
  std::string study_uid = new_uid();
  std::string series_uid = new_uid();
  std::string frame_of_reference_uid = new_uid();
  // Rescale of slice k: value = stored * slope(k) + intercept.
  std::function<double(int)> slope = [](int) { return 1.0; };
  double intercept = 0;
  bool pet_decay = true;  // write PET units and decay information
};

inline void put(DcmItem& item, const DcmTagKey& key, const std::string& value) {
  item.putAndInsertOFStringArray(key, value.c_str());
}

inline void put_common(DcmItem& ds, const SeriesSpec& s, const std::string& sop_instance) {
  put(ds, DCM_SOPClassUID, s.sop_class);
  put(ds, DCM_SOPInstanceUID, sop_instance);
  put(ds, DCM_Modality, s.modality);
  put(ds, DCM_PatientName, s.patient_name);
  put(ds, DCM_PatientID, s.patient_id);
  put(ds, DCM_PatientBirthDate, "19510317");
  put(ds, DCM_StudyInstanceUID, s.study_uid);
  put(ds, DCM_SeriesInstanceUID, s.series_uid);
  put(ds, DCM_FrameOfReferenceUID, s.frame_of_reference_uid);
  put(ds, DCM_StudyDate, "20240115");
  put(ds, DCM_SeriesDate, "20240115");
  put(ds, DCM_SeriesTime, "101500");
  put(ds, DCM_InstitutionName, "Saint Example Hospital");
  put(ds, DCM_ReferringPhysicianName, "HOUSE^GREGORY");
  put(ds, DCM_AccessionNumber, "ACC998877");
  if (s.modality == "PT" && s.pet_decay) {
    put(ds, DCM_Units, "BQML");
    put(ds, DCM_DecayCorrection, "START");
    DcmItem* radio = nullptr;
    ds.findOrCreateSequenceItem(DCM_RadiopharmaceuticalInformationSequence, radio, 0);
    put(*radio, DCM_RadionuclideHalfLife, "230549");
    put(*radio, DCM_RadionuclideTotalDose, "1500000000");
    put(*radio, DCM_RadiopharmaceuticalStartDateTime, "20240115091500");
  }
}

inline void put_pixels16(DcmItem& ds, int rows, int cols, const std::vector<Sint16>& stored, int frames = 1) {
  ds.putAndInsertUint16(DCM_Rows, rows);
  ds.putAndInsertUint16(DCM_Columns, cols);
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  put(ds, DCM_PhotometricInterpretation, "MONOCHROME2");
  ds.putAndInsertUint16(DCM_BitsAllocated, 16);
  ds.putAndInsertUint16(DCM_BitsStored, 16);
  ds.putAndInsertUint16(DCM_HighBit, 15);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 1);
  if (frames > 1) put(ds, DCM_NumberOfFrames, std::to_string(frames));
  ds.putAndInsertUint16Array(DCM_PixelData, reinterpret_cast<const Uint16*>(stored.data()), stored.size());
}

inline std::array<double, 3> slice_position(const image::Grid& g, int k) {
  return g.point_mm(0, 0, k);
}

inline std::vector<Sint16> stored_plane(const image::Volume<float>& v, int k, double slope, double intercept) {
  const auto& g = v.grid;
  std::vector<Sint16> out(static_cast<std::size_t>(g.size[0]) * g.size[1]);
  for (int j = 0; j < g.size[1]; ++j)
    for (int i = 0; i < g.size[0]; ++i)
      out[static_cast<std::size_t>(j) * g.size[0] + i] =
          static_cast<Sint16>(std::lround((v.at(i, j, k) - intercept) / slope));
  return out;
}

inline std::string orientation(const image::Grid& g) {
  const auto& d = g.direction;
  return ds_list({d[0], d[3], d[6], d[1], d[4], d[7]});
}

// One file per slice, named so that directory order is the reverse of slice order.
inline std::vector<fs::path> write_slices(const fs::path& dir, const image::Volume<float>& v, const SeriesSpec& s) {
  std::vector<fs::path> files;
  const auto& g = v.grid;
  for (int k = 0; k < g.size[2]; ++k) {
    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    put_common(ds, s, new_uid());
    const auto p = slice_position(g, k);
    put(ds, DCM_ImagePositionPatient, ds_list({p[0], p[1], p[2]}));
    put(ds, DCM_ImageOrientationPatient, orientation(g));
    put(ds, DCM_PixelSpacing, ds_list({g.spacing_mm[1], g.spacing_mm[0]}));
    put(ds, DCM_SliceThickness, ds_list({g.spacing_mm[2]}));
    put(ds, DCM_InstanceNumber, std::to_string(k + 1));
    put(ds, DCM_RescaleSlope, ds_list({s.slope(k)}));
    put(ds, DCM_RescaleIntercept, ds_list({s.intercept}));
    put_pixels16(ds, g.size[1], g.size[0], stored_plane(v, k, s.slope(k), s.intercept));
    const fs::path path = dir / (s.modality + "_" + std::to_string(1000 - k) + ".dcm");
    if (file.saveFile(path.c_str(), EXS_LittleEndianExplicit).bad()) throw std::runtime_error("cannot write " + path.string());
    files.push_back(path);
  }
  return files;
}

// NM Image IOD, reconstructed tomography: one file, frames along the normal.
inline fs::path write_nm_tomo(const fs::path& path, const image::Volume<float>& v, SeriesSpec s,
                              const std::string& image_type = "ORIGINAL\\PRIMARY\\RECON TOMO\\EMISSION") {
  s.modality = "NM";
  s.sop_class = UID_NuclearMedicineImageStorage;
  const auto& g = v.grid;
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  put_common(ds, s, new_uid());
  put(ds, DCM_ImageType, image_type);
  DcmItem* det = nullptr;
  ds.findOrCreateSequenceItem(DCM_DetectorInformationSequence, det, 0);
  const auto p = slice_position(g, 0);
  put(*det, DCM_ImagePositionPatient, ds_list({p[0], p[1], p[2]}));
  put(*det, DCM_ImageOrientationPatient, orientation(g));
  put(ds, DCM_PixelSpacing, ds_list({g.spacing_mm[1], g.spacing_mm[0]}));
  put(ds, DCM_SpacingBetweenSlices, ds_list({g.spacing_mm[2]}));
  put(ds, DCM_SliceThickness, ds_list({g.spacing_mm[2]}));
  put(ds, DCM_NumberOfSlices, std::to_string(g.size[2]));
  std::vector<Sint16> all;
  for (int k = 0; k < g.size[2]; ++k) {
    auto plane = stored_plane(v, k, 1.0, 0.0);
    all.insert(all.end(), plane.begin(), plane.end());
  }
  put_pixels16(ds, g.size[1], g.size[0], all, g.size[2]);
  if (file.saveFile(path.c_str(), EXS_LittleEndianExplicit).bad()) throw std::runtime_error("cannot write " + path.string());
  return path;
}

// Enhanced multi-frame (functional groups), frames stored in reverse slice
// order, each with its own Pixel Value Transformation.
inline fs::path write_enhanced(const fs::path& path, const image::Volume<float>& v, SeriesSpec s) {
  s.sop_class = UID_EnhancedCTImageStorage;
  const auto& g = v.grid;
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  put_common(ds, s, new_uid());
  DcmItem* shared = nullptr;
  ds.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
  DcmItem* item = nullptr;
  shared->findOrCreateSequenceItem(DCM_PlaneOrientationSequence, item, 0);
  put(*item, DCM_ImageOrientationPatient, orientation(g));
  shared->findOrCreateSequenceItem(DCM_PixelMeasuresSequence, item, 0);
  put(*item, DCM_PixelSpacing, ds_list({g.spacing_mm[1], g.spacing_mm[0]}));
  put(*item, DCM_SliceThickness, ds_list({g.spacing_mm[2]}));
  std::vector<Sint16> all;
  const int n = g.size[2];
  for (int f = 0; f < n; ++f) {
    const int k = n - 1 - f;
    DcmItem* pf = nullptr;
    ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, pf, f);
    pf->findOrCreateSequenceItem(DCM_PlanePositionSequence, item, 0);
    const auto p = slice_position(g, k);
    put(*item, DCM_ImagePositionPatient, ds_list({p[0], p[1], p[2]}));
    pf->findOrCreateSequenceItem(DCM_PixelValueTransformationSequence, item, 0);
    put(*item, DCM_RescaleSlope, ds_list({s.slope(k)}));
    put(*item, DCM_RescaleIntercept, ds_list({s.intercept}));
    auto plane = stored_plane(v, k, s.slope(k), s.intercept);
    all.insert(all.end(), plane.begin(), plane.end());
  }
  put_pixels16(ds, g.size[1], g.size[0], all, n);
  if (file.saveFile(path.c_str(), EXS_LittleEndianExplicit).bad()) throw std::runtime_error("cannot write " + path.string());
  return path;
}

// Loads a file, lets `edit` change its dataset, and saves it again.
inline void edit_file(const fs::path& path, const std::function<void(DcmDataset&)>& edit) {
  DcmFileFormat file;
  if (file.loadFile(path.c_str()).bad()) throw std::runtime_error("cannot read " + path.string());
  // DCMTK loads large values (pixel data) lazily from the file: read them all
  // before the file is overwritten, or the pixels come out truncated.
  file.loadAllDataIntoMemory();
  edit(*file.getDataset());
  if (file.saveFile(path.c_str(), EXS_LittleEndianExplicit).bad()) throw std::runtime_error("cannot write " + path.string());
}

inline image::Grid oblique_grid(int nx = 6, int ny = 5, int nz = 7) {
  image::Grid g;
  g.size = {nx, ny, nz};
  g.spacing_mm = {0.75, 0.8125, 2.5};
  g.origin_mm = {-120.5, 35.25, -80.0};
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
  g.direction = {c, -s, 0, s, c, 0, 0, 0, 1};
  return g;
}

}  // namespace sirtkit::io::fixture
