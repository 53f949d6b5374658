#include "io/dicom/rtdose.h"

#include <dcmtk/dcmrt/drmdose.h>
#include <itkGDCMImageIO.h>
#include <itkImage.h>
#include <itkImageFileReader.h>
#include <itkMetaDataObject.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/format.h"
#include "core/version.h"
#include "image/geometry_check.h"
#include "io/dicom/dicom_series.h"
#include "io/dicom/dicom_guard.h"
#include "io/dicom/dicom_tags.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using dicom::get_string;
using dicom::tag_name;

// Decimal String (PS3.5 6.2): at most 16 characters; as many digits as fit.
std::string ds(double v, int digits = 12) {
  if (std::abs(v) < 1e-12) v = 0;  // a cosine of 1e-17 is 0, not 17 characters
  char buf[40];
  for (; digits > 1; --digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strlen(buf) <= 16) break;
  }
  return buf;
}

std::string ds_list(std::initializer_list<double> values) {
  std::string s;
  for (double v : values) s += (s.empty() ? "" : "\\") + ds(v);
  return s;
}

void put(DcmItem& item, const DcmTagKey& key, const std::string& value) {
  if (item.putAndInsertOFStringArray(key, value.c_str()).bad())
    throw Error(ErrorCategory::internal, "cannot set " + tag_name(key) + " to " + value);
}

std::string new_uid() {
  char buf[100];
  dcmGenerateUniqueIdentifier(buf, SITE_INSTANCE_UID_ROOT);
  return buf;
}

}  // namespace

DicomReference read_dicom_reference(const fs::path& file_or_dir, const std::string& series_uid) {
  fs::path file = file_or_dir;
  if (fs::is_directory(file_or_dir)) {
    const DicomVolume v = read_dicom_series(file_or_dir, series_uid);  // checks the series is one valid image
    file = v.files.front();
  }
  const auto ff = read_dicom_guarded(file);
  DcmDataset& d = *ff->getDataset();
  DicomReference r;
  // Patient (C.7.1.1) and General Study (C.7.2.1) modules are copied so the
  // dose joins the same patient and study; Frame of Reference (C.7.4.1) so it
  // overlays on the CT.
  r.patient_name = get_string(d, DCM_PatientName);
  r.patient_id = get_string(d, DCM_PatientID);
  r.patient_birth_date = get_string(d, DCM_PatientBirthDate);
  r.patient_sex = get_string(d, DCM_PatientSex);
  r.study_uid = get_string(d, DCM_StudyInstanceUID);
  r.study_date = get_string(d, DCM_StudyDate);
  r.study_time = get_string(d, DCM_StudyTime);
  r.study_id = get_string(d, DCM_StudyID);
  r.accession_number = get_string(d, DCM_AccessionNumber);
  r.referring_physician = get_string(d, DCM_ReferringPhysicianName);
  r.frame_of_reference_uid = get_string(d, DCM_FrameOfReferenceUID);
  r.series_uid = get_string(d, DCM_SeriesInstanceUID);
  if (r.study_uid.empty()) fail_input(file.string(), tag_name(DCM_StudyInstanceUID), "(missing)", "the study the dose belongs to");
  if (r.frame_of_reference_uid.empty())
    fail_input(file.string(), tag_name(DCM_FrameOfReferenceUID), "(missing)", "the frame of reference the dose is placed in");
  return r;
}

