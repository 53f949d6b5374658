#pragma once
// DICOM image series (CT, NM SPECT including multi-frame, PET, RTDOSE) read
// into volumes with their geometry (LPS, as ITK) and units. Series are found
// in a folder of mixed files and chosen by Series Instance UID.
//
// Refused with a sirtkit::Error naming the file and tag: several series and
// no choice, missing slices or uneven slice spacing, inconsistent orientation
// or pixel spacing, slices not stacked along their normal (gantry tilt), PET
// without units or decay correction information.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "image/volume.h"

namespace sirtkit::io {

// One series as found in a folder; grid is filled when the geometry is valid,
// otherwise `problem` says why the series cannot be read.
struct DicomSeriesInfo {
  std::string series_uid;
  std::string modality;
  // No Series Description: free text that may name the patient is never shown.
  std::string frame_of_reference_uid;
  std::vector<std::filesystem::path> files;
  int frames = 0;
  std::optional<image::Grid> grid;
  std::string problem;
  std::vector<std::string> warnings;  // e.g. uneven slice spacing that reading will resample
};

// PET quantities needed to turn the image into activity at a known time
// (PS3.3 C.8.9.1 PET Series module, C.8.9.2 PET Isotope module).
struct PetDecayInfo {
  std::string units;             // Units (0054,1001): BQML or GML (SUV body weight)
  std::string decay_correction;  // DecayCorrection (0054,1102): NONE, START or ADMIN
  std::string reference_datetime;  // YYYYMMDDHHMMSS[.f] the values are decay corrected to (a date: never printed)
  double half_life_s = 0;        // RadionuclideHalfLife (0018,1075)
  double injected_dose_bq = 0;   // RadionuclideTotalDose (0018,1074), 0 if absent
  double patient_weight_kg = 0;  // PatientWeight (0010,1030), 0 if absent
};

struct DicomVolume {
  image::Volume<float> volume;  // rescaled values (HU, counts, Bq/mL, SUV, Gy)
  std::string units;            // "HU", "counts", "Bq/mL", "g/mL (SUVbw)", "Gy", ...
  std::string modality;
  std::string series_uid;
  std::string study_uid;
  std::string frame_of_reference_uid;
  std::vector<std::filesystem::path> files;  // in slice order (one file when multi-frame)
  std::optional<PetDecayInfo> pet;
  // What the reader did that a user must know, e.g. slices resampled onto a
  // regular grid because their spacing was uneven (within 5 % of the mean gap).
  std::vector<std::string> warnings;
};

// All image series below `dir` (recursively); non-DICOM files are skipped.
// RTSTRUCT and SEG objects are listed too (without a grid).
std::vector<DicomSeriesInfo> list_dicom_series(const std::filesystem::path& dir);

// Reads one series. `dir` may be a folder or a single (multi-frame) file.
// With an empty series_uid the folder must hold exactly one image series.
DicomVolume read_dicom_series(const std::filesystem::path& dir, const std::string& series_uid = "");

// "HH:MM:SS" of a DT "YYYYMMDDHHMMSS[.f]", for messages: the date of a scan is
// an identifier (PS3.15 E.1-1) and is never printed; "(unknown)" when not a DT.
std::string time_of_day(const std::string& datetime);

}  // namespace sirtkit::io
