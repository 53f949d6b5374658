#pragma once
// Text and JSON of the DICOM commands (`sirtkit dicom info | to-nifti |
// contours | seg | rtdose`, `sirtkit deid`) from the values
// pipelines/dicom/dicom_jobs returns. UIDs and modalities arrive already
// screened (io/dicom/dicom_tags.h shown_uid, shown_modality): a hostile file can put
// a name anywhere. No path or value of a de-identified input is shown.

#include <optional>
#include <string>
#include <vector>

#include "image/volume.h"
#include "io/dicom/dicom_deid.h"
#include "io/dicom/dicom_seg.h"
#include "io/dicom/dicom_series.h"
#include "io/dicom/rtstruct.h"
#include "report/command_output.h"

namespace sirtkit::report {

// Series in a folder (each info's UIDs and modality screened).
struct DicomFolderInfo {
  std::string dir;
  std::vector<io::DicomSeriesInfo> series;
};
CommandOutput dicom_info_output(const DicomFolderInfo& info);

struct DicomPetView {
  io::PetDecayInfo decay;
  std::string reference_time;  // the time of day only: the date of a scan identifies (PS3.15 E.1-1)
};

// One series written as NIfTI.
struct DicomConversion {
  std::string series_uid, modality, units, frame_of_reference_uid;
  image::Grid grid;
  std::string output;
  std::vector<std::string> warnings;
  std::optional<DicomPetView> pet;
};
CommandOutput dicom_conversion_output(const DicomConversion& c);

struct DicomContours {
  std::string frame_of_reference_uid;
  bool frame_of_reference_checked = false;  // the reference was a DICOM series (NIfTI carries none)
  std::string output;
  std::vector<io::RtStructRoi> rois;
  double voxel_volume_ml = 0;  // of the reference grid
};
CommandOutput dicom_contours_output(const DicomContours& c);

struct DicomSegmentationWritten {
  bool fractional = false;
  std::string output;
  std::vector<io::SegSegment> segments;
};
CommandOutput dicom_seg_output(const DicomSegmentationWritten& s);

struct DicomRtdoseWritten {
  std::string output, frame_of_reference_uid, study_uid, series_uid;
  double dose_grid_scaling_gy = 0;
  image::Grid grid;
};
CommandOutput dicom_rtdose_output(const DicomRtdoseWritten& r);

// The de-identification report: inputs by index only.
CommandOutput dicom_deid_output(const io::DeidReport& r);

}  // namespace sirtkit::report
