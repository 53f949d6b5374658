#include "io/dicom/dicom_deid.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "core/atomic_file.h"
#include "core/date_time.h"
#include "core/error.h"
#include "deid_planted_fixture.h"
#include "../dicom_fixture.h"
#include "io/text_formats/csv_table.h"
#include "io/dicom/dicom_pixels.h"
#include "io/dicom/dicom_series.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using namespace fixture;

const std::string kKey = "0123456789abcdef0123456789abcdef-test-key";

// The pseudonymous UID deidentify_folder gives a file of the planted patient
// (DOE^JANE, PID-12345, born 19510317: the one digit run a UID must not hold).
std::string planted_uid(const std::string& uid) {
  return pseudonymous_uid(kKey, uid, patient_digit_runs({"PID-12345", "DOE^JANE", "19510317"}));
}

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string get(DcmItem& ds, const DcmTagKey& key) {
  OFString v;
  ds.findAndGetOFStringArray(key, v);
  return v.c_str();
}

std::vector<Uint8> pixels_of(const fs::path& p) {
  DcmFileFormat f;
  EXPECT_TRUE(f.loadFile(p.c_str()).good());
  DcmElement* e = nullptr;
  f.getDataset()->findAndGetElement(DCM_PixelData, e);
  Uint16* w = nullptr;
  e->getUint16Array(w);
  const auto* b = reinterpret_cast<const Uint8*>(w);
  return std::vector<Uint8>(b, b + e->getLength());
}

fs::path out_dir(const std::string& name) {
  const fs::path out = fs::temp_directory_path() / ("sirtkit_test_" + name + "_out");
  fs::remove_all(out);
  return out;
}

// Every file and folder below `root` (relative names) and every file's bytes.
std::vector<std::pair<std::string, std::string>> everything_below(const fs::path& root) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    out.push_back({fs::relative(e.path(), root).string(), e.is_regular_file() ? bytes_of(e.path()) : ""});
  return out;
}

// Names beside `out` left by a run (the temporary folder must not survive).
std::vector<std::string> leftovers_beside(const fs::path& out) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(out.parent_path()))
    if (e.path().filename().string().rfind("." + out.filename().string() + ".deid-", 0) == 0) names.push_back(e.path().filename());
  return names;
}

fs::path single_ct(const fs::path& dir, const std::function<void(DcmDataset&)>& edit, SeriesSpec spec = {}) {
  fs::create_directories(dir);
  image::Volume<float> v(oblique_grid(2, 2, 1));
  const auto files = write_slices(dir, v, spec);
  edit_file(files[0], edit);
  return files[0];
}

}  // namespace

TEST(DicomDeid, NoPlantedIdentifierInAnyOutputByteOrName) {
  const PlantedStudy p = plant_study(fresh_dir("deid"));
  const fs::path out = out_dir("deid");
  const DeidReport r = deidentify_folder(p.in, out, kKey);
  EXPECT_EQ(r.inputs, 5u);
  EXPECT_EQ(r.files_written, 4);
  EXPECT_EQ(r.skipped_not_dicom, 1);
  EXPECT_TRUE(r.refused.empty());
  EXPECT_EQ(r.private_removed, 3 * 2);  // creator + element in each slice
  EXPECT_GE(r.un_removed, 3);           // the unknown tag and Station Name in each slice (the UN UID is converted)
  EXPECT_EQ(r.labels_replaced, 2);      // "Doe liver" and "Liver 19510317"

  const auto all = everything_below(out);
  int files = 0;
  for (const auto& [name, bytes] : all) {
    files += !bytes.empty();
    for (const auto& s : p.planted) {
      EXPECT_EQ(bytes.find(s), std::string::npos) << "'" << s << "' in " << name;
      EXPECT_EQ(name.find(s), std::string::npos) << "'" << s << "' in the name " << name;
    }
  }
  EXPECT_EQ(files, 4);
  for (const auto& w : r.written) {
    const std::string b = bytes_of(w);
    EXPECT_FALSE(b.empty());
    EXPECT_TRUE(w.string().rfind(out.string(), 0) == 0) << w;
  }

  // Pixel data byte for byte, matched through the pseudonymous instance UID.
  for (const auto& f : p.ct_files) {
    DcmFileFormat in;
    in.loadFile(f.c_str());
    const std::string uid = planted_uid(get(*in.getDataset(), DCM_SOPInstanceUID));
    const fs::path target = out / patient_pseudonym(kKey, "PID-12345") / planted_uid(p.ct.series_uid) / (uid + ".dcm");
    ASSERT_TRUE(fs::exists(target)) << target;
    EXPECT_EQ(pixels_of(target), pixels_of(f));
    DcmFileFormat o;
    ASSERT_TRUE(o.loadFile(target.c_str()).good());
    DcmDataset& d = *o.getDataset();
    // Nothing outside the whitelist and the de-identification marks survives.
    for (unsigned long n = 0; n < d.card(); ++n) {
      const DcmTagKey t = d.getElement(n)->getTag();
      EXPECT_NE(t.getGroup() % 2, 1) << t.toString();
      EXPECT_NE(t.getGroup() & 0xFF00, 0x6000) << t.toString();
      EXPECT_NE(t.getGroup() & 0xFF00, 0x5000) << t.toString();
      EXPECT_NE(d.getElement(n)->ident(), EVR_UN) << t.toString();
    }
    // Inside the whitelisted sequence, only the reference survives, five levels down too.
    DcmItem* ref = nullptr;
    ASSERT_TRUE(d.findAndGetSequenceItem(DCM_ReferencedImageSequence, ref, 0).good());
    EXPECT_EQ(get(*ref, DCM_ReferencedSOPInstanceUID), planted_uid(p.ct.study_uid + ".9"));
    EXPECT_FALSE(ref->tagExists(DCM_ReferringPhysicianName));
    EXPECT_FALSE(ref->tagExists(DCM_PurposeOfReferenceCodeSequence));
  }
}

