#pragma once
// RT Dose (PS3.3 A.18) out and in: a dose map in Gy written as an RTDOSE
// object that joins the patient, study and frame of reference of the CT it
// was planned on, so viewers overlay it on that CT.

#include <filesystem>
#include <string>

#include "image/volume.h"

namespace sirtkit::io {

// The patient, study and frame of reference a new object must join,
// copied from an image of the reference series (e.g. the planning CT).
struct DicomReference {
  std::string patient_name, patient_id, patient_birth_date, patient_sex;
  std::string study_uid, study_date, study_time, study_id, accession_number, referring_physician;
  std::string frame_of_reference_uid;
  std::string series_uid;  // of the reference series (for messages)
};

// From one image file, or from the series in a folder (series_uid chooses
// one when the folder holds several).
DicomReference read_dicom_reference(const std::filesystem::path& file_or_dir, const std::string& series_uid = "");

// Writes dose_gy (>= 0, finite) as 32-bit unsigned values times Dose Grid
// Scaling; the largest rounding error is half the scaling (max dose / 2^32).
// Written atomically. Returns the Dose Grid Scaling used.
double write_rtdose(const std::filesystem::path& path, const image::Volume<float>& dose_gy, const DicomReference& reference,
                    const std::string& series_description = "sirtkit Y-90 absorbed dose");

// Reads an RTDOSE through DCMTK's dcmrt (DRTDose), values in Gy.
struct RtDose {
  image::Volume<float> dose_gy;
  std::string frame_of_reference_uid;
  double dose_grid_scaling = 0;
};
RtDose read_rtdose(const std::filesystem::path& path);

// Reads the same file through ITK/GDCM, as ITK-based viewers and tools do.
image::Volume<float> read_rtdose_with_itk(const std::filesystem::path& path);

}  // namespace sirtkit::io
