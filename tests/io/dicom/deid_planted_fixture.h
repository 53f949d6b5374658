#pragma once
// A study full of planted identifiers for the de-identification tests (io and
// cli): a CT series and an RTSTRUCT with names, ids, dates, URLs and free text
// in attributes inside and outside PS3.15 Table E.1-1, in sequences nested
// five deep, in private tags, in overlays and curves, and in elements stored
// with VR UN (a text, a UID, and a sequence with a nested sequence appended
// as raw bytes). Every planted string is returned, so a test can scan each
// output byte for it.

#include <dcmtk/dcmdata/dctk.h>

#include <fstream>
#include <string>
#include <vector>

#include "../dicom_fixture.h"

namespace sirtkit::io::fixture {

struct PlantedStudy {
  fs::path in;
  SeriesSpec ct;
  std::vector<fs::path> ct_files;
  fs::path rtstruct;
  std::string ct_instance0;
  std::vector<std::string> planted;  // every string that must not reach any output
};

inline void le16(std::string& b, Uint16 v) {
  b += static_cast<char>(v & 0xFF);
  b += static_cast<char>(v >> 8);
}
inline void le32(std::string& b, Uint32 v) {
  le16(b, static_cast<Uint16>(v & 0xFFFF));
  le16(b, static_cast<Uint16>(v >> 16));
}
// One implicit-VR little-endian element (the encoding inside a UN sequence, PS3.5 6.2.2).
inline std::string implicit_element(Uint16 g, Uint16 e, std::string value) {
  if (value.size() % 2) value += ' ';
  std::string b;
  le16(b, g), le16(b, e), le32(b, static_cast<Uint32>(value.size()));
  return b + value;
}
// Items of undefined length, closed by delimiters; `header` opens the sequence.
inline std::string items_of(std::string header, const std::vector<std::string>& items) {
  for (const auto& content : items) {
    le16(header, 0xFFFE), le16(header, 0xE000), le32(header, 0xFFFFFFFF);
    header += content;
    le16(header, 0xFFFE), le16(header, 0xE00D), le32(header, 0);
  }
  le16(header, 0xFFFE), le16(header, 0xE0DD), le32(header, 0);
  return header;
}
inline std::string implicit_sequence(Uint16 g, Uint16 e, const std::vector<std::string>& items) {
  std::string h;
  le16(h, g), le16(h, e), le32(h, 0xFFFFFFFF);
  return items_of(h, items);
}
// An explicit-VR element with VR UN and undefined length holding a sequence.
inline std::string un_sequence(Uint16 g, Uint16 e, const std::vector<std::string>& items) {
  std::string h;
  le16(h, g), le16(h, e);
  h += "UN";
  le16(h, 0), le32(h, 0xFFFFFFFF);
  return items_of(h, items);
}

inline void put_un(DcmItem& ds, const DcmTagKey& key, std::string value) {
  if (value.size() % 2) value += '\0';
  ds.findAndDeleteElement(key);
  auto* un = new DcmOtherByteOtherWord(DcmTag(key, EVR_UN));
  un->putUint8Array(reinterpret_cast<const Uint8*>(value.data()), static_cast<unsigned long>(value.size()));
  ds.insert(un, true);
}

inline PlantedStudy plant_study(const fs::path& in) {
  PlantedStudy p;
  p.in = in;
  fs::create_directories(in);
  image::Volume<float> v(oblique_grid(4, 3, 3));
  for (std::size_t n = 0; n < v.data.size(); ++n) v.data[n] = static_cast<float>(n * 7 % 300) - 100;
  p.ct_files = write_slices(in, v, p.ct);
  p.planted = {"DOE", "Doe", "JANE", "Jane", "PID-12345", "Saint Example", "HOUSE", "GREGORY", "ACC998877", "19510317", "20240115",
               "20240117", p.ct.study_uid, p.ct.series_uid, p.ct.frame_of_reference_uid};
  const auto plant = [&](const std::string& s) {
    p.planted.push_back(s);
    return s;
  };
  for (const auto& f : p.ct_files) {
    DcmFileFormat ff;
    ff.loadFile(f.c_str());
    OFString uid;
    ff.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, uid);
    p.planted.push_back(uid.c_str());
  }
  for (const auto& f : p.ct_files)
    edit_file(f, [&](DcmDataset& ds) {
      put(ds, DCM_AcquisitionDate, "20240117");  // two days after the study date
      put(ds, DCM_AcquisitionTime, "143000");
      put(ds, DCM_PatientAddress, "12 Secret Lane, Springfield");
      put(ds, DCM_OperatorsName, "TECH^TOM");
      put(ds, DCM_StudyDescription, "Y90 workup for Jane Doe");
      put(ds, DCM_DeviceSerialNumber, "SN-4455");
      put(ds, DCM_RetrieveURL, "https://pacs.stmungo-secret.example/wado?mrn=MRN0042");
      put(ds, DCM_PatientBirthDateInAlternativeCalendar, "ALTCAL-5711");
      put(ds, DCM_CommentsOnRadiationDose, "DOSE-NOTE-KOWALSKI");
      put(ds, DCM_ImageComments, "IMG-COMMENT-PATEL");
      put(ds, DCM_TextValue, "TEXTVALUE-GARCIA");
      put(ds, DCM_StationName, "STATION-WARD9");
      put(ds, DCM_RetrieveAETitle, "PACS_SECRET_AE");
      put(ds, DCM_PerformingPhysicianName, "PERFORMER^BEATRIX");
      put(ds, DCM_ContentCreatorName, "CREATOR^ALICE");
      put(ds, DCM_PatientComments, "PATCOMMENT-OYELARAN");
      put(ds, DCM_ConvolutionKernel, "KERNEL-ABERNATHY");
      // Overlay (6000,xxxx) and curve (5000,xxxx) groups.
      ds.putAndInsertUint16(DcmTag(0x6000, 0x0010), 3);
      ds.putAndInsertUint16(DcmTag(0x6000, 0x0011), 4);
      put(ds, DcmTag(0x6000, 0x0022), "OVL-DESC-NGUYEN");
      put(ds, DcmTag(0x6000, 0x1500), "OVL-LABEL-ROSSI");
      put(ds, DcmTag(0x6000, 0x4000), "OVL-COMMENT-SMITH");
      put(ds, DcmTag(0x5000, 0x0022), "CURVE-DESC-MUELLER");
      DcmItem* other = nullptr;
      ds.findOrCreateSequenceItem(DCM_OtherPatientIDsSequence, other, 0);
      put(*other, DCM_PatientID, "OTHER-777");
      DcmItem* req = nullptr;
      ds.findOrCreateSequenceItem(DCM_RequestAttributesSequence, req, 0);
      put(*req, DCM_RequestedProcedureID, "RP-31337");
      // A whitelisted sequence with identifiers in its items, five levels deep.
      DcmItem* ref = nullptr;
      ds.findOrCreateSequenceItem(DCM_ReferencedImageSequence, ref, 0);
      put(*ref, DCM_ReferencedSOPClassUID, UID_CTImageStorage);
      put(*ref, DCM_ReferencedSOPInstanceUID, p.ct.study_uid + ".9");
      put(*ref, DCM_ReferringPhysicianName, "DEEP^NESTED^PERSON");
      DcmItem* code = nullptr;
      ref->findOrCreateSequenceItem(DCM_PurposeOfReferenceCodeSequence, code, 0);
      put(*code, DCM_CodeMeaning, "CODE-MEANING-LEAK");
      DcmItem* level = ref;
      for (int depth = 0; depth < 4; ++depth) {
        DcmItem* next = nullptr;
        level->findOrCreateSequenceItem(DCM_ReferencedImageSequence, next, 0);
        level = next;
      }
      put(*level, DCM_InstitutionName, "DEEPEST-LO-HIDDEN");
      put(*level, DCM_PatientName, "DEEPEST^PN^HIDDEN");
      // Private tags.
      ds.putAndInsertString(DcmTag(0x0009, 0x0010, EVR_LO), "ACME PRIVATE");
      ds.putAndInsertString(DcmTag(0x0009, 0x1001, EVR_LO), "SECRET-DOE-MRN");
      // Elements stored with VR UN: a whitelisted UID, a known text, an unknown public tag.
      put_un(ds, DCM_FrameOfReferenceUID, p.ct.frame_of_reference_uid);
      put_un(ds, DCM_StationName, "UN-STATION-IVANOV");
      put_un(ds, DcmTagKey(0x0018, 0x9F99), "UNKNOWN-TAG-OKAFOR");
    });
  for (const char* s : {"Secret Lane", "TECH^TOM", "SN-4455", "stmungo", "MRN0042", "ALTCAL-5711", "DOSE-NOTE-KOWALSKI",
                        "IMG-COMMENT-PATEL", "TEXTVALUE-GARCIA", "STATION-WARD9", "PACS_SECRET_AE", "PERFORMER", "BEATRIX",
                        "CREATOR^ALICE", "PATCOMMENT-OYELARAN", "KERNEL-ABERNATHY", "OVL-DESC-NGUYEN", "OVL-LABEL-ROSSI",
                        "OVL-COMMENT-SMITH", "CURVE-DESC-MUELLER", "OTHER-777", "RP-31337", "DEEP^NESTED", "CODE-MEANING-LEAK",
                        "DEEPEST-LO-HIDDEN", "DEEPEST^PN", "ACME", "SECRET", "UN-STATION-IVANOV", "UNKNOWN-TAG-OKAFOR"})
    plant(s);
  p.planted.push_back(p.ct.study_uid + ".9");
  DcmFileFormat f0;
  f0.loadFile(p.ct_files[0].c_str());
  OFString uid0;
  f0.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, uid0);
  p.ct_instance0 = uid0.c_str();

  // An RTSTRUCT in the same study and frame of reference, pointing at slice 0.
  DcmFileFormat rs;
  DcmDataset& ds = *rs.getDataset();
  SeriesSpec s = p.ct;
  s.modality = "RTSTRUCT";
  s.sop_class = UID_RTStructureSetStorage;
  s.series_uid = new_uid();
  p.planted.push_back(s.series_uid);
  put_common(ds, s, new_uid());
  put(ds, DCM_StructureSetLabel, plant("SSLABEL-ZHANG"));
  put(ds, DCM_StructureSetName, plant("SSNAME-OKONKWO"));
  put(ds, DCM_StructureSetDescription, plant("SSDESC-FERREIRA"));
  put(ds, DCM_StructureSetDate, "20240115");
  DcmItem* rfor = nullptr;
  ds.findOrCreateSequenceItem(DCM_ReferencedFrameOfReferenceSequence, rfor, 0);
  put(*rfor, DCM_FrameOfReferenceUID, p.ct.frame_of_reference_uid);
  const char* names[] = {"Tumour", "Doe liver", "Liver 19510317"};
  for (int r = 0; r < 3; ++r) {
    DcmItem* roi = nullptr;
    ds.findOrCreateSequenceItem(DCM_StructureSetROISequence, roi, r);
    put(*roi, DCM_ROINumber, std::to_string(r + 1));
    put(*roi, DCM_ReferencedFrameOfReferenceUID, p.ct.frame_of_reference_uid);
    put(*roi, DCM_ROIName, names[r]);
    put(*roi, DCM_ROIDescription, plant("ROIDESC-YAMADA" + std::to_string(r)));
    DcmItem* obs = nullptr;
    ds.findOrCreateSequenceItem(DCM_RTROIObservationsSequence, obs, r);
    put(*obs, DCM_ObservationNumber, std::to_string(r + 1));
    put(*obs, DCM_ReferencedROINumber, std::to_string(r + 1));
    put(*obs, DCM_RTROIInterpretedType, "ORGAN");
    put(*obs, DCM_ROIInterpreter, plant("INTERP^LINDQVIST" + std::to_string(r)));
    put(*obs, DCM_ROIObservationLabel, plant("OBSLABEL-HASSAN" + std::to_string(r)));
  }
  DcmItem* rc = nullptr;
  ds.findOrCreateSequenceItem(DCM_ROIContourSequence, rc, 0);
  put(*rc, DCM_ReferencedROINumber, "1");
  DcmItem* c = nullptr;
  rc->findOrCreateSequenceItem(DCM_ContourSequence, c, 0);
  put(*c, DCM_ContourGeometricType, "CLOSED_PLANAR");
  DcmItem* img = nullptr;
  c->findOrCreateSequenceItem(DCM_ContourImageSequence, img, 0);
  put(*img, DCM_ReferencedSOPClassUID, UID_CTImageStorage);
  put(*img, DCM_ReferencedSOPInstanceUID, p.ct_instance0);
  fs::create_directories(in / "sub");
  p.rtstruct = in / "sub" / "rs.dcm";
  if (rs.saveFile(p.rtstruct.c_str(), EXS_LittleEndianExplicit).bad()) throw std::runtime_error("cannot write the RTSTRUCT");
  // A sequence stored as UN (undefined length, PS3.5 6.2.2) with a name, a date and
  // a nested sequence holding an identifier, appended after the last element.
  const std::string nested = implicit_sequence(0x0040, 0x0275, {implicit_element(0x0010, 0x0020, plant("UNNEST-4242"))});
  const std::string item = implicit_element(0x0008, 0x0020, plant("20230405")) +
                           implicit_element(0x0010, 0x0010, plant("UNSEQ^HIDDEN")) + nested;
  std::ofstream(p.rtstruct, std::ios::binary | std::ios::app) << un_sequence(0x3008, 0x0010, {item});
  std::ofstream(in / "sub" / "DOE_JANE_notes.txt") << "Jane Doe, PID-12345\n";
  return p;
}

}  // namespace sirtkit::io::fixture
