#include "io/dicom_deid.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/atomic_file.h"
#include "core/date_time.h"
#include "core/error.h"
#include "dicom_fixture.h"
#include "io/dicom_series.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;
using namespace fixture;

const std::string kKey = "0123456789abcdef0123456789abcdef-test-key";

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

struct Planted {
  fs::path in;
  SeriesSpec ct;
  std::vector<fs::path> ct_files;
  std::string ct_instance0;
};

// A CT series and an RTSTRUCT referencing it, full of identifiers in plain
// attributes, sequences and private tags.
Planted plant(const std::string& name) {
  Planted p;
  p.in = fresh_dir(name + "_in");
  image::Volume<float> v(oblique_grid(4, 3, 3));
  for (std::size_t n = 0; n < v.data.size(); ++n) v.data[n] = static_cast<float>(n * 7 % 300) - 100;
  p.ct_files = write_slices(p.in, v, p.ct);
  for (const auto& f : p.ct_files)
    edit_file(f, [](DcmDataset& ds) {
      put(ds, DCM_AcquisitionDate, "20240117");  // two days after the study date
      put(ds, DCM_AcquisitionTime, "143000");
      put(ds, DCM_PatientAddress, "12 Secret Lane, Springfield");
      put(ds, DCM_OperatorsName, "TECH^TOM");
      put(ds, DCM_StudyDescription, "Y90 workup for Jane Doe");
      put(ds, DCM_DeviceSerialNumber, "SN-4455");
      DcmItem* other = nullptr;
      ds.findOrCreateSequenceItem(DCM_OtherPatientIDsSequence, other, 0);
      put(*other, DCM_PatientID, "OTHER-777");
      DcmItem* req = nullptr;
      ds.findOrCreateSequenceItem(DCM_RequestAttributesSequence, req, 0);
      put(*req, DCM_RequestedProcedureID, "RP-31337");
      ds.putAndInsertString(DcmTag(0x0009, 0x0010, EVR_LO), "ACME PRIVATE");
      ds.putAndInsertString(DcmTag(0x0009, 0x1001, EVR_LO), "SECRET-DOE-MRN");
    });
  DcmFileFormat f0;
  f0.loadFile(p.ct_files[0].c_str());
  p.ct_instance0 = get(*f0.getDataset(), DCM_SOPInstanceUID);
  // An RTSTRUCT in the same study and frame of reference, pointing at slice 0.
  DcmFileFormat rs;
  DcmDataset& ds = *rs.getDataset();
  SeriesSpec s = p.ct;
  s.modality = "RTSTRUCT";
  s.sop_class = UID_RTStructureSetStorage;
  s.series_uid = new_uid();
  put_common(ds, s, new_uid());
  put(ds, DCM_StructureSetDate, "20240115");  // not in the 2020 table: shifted all the same
  DcmItem* rfor = nullptr;
  ds.findOrCreateSequenceItem(DCM_ReferencedFrameOfReferenceSequence, rfor, 0);
  put(*rfor, DCM_FrameOfReferenceUID, p.ct.frame_of_reference_uid);
  DcmItem* roi = nullptr;
  ds.findOrCreateSequenceItem(DCM_StructureSetROISequence, roi, 0);
  put(*roi, DCM_ROINumber, "1");
  put(*roi, DCM_ReferencedFrameOfReferenceUID, p.ct.frame_of_reference_uid);
  put(*roi, DCM_ROIName, "Tumour");
  DcmItem* rc = nullptr;
  ds.findOrCreateSequenceItem(DCM_ROIContourSequence, rc, 0);
  DcmItem* c = nullptr;
  rc->findOrCreateSequenceItem(DCM_ContourSequence, c, 0);
  DcmItem* img = nullptr;
  c->findOrCreateSequenceItem(DCM_ContourImageSequence, img, 0);
  put(*img, DCM_ReferencedSOPClassUID, UID_CTImageStorage);
  put(*img, DCM_ReferencedSOPInstanceUID, p.ct_instance0);
  rs.saveFile((p.in / "sub" / "rs.dcm").c_str(), EXS_LittleEndianExplicit);
  fs::create_directories(p.in / "sub");
  rs.saveFile((p.in / "sub" / "rs.dcm").c_str(), EXS_LittleEndianExplicit);
  std::ofstream(p.in / "sub" / "DOE_JANE_notes.txt") << "Jane Doe, PID-12345\n";
  return p;
}

}  // namespace

TEST(DicomDeid, EmbeddedTableIsTheRepositoryCopy) {
  const std::string embedded = deid_table_csv();
  std::string file = read_text_file(fs::path(SIRTKIT_SOURCE_DIR) / "data/deid/dicom_ps3.15_tableE1-1_2020.csv");
  file.erase(std::remove(file.begin(), file.end(), '\r'), file.end());  // the compiler reads CRLF source lines as LF
  EXPECT_EQ(embedded.size(), file.size());
  const auto diff = std::mismatch(embedded.begin(), embedded.end(), file.begin(), file.end());
  EXPECT_TRUE(embedded == file) << "first difference at byte " << (diff.first - embedded.begin())
                                << "; run scripts/embed_deid_table.sh";
}