TEST(DicomDeid, UidsConsistentDatesShiftedIntervalsKeptLabelsScreened) {
  const PlantedStudy p = plant_study(fresh_dir("deid2"));
  const fs::path out = out_dir("deid2");
  deidentify_folder(p.in, out, kKey);
  const fs::path patient = out / patient_pseudonym(kKey, "PID-12345");
  // The CT still reads as one valid series, in a new frame of reference (one
  // slice's Frame of Reference UID was stored as UN: converted, then replaced alike).
  const DicomVolume v = read_dicom_series(out);
  EXPECT_EQ(v.frame_of_reference_uid, planted_uid(p.ct.frame_of_reference_uid));
  EXPECT_EQ(v.volume.grid.size, (std::array<int, 3>{4, 3, 3}));

  DcmFileFormat ct;
  ASSERT_TRUE(ct.loadFile(v.files[0].c_str()).good());
  DcmDataset& d = *ct.getDataset();
  const int shift = patient_date_shift_days(kKey, "PID-12345");
  EXPECT_NE(shift, 0);
  const std::int64_t study = sirtkit::days_from_civil(2024, 1, 15) + shift;
  const std::string study_date = get(d, DCM_StudyDate), acq_date = get(d, DCM_AcquisitionDate);
  ASSERT_EQ(study_date.size(), 8u);
  const auto days = [](const std::string& s) {
    return sirtkit::days_from_civil(std::stoi(s.substr(0, 4)), static_cast<unsigned>(std::stoi(s.substr(4, 2))),
                                    static_cast<unsigned>(std::stoi(s.substr(6, 2))));
  };
  EXPECT_EQ(days(study_date), study);
  EXPECT_EQ(days(acq_date) - days(study_date), 2);  // the interval survives
  EXPECT_EQ(get(d, DCM_AcquisitionTime), "143000");
  EXPECT_EQ(get(d, DCM_PatientIdentityRemoved), "YES");
  EXPECT_EQ(get(d, DCM_LongitudinalTemporalInformationModified), "MODIFIED");
  EXPECT_EQ(get(d, DCM_PatientID), patient_pseudonym(kKey, "PID-12345"));
  EXPECT_EQ(get(d, DCM_SOPClassUID), UID_CTImageStorage);  // class UIDs are not instance identifiers
  EXPECT_EQ(get(*ct.getMetaInfo(), DCM_MediaStorageSOPInstanceUID), get(d, DCM_SOPInstanceUID));
  EXPECT_FALSE(d.tagExists(DCM_PatientBirthDate));
  EXPECT_FALSE(d.tagExists(DCM_InstitutionName));

  // The RTSTRUCT still points at the (renamed) CT slice and frame of reference;
  // a plain ROI name is kept, names holding identifiers are replaced by the ROI number.
  const fs::path rs_dir = [&] {
    for (const auto& e : fs::directory_iterator(patient))
      if (e.path().filename() != planted_uid(p.ct.series_uid)) return e.path();
    return fs::path();
  }();
  DcmFileFormat rs;
  ASSERT_TRUE(rs.loadFile(fs::directory_iterator(rs_dir)->path().c_str()).good());
  DcmDataset& r = *rs.getDataset();
  OFString ref;
  r.findAndGetOFString(DCM_ReferencedSOPInstanceUID, ref, 0, true);
  EXPECT_EQ(std::string(ref.c_str()), planted_uid(p.ct_instance0));
  r.findAndGetOFString(DCM_ReferencedFrameOfReferenceUID, ref, 0, true);
  EXPECT_EQ(std::string(ref.c_str()), v.frame_of_reference_uid);
  std::vector<std::string> names;
  for (int i = 0; i < 3; ++i) {
    DcmItem* roi = nullptr;
    ASSERT_TRUE(r.findAndGetSequenceItem(DCM_StructureSetROISequence, roi, i).good());
    names.push_back(get(*roi, DCM_ROIName));
    EXPECT_FALSE(roi->tagExists(DCM_ROIDescription));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Tumour", "ROI 2", "ROI 3"}));
  EXPECT_EQ(days(get(r, DCM_StructureSetDate)), study);
  EXPECT_FALSE(r.tagExists(DCM_StructureSetLabel));
  EXPECT_FALSE(r.tagExists(DcmTagKey(0x3008, 0x0010)));  // the UN sequence

  // Same key, same pseudonyms; another key, others.
  EXPECT_EQ(pseudonymous_uid(kKey, "1.2.3"), pseudonymous_uid(kKey, "1.2.3"));
  EXPECT_NE(pseudonymous_uid(kKey, "1.2.3"), pseudonymous_uid(kKey + "x", "1.2.3"));
  EXPECT_LE(pseudonymous_uid(kKey, "1.2.3").size(), 64u);
  EXPECT_EQ(pseudonymous_uid(kKey, "1.2.3").rfind("2.25.", 0), 0u);
}

// A pseudonymous UID is 39 digits from an HMAC: by chance it can hold the
// patient's birth date or record number, which a scanner of the output would
// report as a leak. Such a UID is derived again, the same way for every file.
TEST(DicomDeid, PseudonymousUidNeverHoldsThePatientsDigitRuns) {
  EXPECT_EQ(patient_digit_runs({"PID-123456", "DOE^JANE", "19510317", "MRN 12345", "A1234567B"}),
            (std::vector<std::string>{"123456", "19510317", "1234567"}));
  for (const std::string uid : {"1.2.3", "1.2.840.10008.9.1", "2.25.42"}) {
    const std::string first = pseudonymous_uid(kKey, uid);
    const std::string run = first.substr(9, 8);  // eight of its digits, as if they were a birth date
    const std::string again = pseudonymous_uid(kKey, uid, {run});
    EXPECT_EQ(again.find(run), std::string::npos) << uid;
    EXPECT_NE(again, first);
    EXPECT_EQ(again.rfind("2.25.", 0), 0u);
    EXPECT_EQ(again, pseudonymous_uid(kKey, uid, {run}));                   // the same in every file
    EXPECT_EQ(pseudonymous_uid(kKey, uid, {"00000000000000000000"}), first);  // nothing to avoid: unchanged
  }
}

TEST(DicomDeid, PetKeepsWhatSuvAndDecayNeedWithDatesShiftedAlike) {
  const fs::path in = fresh_dir("deid_pet");
  SeriesSpec pet;
  pet.modality = "PT";
  pet.sop_class = UID_PositronEmissionTomographyImageStorage;
  image::Volume<float> v(oblique_grid(3, 3, 2));
  for (std::size_t n = 0; n < v.data.size(); ++n) v.data[n] = static_cast<float>(n * 11 % 50);
  for (const auto& f : write_slices(in, v, pet)) edit_file(f, [](DcmDataset& ds) { put(ds, DCM_PatientWeight, "71.5"); });
  const fs::path out = out_dir("deid_pet");
  deidentify_folder(in, out, kKey);
  const DicomVolume d = read_dicom_series(out);
  ASSERT_TRUE(d.pet.has_value());
  EXPECT_EQ(d.pet->half_life_s, 230549);
  EXPECT_EQ(d.pet->injected_dose_bq, 1.5e9);
  EXPECT_EQ(d.pet->patient_weight_kg, 71.5);
  EXPECT_EQ(d.pet->decay_correction, "START");
  // Injection 09:15 and series 10:15 on the same (shifted) day: the interval is kept.
  const std::string shifted = d.pet->reference_datetime;
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(d.files[0].c_str()).good());
  const std::string series_date = get(*f.getDataset(), DCM_SeriesDate);
  OFString start;
  f.getDataset()->findAndGetOFString(DCM_RadiopharmaceuticalStartDateTime, start, 0, true);
  EXPECT_EQ(std::string(start.c_str()), series_date + "091500");
  EXPECT_NE(series_date, "20240115");
  for (std::size_t n = 0; n < v.data.size(); ++n) ASSERT_NEAR(d.volume.data[n], v.data[n], 1e-4);
}

