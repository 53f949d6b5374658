#include "pipelines/dicom/dicom_jobs.h"

#include <cstdlib>

#include "core/error.h"
#include "io/dicom/dicom_deid.h"
#include "io/dicom/dicom_seg.h"
#include "io/dicom/dicom_series.h"
#include "io/dicom/dicom_tags.h"
#include "io/image/nifti.h"
#include "io/dicom/rtdose.h"
#include "io/dicom/rtstruct.h"

namespace sirtkit::pipelines {
namespace {

namespace fs = std::filesystem;

// The grid (and frame of reference, if DICOM) the contours are placed on.
struct Reference {
  image::Grid grid;
  std::string frame_of_reference_uid;  // "" for NIfTI: cannot be checked
};

Reference reference_of(const fs::path& reference, const std::string& series_uid) {
  if (fs::is_directory(reference)) {
    const io::DicomVolume v = io::read_dicom_series(reference, series_uid);
    return {v.volume.grid, v.frame_of_reference_uid};
  }
  return {io::read_nifti_float(reference).grid, ""};
}

}  // namespace

report::DicomFolderInfo dicom_info(const fs::path& dir) {
  report::DicomFolderInfo info{dir.string(), io::list_dicom_series(dir)};
  for (auto& s : info.series) {
    // Values read from the files are shown only when they are what they claim
    // to be (a UID, a modality): a hostile file can put a name anywhere.
    s.series_uid = io::dicom::shown_uid(s.series_uid);
    s.modality = io::dicom::shown_modality(s.modality);
    s.frame_of_reference_uid = io::dicom::shown_uid(s.frame_of_reference_uid);
  }
  return info;
}

report::DicomConversion dicom_to_nifti(const fs::path& dir, const fs::path& out_nifti, const std::string& series_uid) {
  const io::DicomVolume v = io::read_dicom_series(dir, series_uid);
  io::write_nifti(out_nifti, v.volume);
  report::DicomConversion c{io::dicom::shown_uid(v.series_uid), io::dicom::shown_modality(v.modality), v.units,
                            io::dicom::shown_uid(v.frame_of_reference_uid), v.volume.grid, out_nifti.string(), v.warnings, std::nullopt};
  // The time of day only: the date of a scan identifies (PS3.15 E.1-1).
  if (v.pet) c.pet = report::DicomPetView{*v.pet, io::time_of_day(v.pet->reference_datetime)};
  return c;
}

report::DicomContours dicom_contours(const fs::path& rtstruct, const fs::path& reference, const fs::path& out_labels,
                                     const std::string& series_uid) {
  const Reference ref = reference_of(reference, series_uid);
  const io::RtStructLabels r = io::read_rtstruct(rtstruct, ref.grid, ref.frame_of_reference_uid);
  io::write_nifti(out_labels, r.labels);
  return {io::dicom::shown_uid(r.frame_of_reference_uid), !ref.frame_of_reference_uid.empty(), out_labels.string(), r.rois,
          ref.grid.voxel_volume_ml()};
}

report::DicomSegmentationWritten dicom_seg(const fs::path& seg, const fs::path& reference, const fs::path& out_nifti,
                                           const std::string& series_uid) {
  const Reference ref = reference_of(reference, series_uid);
  const io::DicomSegmentation s = io::read_dicom_seg(seg, ref.grid, ref.frame_of_reference_uid);
  if (s.fractional) io::write_nifti(out_nifti, s.fractions.front());
  else io::write_nifti(out_nifti, s.labels);
  return {s.fractional, out_nifti.string(), s.segments};
}

report::DicomRtdoseWritten dicom_rtdose(const fs::path& dose_nifti, const fs::path& ct_dir, const fs::path& out_dcm,
                                        const std::string& series_uid) {
  const image::Volume<float> dose = io::read_nifti_float(dose_nifti);
  const io::DicomReference ref = io::read_dicom_reference(ct_dir, series_uid);
  const double scaling = io::write_rtdose(out_dcm, dose, ref);
  return {out_dcm.string(), io::dicom::shown_uid(ref.frame_of_reference_uid), io::dicom::shown_uid(ref.study_uid),
          io::dicom::shown_uid(ref.series_uid), scaling, dose.grid};
}

io::DeidReport dicom_deid(const fs::path& in_dir, const fs::path& out_dir, const std::string& key_file, const io::DeidOptions& options) {
  std::string path = key_file;
  if (path.empty())
    if (const char* env = std::getenv("SIRTKIT_REGISTRY_KEY"); env && *env) path = env;
  if (path.empty()) fail_input("deid", "--key", "(missing)", "a key file, given by --key or $SIRTKIT_REGISTRY_KEY");
  const std::string key = io::read_deid_key(path);
  // Inputs are named by index only, and no folder is repeated: a path or a
  // value read from an input may name the patient.
  return io::deidentify_folder(in_dir, out_dir, key, options);
}

}  // namespace sirtkit::pipelines