double write_rtdose(const fs::path& path, const image::Volume<float>& dose_gy, const DicomReference& ref,
                    const std::string& series_description) {
  static_assert(std::endian::native == std::endian::little, "RTDOSE pixel encoding assumes a little-endian host");
  const auto& g = dose_gy.grid;
  if (g.voxel_count() == 0 || dose_gy.data.size() != g.voxel_count())
    fail_input(path.string(), "dose grid", image::describe(g), "a non-empty dose volume");
  if (g.size[0] > 65535 || g.size[1] > 65535) fail_input(path.string(), "dose grid", image::describe(g), "at most 65535 rows and columns");
  double max_gy = 0;
  for (std::size_t n = 0; n < dose_gy.data.size(); ++n) {
    const float v = dose_gy.data[n];
    if (!std::isfinite(v) || v < 0)
      fail_input(path.string(), "dose voxel " + std::to_string(n), num(v), "a finite dose >= 0 Gy");
    max_gy = std::max(max_gy, static_cast<double>(v));
  }
  // Dose Grid Scaling (3004,000E), PS3.3 C.8.8.3: dose = stored · scaling.
  // Written with 10 digits (DS holds 16 characters); the written value is the
  // one used, rounded up so the largest dose fits in 32 bits.
  double scaling = max_gy > 0 ? max_gy / 4294967295.0 : 1.0;
  std::string scaling_text = ds(scaling, 10);
  while (std::stod(scaling_text) * 4294967295.0 < max_gy) {
    scaling *= 1 + 1e-9;
    scaling_text = ds(scaling, 10);
  }
  scaling = std::stod(scaling_text);
  std::vector<std::uint32_t> stored(dose_gy.data.size());
  for (std::size_t n = 0; n < stored.size(); ++n)
    stored[n] = static_cast<std::uint32_t>(std::min(4294967295.0, std::llround(dose_gy.data[n] / scaling) * 1.0));

  DcmFileFormat file;
  DcmDataset& d = *file.getDataset();
  // SOP Common (C.12.1), RT Series (C.8.8.1), General Equipment (C.7.5.1).
  put(d, DCM_SpecificCharacterSet, "ISO_IR 192");
  put(d, DCM_SOPClassUID, UID_RTDoseStorage);
  put(d, DCM_SOPInstanceUID, new_uid());
  put(d, DCM_Modality, "RTDOSE");
  put(d, DCM_SeriesInstanceUID, new_uid());
  put(d, DCM_SeriesNumber, "9001");
  put(d, DCM_SeriesDescription, series_description);
  put(d, DCM_OperatorsName, "");
  put(d, DCM_Manufacturer, "sirtkit");
  put(d, DCM_ManufacturerModelName, "sirtkit");
  put(d, DCM_SoftwareVersions, version());
  OFString date, time;
  DcmDate::getCurrentDate(date);
  DcmTime::getCurrentTime(time);
  put(d, DCM_InstanceCreationDate, date.c_str());
  put(d, DCM_InstanceCreationTime, time.c_str());
  put(d, DCM_ContentDate, date.c_str());
  put(d, DCM_ContentTime, time.c_str());
  put(d, DCM_InstanceNumber, "1");
  // Patient (C.7.1.1) and General Study (C.7.2.1): the reference image's.
  put(d, DCM_PatientName, ref.patient_name);
  put(d, DCM_PatientID, ref.patient_id);
  put(d, DCM_PatientBirthDate, ref.patient_birth_date);
  put(d, DCM_PatientSex, ref.patient_sex);
  put(d, DCM_StudyInstanceUID, ref.study_uid);
  put(d, DCM_StudyDate, ref.study_date);
  put(d, DCM_StudyTime, ref.study_time);
  put(d, DCM_StudyID, ref.study_id);
  put(d, DCM_AccessionNumber, ref.accession_number);
  put(d, DCM_ReferringPhysicianName, ref.referring_physician);
  // Frame of Reference (C.7.4.1): the CT's, so the dose overlays on it.
  put(d, DCM_FrameOfReferenceUID, ref.frame_of_reference_uid);
  put(d, DCM_PositionReferenceIndicator, "");
  // Image Plane (C.7.6.2): position of the first voxel, row/column cosines, row spacing first.
  const auto& m = g.direction;
  put(d, DCM_ImagePositionPatient, ds_list({g.origin_mm[0], g.origin_mm[1], g.origin_mm[2]}));
  put(d, DCM_ImageOrientationPatient, ds_list({m[0], m[3], m[6], m[1], m[4], m[7]}));
  put(d, DCM_PixelSpacing, ds_list({g.spacing_mm[1], g.spacing_mm[0]}));
  put(d, DCM_SliceThickness, ds(g.spacing_mm[2]));
  // Image Pixel (C.7.6.3) as C.8.8.3.4.1 requires for RT Dose: 32-bit unsigned grey.
  d.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  put(d, DCM_PhotometricInterpretation, "MONOCHROME2");
  d.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(g.size[1]));
  d.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(g.size[0]));
  d.putAndInsertUint16(DCM_BitsAllocated, 32);
  d.putAndInsertUint16(DCM_BitsStored, 32);
  d.putAndInsertUint16(DCM_HighBit, 31);
  d.putAndInsertUint16(DCM_PixelRepresentation, 0);
  // Multi-frame (C.7.6.6): frames advance along the Grid Frame Offset Vector.
  put(d, DCM_NumberOfFrames, std::to_string(g.size[2]));
  d.putAndInsertTagKey(DCM_FrameIncrementPointer, DCM_GridFrameOffsetVector);
  // RT Dose (C.8.8.3): Gy, physical dose, offsets relative to the first frame (first = 0).
  put(d, DCM_DoseUnits, "GY");
  put(d, DCM_DoseType, "PHYSICAL");
  put(d, DCM_DoseComment, "Y-90 radioembolization absorbed dose computed by sirtkit");
  put(d, DCM_DoseSummationType, "PLAN");
  std::string offsets;
  for (int k = 0; k < g.size[2]; ++k) offsets += (k ? "\\" : "") + ds(k * g.spacing_mm[2]);
  put(d, DCM_GridFrameOffsetVector, offsets);
  put(d, DCM_DoseGridScaling, scaling_text);
  d.putAndInsertUint16Array(DCM_PixelData, reinterpret_cast<const Uint16*>(stored.data()), stored.size() * 2);

  AtomicPath out(path);
  const OFCondition c = file.saveFile(out.temp().c_str(), EXS_LittleEndianExplicit);
  if (c.bad()) fail_io(path.string(), std::string("cannot write RTDOSE: ") + c.text());
  out.commit();
  return scaling;
}