TEST(DicomDeid, BurnedInTextIsRefusedAndNothingIsWritten) {
  const fs::path in = fresh_dir("deid_burned");
  single_ct(in / "a", [](DcmDataset& ds) { put(ds, DCM_BurnedInAnnotation, "YES"); });
  SeriesSpec sc;
  sc.modality = "OT";
  sc.sop_class = UID_SecondaryCaptureImageStorage;
  single_ct(in / "b", [](DcmDataset&) {}, sc);
  single_ct(in / "c", [](DcmDataset& ds) { put(ds, DCM_BurnedInAnnotation, "NO"); });
  const fs::path out = out_dir("deid_burned");
  try {
    deidentify_folder(in, out, kKey);
    FAIL() << "burned-in files were accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    const std::string m = e.what();
    EXPECT_NE(m.find("2 of 3 input file(s) refused"), std::string::npos) << m;
    EXPECT_NE(m.find("input #0: Burned In Annotation (0028,0301) is YES"), std::string::npos) << m;
    EXPECT_NE(m.find("input #1: SOP class is secondary capture"), std::string::npos) << m;
    EXPECT_EQ(m.find(in.string()), std::string::npos) << m;
  }
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(leftovers_beside(out).empty());

  DeidOptions skip;
  skip.skip_refused = true;
  const DeidReport r = deidentify_folder(in, out, kKey, skip);
  EXPECT_EQ(r.files_written, 1);
  ASSERT_EQ(r.refused.size(), 2u);
  EXPECT_EQ(r.refused[1].input, 1u);
  EXPECT_EQ(everything_below(out).size(), 3u);  // patient / series / one file

  EXPECT_EQ(burned_in_text_reason("1.2.840.10008.5.1.4.1.1.6.1", "US", "", "", false), "SOP class is ultrasound, which may carry burned-in text");
  EXPECT_EQ(burned_in_text_reason(UID_CTImageStorage, "CT", "", "DERIVED\\SECONDARY\\SCREEN SAVE", false),
            "Image Type (0008,0008) marks a screen save");
  EXPECT_EQ(burned_in_text_reason(UID_CTImageStorage, "CT", "", "ORIGINAL\\PRIMARY\\AXIAL", true),
            "Conversion Type (0008,0064) marks a secondary capture");
  EXPECT_EQ(burned_in_text_reason(UID_CTImageStorage, "CT", "NO", "ORIGINAL\\PRIMARY\\AXIAL", false), "");
  EXPECT_EQ(burned_in_text_reason("1.2.840.10008.5.1.4.1.1.77", "CT", "", "", false), "");  // a prefix that is not a class
  // A SECONDARY image passes only when declared free of burned-in text.
  EXPECT_EQ(burned_in_text_reason(UID_CTImageStorage, "CT", "", "DERIVED\\SECONDARY\\REFORMATTED", false),
            "Image Type (0008,0008) is SECONDARY and Burned In Annotation (0028,0301) is not NO");
  EXPECT_EQ(burned_in_text_reason(UID_CTImageStorage, "CT", "NO", "DERIVED\\SECONDARY\\REFORMATTED", false), "");
  for (const char* sc : {"1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.4"})
    EXPECT_EQ(burned_in_text_reason(sc, "CT", "NO", "", false), "SOP class is secondary capture, which may carry burned-in text");
  EXPECT_EQ(burned_in_text_reason(UID_EncapsulatedPDFStorage, "DOC", "NO", "", false),
            "SOP class is encapsulated document, which may carry burned-in text");
}

