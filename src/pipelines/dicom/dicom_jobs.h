#pragma once
// The DICOM jobs users run from the command line (`sirtkit dicom ...`,
// `sirtkit deid`): each reads through io, checks, writes, and returns what
// it did (report/dicom/dicom_summaries renders it as text and JSON).

#include <filesystem>
#include <string>

#include "io/dicom/dicom_deid.h"
#include "report/dicom/dicom_summaries.h"

namespace sirtkit::pipelines {

// Series in a folder: UID, modality, files, frames, size, spacing (or why unreadable).
report::DicomFolderInfo dicom_info(const std::filesystem::path& dir);

// One image series (chosen by UID when the folder holds several) to NIfTI.
report::DicomConversion dicom_to_nifti(const std::filesystem::path& dir, const std::filesystem::path& out_nifti,
                                        const std::string& series_uid);

// RTSTRUCT contours rasterised onto a reference grid: a NIfTI image, or a
// DICOM series folder (then the frame of reference must match). Label = ROI number.
report::DicomContours dicom_contours(const std::filesystem::path& rtstruct, const std::filesystem::path& reference,
                              const std::filesystem::path& out_labels, const std::string& series_uid);

// DICOM SEG segments onto the reference grid: label = segment number, or, for
// fractional segments, a float map of the first segment.
report::DicomSegmentationWritten dicom_seg(const std::filesystem::path& seg, const std::filesystem::path& reference,
                         const std::filesystem::path& out_nifti, const std::string& series_uid);

// A dose map (NIfTI, Gy) as RTDOSE in the patient, study and frame of reference of a CT series.
report::DicomRtdoseWritten dicom_rtdose(const std::filesystem::path& dose_nifti, const std::filesystem::path& ct_dir,
                            const std::filesystem::path& out_dcm, const std::string& series_uid);

// De-identification of a folder with the key in key_file (or $SIRTKIT_REGISTRY_KEY when empty).
// Its report names inputs by index only: no path or value of an input.
io::DeidReport dicom_deid(const std::filesystem::path& in_dir, const std::filesystem::path& out_dir,
                          const std::string& key_file, const io::DeidOptions& options = {});

}  // namespace sirtkit::pipelines