RtDose read_rtdose(const fs::path& path) {
  const auto file = read_dicom_guarded(path);
  DRTDose dose;
  const OFCondition c = dose.read(*file->getDataset());
  if (c.bad()) fail_input(path.string(), "RT Dose IOD", c.text(), "a valid RTDOSE object (PS3.3 A.18)");
  OFString units;
  dose.getDoseUnits(units);
  if (units != "GY") fail_input(path.string(), tag_name(DCM_DoseUnits), units.empty() ? "(missing)" : units.c_str(), "GY");
  RtDose out;
  // Geometry by the same rules as every image series (Grid Frame Offset Vector, C.8.8.3.2).
  DicomVolume v = read_dicom_series(path);
  out.dose_gy.grid = v.volume.grid;
  out.dose_gy.data.assign(v.volume.grid.voxel_count(), 0.f);
  dose.getDoseGridScaling(out.dose_grid_scaling);
  OFString for_uid;
  dose.getFrameOfReferenceUID(for_uid);
  out.frame_of_reference_uid = for_uid.c_str();
  // Values through dcmrt (stored value times Dose Grid Scaling).
  const auto& g = out.dose_gy.grid;
  for (int k = 0; k < g.size[2]; ++k) {
    OFVector<double> frame;
    if (dose.getDoseImage(frame, static_cast<unsigned>(k)).bad() ||
        frame.size() != static_cast<std::size_t>(g.size[0]) * g.size[1])
      fail_input(path.string(), tag_name(DCM_PixelData), "frame " + std::to_string(k + 1), "a readable dose frame");
    for (std::size_t n = 0; n < frame.size(); ++n) out.dose_gy.data[k * frame.size() + n] = static_cast<float>(frame[n]);
  }
  return out;
}

image::Volume<float> read_rtdose_with_itk(const fs::path& path) {
  using Img = itk::Image<float, 3>;
  prescan_dicom(path);  // GDCM parses recursively too: the guard walks the bytes first
  auto reader = itk::ImageFileReader<Img>::New();
  reader->SetImageIO(itk::GDCMImageIO::New());
  reader->SetFileName(path.string());
  try {
    reader->Update();
  } catch (const itk::ExceptionObject& e) {
    fail_io(path.string(), std::string("ITK cannot read the RTDOSE: ") + e.GetDescription());
  }
  const Img* img = reader->GetOutput();
  // GDCM (as bundled with ITK 5.2) returns the stored values of an RTDOSE:
  // Dose Grid Scaling (3004,000E) is applied here from ITK's tag dictionary.
  std::string scaling_text;
  if (!itk::ExposeMetaData<std::string>(reader->GetImageIO()->GetMetaDataDictionary(), "3004|000e", scaling_text))
    fail_input(path.string(), tag_name(DCM_DoseGridScaling), "(missing)", "the scaling from stored values to Gy");
  double scaling = 0;
  try {
    scaling = std::stod(scaling_text);
  } catch (...) {
    fail_input(path.string(), tag_name(DCM_DoseGridScaling), scaling_text, "a decimal number");
  }
  image::Grid g;
  for (int d = 0; d < 3; ++d) {
    g.size[d] = static_cast<int>(img->GetLargestPossibleRegion().GetSize()[d]);
    g.spacing_mm[d] = img->GetSpacing()[d];
    g.origin_mm[d] = img->GetOrigin()[d];
    for (int e = 0; e < 3; ++e) g.direction[3 * d + e] = img->GetDirection()[d][e];
  }
  image::Volume<float> v(g);
  const float* buffer = img->GetBufferPointer();
  for (std::size_t n = 0; n < v.data.size(); ++n) v.data[n] = static_cast<float>(buffer[n] * scaling);
  return v;
}

}  // namespace sirtkit::io