TEST(DicomDeid, InconsistentPixelModuleIsRefusedWithItsReasonNotCopied) {
  const fs::path in = fresh_dir("deid_pixels");
  single_ct(in / "a", [](DcmDataset& ds) { ds.putAndInsertUint16(DCM_Rows, 3); });  // 2x2 pixels stored, 3 rows claimed
  single_ct(in / "b", [](DcmDataset& ds) { ds.putAndInsertUint16(DCM_HighBit, 11); });
  single_ct(in / "c", [](DcmDataset& ds) { put(ds, DCM_PhotometricInterpretation, "JANE DOE"); });
  single_ct(in / "d", [](DcmDataset& ds) { ds.findAndDeleteElement(DCM_PixelData); });
  single_ct(in / "e", [](DcmDataset&) {});
  const fs::path out = out_dir("deid_pixels");
  DeidOptions skip;
  skip.skip_refused = true;
  const DeidReport r = deidentify_folder(in, out, kKey, skip);
  EXPECT_EQ(r.files_written, 1);
  ASSERT_EQ(r.refused.size(), 4u);
  EXPECT_EQ(r.refused[0].reason, "pixel module: PixelData (7FE0,0010) = 8 bytes: 12 bytes, as Rows x Columns x Number of Frames x Bits Allocated give");
  EXPECT_EQ(r.refused[1].reason.rfind("pixel module: HighBit (0028,0102) = 11", 0), 0u) << r.refused[1].reason;
  EXPECT_EQ(r.refused[2].reason.rfind("pixel module: PhotometricInterpretation (0028,0004) = (not a defined term)", 0), 0u)
      << r.refused[2].reason;
  EXPECT_EQ(r.refused[3].reason, "PixelData (7FE0,0010) is missing where Rows/Columns describe an image");
}