TEST(DicomDeid, NoPlantedIdentifierSurvivesAndPixelsAreKept) {
  const Planted p = plant("deid");
  const fs::path out = fs::temp_directory_path() / "sirtkit_test_deid_out";
  fs::remove_all(out);
  const DeidReport r = deidentify_folder(p.in, out, kKey);
  EXPECT_EQ(r.files_written, 4);
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_GT(r.private_removed, 0);

  const std::vector<std::string> planted{"DOE", "Doe", "JANE", "PID-12345", "Saint Example", "HOUSE", "ACC998877", "19510317",
                                         "Secret Lane", "TECH^TOM", "SN-4455", "OTHER-777", "RP-31337", "SECRET", "ACME",
                                         "20240115", "20240117", p.ct.study_uid, p.ct.series_uid, p.ct.frame_of_reference_uid,
                                         p.ct_instance0};
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (!e.is_regular_file()) continue;
    ++files;
    const std::string b = bytes_of(e.path());
    for (const auto& s : planted) EXPECT_EQ(b.find(s), std::string::npos) << s << " in " << e.path();
    EXPECT_EQ(e.path().string().find("DOE"), std::string::npos);
  }
  EXPECT_EQ(files, 4);

  // Pixel data byte for byte, matched through the pseudonymous instance UID.
  for (const auto& f : p.ct_files) {
    DcmFileFormat in;
    in.loadFile(f.c_str());
    const std::string uid = pseudonymous_uid(kKey, get(*in.getDataset(), DCM_SOPInstanceUID));
    const std::string series = pseudonymous_uid(kKey, p.ct.series_uid);
    const fs::path target = out / patient_pseudonym(kKey, "PID-12345") / series / (uid + ".dcm");
    ASSERT_TRUE(fs::exists(target)) << target;
    EXPECT_EQ(pixels_of(target), pixels_of(f));
  }
}

TEST(DicomDeid, UidsConsistentDatesShiftedIntervalsKept) {
  const Planted p = plant("deid2");
  const fs::path out = fs::temp_directory_path() / "sirtkit_test_deid2_out";
  fs::remove_all(out);
  deidentify_folder(p.in, out, kKey);
  const fs::path patient = out / patient_pseudonym(kKey, "PID-12345");
  // The CT still reads as one valid series, in a new frame of reference.
  const DicomVolume v = read_dicom_series(out);
  EXPECT_EQ(v.frame_of_reference_uid, pseudonymous_uid(kKey, p.ct.frame_of_reference_uid));
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
    return sirtkit::days_from_civil(std::stoi(s.substr(0, 4)), static_cast<unsigned>(std::stoi(s.substr(4, 2))), static_cast<unsigned>(std::stoi(s.substr(6, 2))));
  };
  EXPECT_EQ(days(study_date), study);
  EXPECT_EQ(days(acq_date) - days(study_date), 2);  // the interval survives
  EXPECT_EQ(get(d, DCM_AcquisitionTime), "143000");
  EXPECT_EQ(get(d, DCM_PatientIdentityRemoved), "YES");
  EXPECT_EQ(get(d, DCM_LongitudinalTemporalInformationModified), "MODIFIED");
  EXPECT_EQ(get(d, DCM_PatientID), patient_pseudonym(kKey, "PID-12345"));
  EXPECT_EQ(get(d, DCM_SOPClassUID), UID_CTImageStorage);  // class UIDs are not instance identifiers
  EXPECT_EQ(get(*ct.getMetaInfo(), DCM_MediaStorageSOPInstanceUID), get(d, DCM_SOPInstanceUID));
  EXPECT_TRUE(get(d, DCM_PatientBirthDate).empty());

  // The RTSTRUCT still points at the (renamed) CT slice and frame of reference.
  const fs::path rs_dir = [&] {
    for (const auto& e : fs::directory_iterator(patient))
      if (e.path().filename() != pseudonymous_uid(kKey, p.ct.series_uid)) return e.path();
    return fs::path();
  }();
  DcmFileFormat rs;
  ASSERT_TRUE(rs.loadFile(fs::directory_iterator(rs_dir)->path().c_str()).good());
  OFString ref;
  rs.getDataset()->findAndGetOFString(DCM_ReferencedSOPInstanceUID, ref, 0, true);
  EXPECT_EQ(std::string(ref.c_str()), pseudonymous_uid(kKey, p.ct_instance0));
  rs.getDataset()->findAndGetOFString(DCM_ReferencedFrameOfReferenceUID, ref, 0, true);
  EXPECT_EQ(std::string(ref.c_str()), v.frame_of_reference_uid);

  // Same key, same pseudonyms; another key, others.
  EXPECT_EQ(pseudonymous_uid(kKey, "1.2.3"), pseudonymous_uid(kKey, "1.2.3"));
  EXPECT_NE(pseudonymous_uid(kKey, "1.2.3"), pseudonymous_uid(kKey + "x", "1.2.3"));
  EXPECT_LE(pseudonymous_uid(kKey, "1.2.3").size(), 64u);
  EXPECT_EQ(pseudonymous_uid(kKey, "1.2.3").rfind("2.25.", 0), 0u);
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