TEST(DicomDeid, ImageTypeKeepsDefinedTermsOnly) {
  const fs::path in = fresh_dir("deid_image_type");
  single_ct(in, [](DcmDataset& ds) { put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY\\AXIAL\\WARD7 KOWALSKI\\HELICAL"); });
  const fs::path out = out_dir("deid_image_type");
  const DeidReport r = deidentify_folder(in, out, kKey);
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(r.written.at(0).c_str()).good());
  EXPECT_EQ(get(*f.getDataset(), DCM_ImageType), "ORIGINAL\\PRIMARY\\AXIAL\\\\HELICAL");
}

TEST(DicomDeid, TimesAreKeptOnlyWhenTheyAreTimes) {
  const fs::path in = fresh_dir("deid_times");
  single_ct(in, [](DcmDataset& ds) {
    put(ds, DCM_AcquisitionTime, "19370611");  // a date in a time attribute
    put(ds, DCM_ContentTime, "101010.123");
    put(ds, DCM_StudyTime, "14:30:05");
    put(ds, DCM_SeriesTime, "2561");  // minute 61
  });
  const fs::path out = out_dir("deid_times");
  const DeidReport r = deidentify_folder(in, out, kKey);
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(r.written.at(0).c_str()).good());
  EXPECT_EQ(get(*f.getDataset(), DCM_AcquisitionTime), "");
  EXPECT_EQ(get(*f.getDataset(), DCM_ContentTime), "101010.123");
  EXPECT_EQ(get(*f.getDataset(), DCM_StudyTime), "14:30:05");
  EXPECT_EQ(get(*f.getDataset(), DCM_SeriesTime), "");
}

TEST(DicomDeid, SequenceStoredAsUnIsParsedByTheDictionaryAndFiltered) {
  const fs::path in = fresh_dir("deid_un_sequence");
  const std::string referenced = new_uid();
  single_ct(in, [&](DcmDataset& ds) {
    // Referenced Image Sequence (0008,1140) written as UN (defined length), its
    // item in implicit VR little endian (PS3.5 6.2.2) with a name and a date.
    const std::string item = implicit_element(0x0008, 0x1150, std::string(UID_CTImageStorage) + '\0') +
                             implicit_element(0x0008, 0x1155, referenced.size() % 2 ? referenced + '\0' : referenced) +
                             implicit_element(0x0008, 0x0020, "20240115") + implicit_element(0x0010, 0x0010, "UNSEQ^HIDDEN");
    std::string value;
    le16(value, 0xFFFE), le16(value, 0xE000), le32(value, static_cast<Uint32>(item.size()));
    put_un(ds, DCM_ReferencedImageSequence, value + item);
  });
  const fs::path out = out_dir("deid_un_sequence");
  const DeidReport r = deidentify_folder(in, out, kKey);
  ASSERT_EQ(r.files_written, 1);
  EXPECT_EQ(r.un_removed, 0);
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(r.written[0].c_str()).good());
  DcmElement* e = nullptr;
  ASSERT_TRUE(f.getDataset()->findAndGetElement(DCM_ReferencedImageSequence, e).good());
  EXPECT_EQ(e->ident(), EVR_SQ);
  DcmItem* item = nullptr;
  ASSERT_TRUE(f.getDataset()->findAndGetSequenceItem(DCM_ReferencedImageSequence, item, 0).good());
  EXPECT_EQ(get(*item, DCM_ReferencedSOPClassUID), UID_CTImageStorage);
  EXPECT_EQ(get(*item, DCM_ReferencedSOPInstanceUID), pseudonymous_uid(kKey, referenced));
  EXPECT_FALSE(item->tagExists(DCM_PatientName));
  const int shift = patient_date_shift_days(kKey, "PID-12345");
  EXPECT_EQ(get(*item, DCM_StudyDate), get(*f.getDataset(), DCM_StudyDate));  // moved like the study date
  EXPECT_EQ(days_from_civil(std::stoi(get(*item, DCM_StudyDate).substr(0, 4)), static_cast<unsigned>(std::stoi(get(*item, DCM_StudyDate).substr(4, 2))),
                            static_cast<unsigned>(std::stoi(get(*item, DCM_StudyDate).substr(6, 2)))),
            days_from_civil(2024, 1, 15) + shift);
  const std::string bytes = bytes_of(r.written[0]);
  EXPECT_EQ(bytes.find("UNSEQ"), std::string::npos);
  EXPECT_EQ(bytes.find(referenced), std::string::npos);
}

TEST(DicomDeid, DuplicateSopInstanceUidIsRefusedNotOverwritten) {
  const fs::path in = fresh_dir("deid_dup");
  const fs::path a = single_ct(in / "a", [](DcmDataset& ds) { put(ds, DCM_SOPInstanceUID, "1.2.3.4.5"); });
  single_ct(in / "b", [](DcmDataset& ds) { put(ds, DCM_SOPInstanceUID, "1.2.3.4.5"); });
  const fs::path out = out_dir("deid_dup");
  EXPECT_THROW(deidentify_folder(in, out, kKey), Error);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(leftovers_beside(out).empty());
  DeidOptions skip;
  skip.skip_refused = true;
  const DeidReport r = deidentify_folder(in, out, kKey, skip);
  EXPECT_EQ(r.files_written, 1);
  ASSERT_EQ(r.refused.size(), 1u);
  EXPECT_EQ(r.refused[0].input, 1u);
  EXPECT_EQ(r.refused[0].reason, "same SOP Instance UID as input #0 (not overwritten)");
  // The one written is the first input's, byte for byte in its pixels.
  ASSERT_EQ(r.written.size(), 1u);
  EXPECT_EQ(pixels_of(r.written[0]), pixels_of(a));
}

TEST(DicomDeid, CraftedUidsCannotLeaveTheOutputFolder) {
  const fs::path in = fresh_dir("deid_traversal");
  single_ct(in, [](DcmDataset& ds) {
    put(ds, DCM_SOPInstanceUID, "1.2.840.10008.1/../../../../escaped");
    put(ds, DCM_SeriesInstanceUID, "1.2.840.10008.../..");
    put(ds, DCM_StudyInstanceUID, "/tmp/evil");
  });
  const fs::path out = out_dir("deid_traversal");
  const fs::path parent_before = out.parent_path();
  const DeidReport r = deidentify_folder(in, out, kKey);
  ASSERT_EQ(r.files_written, 1);
  const fs::path rel = fs::relative(r.written[0], out);
  auto it = rel.begin();
  EXPECT_EQ(it->string(), patient_pseudonym(kKey, "PID-12345"));
  EXPECT_EQ((++it)->string(), pseudonymous_uid(kKey, "1.2.840.10008.../.."));
  EXPECT_EQ((++it)->string(), pseudonymous_uid(kKey, "1.2.840.10008.1/../../../../escaped") + ".dcm");
  EXPECT_TRUE(is_safe_uid_name(pseudonymous_uid(kKey, "1.2.840.10008.../..")));
  EXPECT_FALSE(fs::exists(parent_before / "escaped"));
  EXPECT_FALSE(is_safe_uid_name("1.2.840.10008.1/../x"));
  EXPECT_FALSE(is_safe_uid_name(".."));
  EXPECT_FALSE(is_safe_uid_name("1..2"));
  EXPECT_FALSE(is_safe_uid_name("1.02"));
  EXPECT_FALSE(is_safe_uid_name(std::string(65, '1')));
  EXPECT_TRUE(is_safe_uid_name("2.25.0"));
}

TEST(DicomDeid, KeptValuesAreCheckedConvertedOrTheFileRefused) {
  const fs::path in = fresh_dir("deid_values");
  // Rescale Intercept stored with VR UI (seen by the fuzzer) and as UN: converted to DS, value kept.
  single_ct(in / "a", [](DcmDataset& ds) {
    ds.findAndDeleteElement(DCM_RescaleIntercept);
    ds.putAndInsertString(DcmTag(DCM_RescaleIntercept, EVR_UI), "-1024", true);
    put_un(ds, DCM_RescaleSlope, "2");
    put(ds, DCM_Modality, "ct");  // lower case: tolerated
  });
  single_ct(in / "b", [](DcmDataset& ds) { put(ds, DCM_RescaleSlope, "1.0/2"); });
  single_ct(in / "c", [](DcmDataset& ds) { put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY\\JANE"); });
  single_ct(in / "d", [](DcmDataset& ds) { put(ds, DCM_ImageType, "ORIGINAL\\DOE^JANE"); });
  const fs::path out = out_dir("deid_values");
  DeidOptions skip;
  skip.skip_refused = true;
  const DeidReport r = deidentify_folder(in, out, kKey, skip);
  ASSERT_EQ(r.files_written, 1);
  ASSERT_EQ(r.refused.size(), 3u);
  EXPECT_EQ(r.refused[0].reason, "RescaleSlope (0028,1053) does not hold a valid DS value");
  EXPECT_EQ(r.refused[1].reason, "ImageType (0008,0008) holds a word of the file's identifiers");
  EXPECT_EQ(r.refused[2].reason, "ImageType (0008,0008) does not hold a valid CS value");
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(r.written[0].c_str()).good());
  DcmElement* e = nullptr;
  ASSERT_TRUE(f.getDataset()->findAndGetElement(DCM_RescaleIntercept, e).good());
  EXPECT_EQ(e->ident(), EVR_DS);
  EXPECT_EQ(get(*f.getDataset(), DCM_RescaleIntercept), "-1024");
  ASSERT_TRUE(f.getDataset()->findAndGetElement(DCM_RescaleSlope, e).good());
  EXPECT_EQ(e->ident(), EVR_DS);
  EXPECT_EQ(get(*f.getDataset(), DCM_RescaleSlope), "2");
  EXPECT_EQ(get(*f.getDataset(), DCM_Modality), "ct");
}

TEST(DicomDeid, NamedNumericPrivateAttributesAreKeptOnRequestTextNever) {
  const fs::path in = fresh_dir("deid_private");
  single_ct(in, [](DcmDataset& ds) {
    ds.putAndInsertString(DcmTag(0x0019, 0x0010, EVR_LO), "ACME SCANNER");
    ds.putAndInsertString(DcmTag(0x0019, 0x100C, EVR_DS), "12.5");
    ds.putAndInsertString(DcmTag(0x0019, 0x100D, EVR_LO), "OPERATOR SMITH");
    ds.putAndInsertString(DcmTag(0x0019, 0x0011, EVR_LO), "OTHER VENDOR");
    ds.putAndInsertString(DcmTag(0x0019, 0x110C, EVR_DS), "99");
  });
  DeidOptions o;
  o.keep_private = {parse_private_attribute("0019,xx0C,ACME SCANNER"), parse_private_attribute("0019,xx0D,ACME SCANNER")};
  const fs::path out = out_dir("deid_private");
  const DeidReport r = deidentify_folder(in, out, kKey, o);
  DcmFileFormat f;
  ASSERT_TRUE(f.loadFile(r.written.at(0).c_str()).good());
  DcmDataset& d = *f.getDataset();
  EXPECT_EQ(get(d, DcmTagKey(0x0019, 0x100C)), "12.5");
  EXPECT_EQ(get(d, DcmTagKey(0x0019, 0x0010)), "ACME SCANNER");
  EXPECT_FALSE(d.tagExists(DcmTagKey(0x0019, 0x100D)));  // text, though named
  EXPECT_FALSE(d.tagExists(DcmTagKey(0x0019, 0x0011)));  // another creator's block
  EXPECT_FALSE(d.tagExists(DcmTagKey(0x0019, 0x110C)));
  EXPECT_EQ(r.private_removed, 3);
  EXPECT_THROW(parse_private_attribute("0018,xx0C,ACME"), Error);  // even group
  EXPECT_THROW(parse_private_attribute("0019,100C,ACME"), Error);  // not a block-relative element
  EXPECT_THROW(parse_private_attribute("0019,xx0C"), Error);
}

TEST(DicomDeid, WhitelistKeepsNoTextAndNothingTheProfileRemovesUnreplaced) {
  // Only the two screened labels may hold free text.
  std::set<std::string> seen;
  for (const auto& w : deid_whitelist()) {
    DcmTag t(DcmTagKey(w.group, w.element));
    const DcmEVR vr = t.getEVR();
    const bool text = vr == EVR_PN || vr == EVR_LO || vr == EVR_SH || vr == EVR_LT || vr == EVR_ST || vr == EVR_UT ||
                      vr == EVR_UC || vr == EVR_UR || vr == EVR_AE || vr == EVR_UN;
    EXPECT_EQ(text, w.how == "label") << t.getTagName();
    EXPECT_NE(w.group % 2, 1);
    EXPECT_TRUE(seen.insert(t.getTagName()).second) << "listed twice: " << t.getTagName();
    if (vr == EVR_SQ) EXPECT_EQ(w.how, "seq") << t.getTagName();
    if (vr == EVR_UI) EXPECT_TRUE(w.how == "uid" || w.how == "cls") << t.getTagName();
    if (vr == EVR_DA) EXPECT_EQ(w.how, "date") << t.getTagName();
    if (vr == EVR_DT) EXPECT_EQ(w.how, "dt") << t.getTagName();
  }
  // Against PS3.15 Table E.1-1 (2020): a kept attribute the basic profile
  // removes or blanks must be one whose value is replaced (UIDs, shifted dates,
  // times kept under the modified-dates option) or Patient Weight (Retain Patient Characteristics).
  const CsvTable table = CsvTable::read(fs::path(SIRTKIT_SOURCE_DIR) / "data/deid/dicom_ps3.15_tableE1-1_2020.csv");
  std::map<std::string, std::pair<std::string, std::string>> actions;  // "(GGGG,EEEE)" -> (basic, modified dates)
  for (std::size_t r = 0; r < table.rows(); ++r)
    actions[table.cell(r, table.column_index("tag"))] = {table.cell(r, table.column_index("basic_profile")),
                                                         table.cell(r, table.column_index("rtn_long_modified_dates"))};
  int checked = 0;
  for (const auto& w : deid_whitelist()) {
    char tag[16];
    std::snprintf(tag, sizeof tag, "(%04X,%04X)", w.group, w.element);
    const auto it = actions.find(tag);
    if (it == actions.end() || it->second.first == "K") continue;
    ++checked;
    // A reference sequence (X/Z/U*) is kept with its UIDs replaced inside.
    const bool references = w.how == "seq" && it->second.first.find('U') != std::string::npos;
    const bool replaced = w.how == "uid" || references || ((w.how == "date" || w.how == "time" || w.how == "dt") && it->second.second == "C") ||
                          DcmTagKey(w.group, w.element) == DCM_PatientWeight;
    EXPECT_TRUE(replaced) << tag << " " << w.how << " basic " << it->second.first;
  }
  EXPECT_GT(checked, 10);
}

TEST(DicomDeid, ShortKeyAndNonEmptyOutputAreRefused) {
  const fs::path dir = fresh_dir("deid_key");
  std::ofstream(dir / "short.key") << "too short\n";
  EXPECT_THROW(read_deid_key(dir / "short.key"), Error);
  std::ofstream(dir / "good.key") << kKey << "\n";
  EXPECT_EQ(read_deid_key(dir / "good.key"), kKey);
  EXPECT_THROW(deidentify_folder(dir, dir, kKey), Error);  // output not empty
}

}  // namespace sirtkit::io

namespace sirtkit::io {
namespace {

std::vector<Uint16> words_of(const fs::path& p) {
  const std::vector<Uint8> b = pixels_of(p);
  std::vector<Uint16> w(b.size() / 2);
  std::memcpy(w.data(), b.data(), w.size() * 2);
  return w;
}

std::vector<double> stored_values_of(const fs::path& p) {
  DcmFileFormat f;
  EXPECT_TRUE(f.loadFile(p.c_str()).good());
  const dicom::PixelModule m = dicom::check_pixel_module(f, "test");
  return dicom::decode_stored_values(f, m, "test");
}

}  // namespace

// PS3.5 8.1.2 (retired): an overlay may live in the bits above Bits Stored.
// deid rewrites them — zero when unsigned, the sign when signed — and every
// stored value a reader derives stays the same.
TEST(DicomDeid, BitsAboveBitsStoredAreRewrittenValuesUnchanged) {
  const fs::path in = fresh_dir("deid_unused_bits");
  // 12 bits stored of 16: -1000 is 0xC18; its sign extension is 0xFC18.
  const std::vector<Uint16> signed_words{0x5C18, 0xFC18, 0x07FF, 0xA001};  // hidden bits in 1st and 4th
  const std::vector<Uint16> unsigned_words{0xA123, 0x0123, 0xF000, 0x0FFF};  // hidden bits in 1st and 3rd
  const auto with = [](const std::vector<Uint16>& words, int representation) {
    return [words, representation](DcmDataset& ds) {
      ds.putAndInsertUint16(DCM_BitsStored, 12);
      ds.putAndInsertUint16(DCM_HighBit, 11);
      ds.putAndInsertUint16(DCM_PixelRepresentation, representation);
      ds.putAndInsertUint16Array(DCM_PixelData, words.data(), words.size());
    };
  };
  const fs::path s = single_ct(in / "s", with(signed_words, 1));
  const fs::path u = single_ct(in / "u", with(unsigned_words, 0));
  const std::vector<double> s_before = stored_values_of(s), u_before = stored_values_of(u);
  EXPECT_EQ(s_before, (std::vector<double>{-1000, -1000, 2047, 1}));
  EXPECT_EQ(u_before, (std::vector<double>{0x123, 0x123, 0, 0xFFF}));

  const fs::path out = out_dir("deid_unused_bits");
  const DeidReport r = deidentify_folder(in, out, kKey);
  ASSERT_EQ(r.files_written, 2);
  EXPECT_EQ(r.pixel_samples_cleaned, 2u + 2u);  // signed: 0x5C18 and 0xA001; unsigned: 0xA123 and 0xF000
  std::vector<std::vector<Uint16>> words;
  std::vector<std::vector<double>> values;
  for (const auto& f : r.written) {
    words.push_back(words_of(f));
    values.push_back(stored_values_of(f));
  }
  std::sort(words.begin(), words.end());
  std::sort(values.begin(), values.end());
  const std::vector<std::vector<Uint16>> expected_words{{0x0123, 0x0123, 0x0000, 0x0FFF}, {0xFC18, 0xFC18, 0x07FF, 0x0001}};
  EXPECT_EQ(words, expected_words);
  std::vector<std::vector<double>> expected_values{s_before, u_before};
  std::sort(expected_values.begin(), expected_values.end());
  EXPECT_EQ(values, expected_values);
}

}  // namespace sirtkit::io
