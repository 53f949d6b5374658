// The planted-identifier probe of `sirtkit deid`: a unique marker in every
// text attribute the DCMTK data dictionary knows (PN, LO, SH, LT, ST, UT, UR,
// AE, UC), at the top level and three whitelisted sequences deep, in private
// tags (with and without creator), overlays and curves, elements re-encoded
// as VR UN (defined length, and a CP-246 undefined-length sequence), the file
// meta group, the preamble, the folder and file names; one date in every DA
// and DT attribute. The real program runs (text and --json) and every output
// byte (files, names, stdout, stderr) is searched for every marker.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../io/dicom/deid_planted_fixture.h"
#include "run_sirtkit.h"

namespace {

namespace fs = std::filesystem;
using namespace sirtkit::io::fixture;
using sirtkit::cli_test::run;
using sirtkit::cli_test::slurp;

// Markers: "QZ" + a letter for where + the tag in hexadecimal, e.g. QZT00100010.
// The planted date is never a shifted date of itself (shifts are 1..365 days).
const std::string kDate = "19370611";

std::string hex4(Uint16 v) {
  char b[8];
  std::snprintf(b, sizeof b, "%04X", v);
  return b;
}
std::string marker(char where, const DcmTagKey& t) { return std::string("QZ") + where + hex4(t.getGroup()) + hex4(t.getElement()); }

bool is_text_vr(DcmEVR vr) {
  switch (vr) {
    case EVR_PN: case EVR_LO: case EVR_SH: case EVR_LT: case EVR_ST: case EVR_UT: case EVR_UR: case EVR_AE: case EVR_UC:
      return true;
    default: return false;
  }
}

struct DictionaryAttribute {
  DcmTagKey tag;
  DcmEVR vr;
};

// Public, non-repeating, non-meta attributes of the dictionary with a text, DA or DT VR.
std::vector<DictionaryAttribute> dictionary_attributes() {
  std::vector<DictionaryAttribute> out;
  const DcmDataDictionary& dict = dcmDataDict.rdlock();
  for (auto it = const_cast<DcmDataDictionary&>(dict).normalBegin(); it != const_cast<DcmDataDictionary&>(dict).normalEnd(); ++it) {
    const DcmDictEntry* e = *it;
    if (e->getPrivateCreator() != nullptr || e->isRepeating()) continue;
    const Uint16 g = e->getGroup();
    if (g % 2 == 1 || g < 0x0008 || g >= 0xFFFA) continue;
    const DcmEVR vr = e->getEVR();
    if (is_text_vr(vr) || vr == EVR_DA || vr == EVR_DT) out.push_back({e->getKey(), vr});
  }
  dcmDataDict.rdunlock();
  return out;
}

// Plants every dictionary attribute in `item`; returns the markers planted.
std::vector<std::string> plant_dictionary(DcmItem& item, char where) {
  std::vector<std::string> planted;
  for (const auto& a : dictionary_attributes()) {
    std::string v;
    if (a.vr == EVR_DA) v = kDate;
    else if (a.vr == EVR_DT) v = kDate + "101010";
    else if (a.vr == EVR_UR) v = "http://" + marker(where, a.tag) + ".example/x";
    else if (a.vr == EVR_PN) v = marker(where, a.tag) + "^JOHN";
    else v = marker(where, a.tag);
    DcmElement* e = DcmItem::newDicomElement(DcmTag(a.tag, DcmVR(a.vr)));
    if (e == nullptr || e->putString(v.c_str()).bad() || item.insert(e, true).bad()) {
      delete e;
      continue;
    }
    if (a.vr != EVR_DA && a.vr != EVR_DT) planted.push_back(marker(where, a.tag));
  }
  return planted;
}

struct Probe {
  fs::path in;
  std::vector<std::string> markers;  // each must be absent from every output byte
  int dicom_files = 0;
};

void save(DcmFileFormat& f, const fs::path& p, E_FileWriteMode mode = EWM_fileformat) {
  if (f.saveFile(p.c_str(), EXS_LittleEndianExplicit, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, mode).bad())
    throw std::runtime_error("cannot write " + p.string());
}

// One valid CT slice (a 4x3 image) in `dir` named `name`, loaded for editing.
fs::path ct_file(const fs::path& dir, const std::string& name) {
  sirtkit::image::Grid g;
  g.size = {4, 3, 1};
  g.spacing_mm = {0.5, 0.5, 2.0};
  sirtkit::image::Volume<float> v(g);
  for (std::size_t n = 0; n < v.data.size(); ++n) v.data[n] = static_cast<float>(n * 10);
  SeriesSpec s;
  s.patient_name = "QZPATIENTNAME^JOHN";
  s.patient_id = "QZPATIENTID77";
  const auto files = write_slices(dir, v, s);
  const fs::path out = dir / name;
  fs::rename(files.front(), out);
  return out;
}

Probe make_probe(const fs::path& root) {
  Probe p;
  // Folder and file names carry a marker: output names must not.
  p.in = root / "QZFOLDER_DOE";
  fs::create_directories(p.in / "QZSUBFOLDER");
  p.markers = {"QZFOLDER", "QZSUBFOLDER", "QZFILE", "QZPATIENTNAME", "QZPATIENTID77"};

  // 1. Every dictionary text attribute at the top level.
  {
    const fs::path f = ct_file(p.in, "QZFILE_top.dcm");
    edit_file(f, [&](DcmDataset& ds) {
      for (auto& m : plant_dictionary(ds, 'T')) p.markers.push_back(m);
      // CT's own attributes back (planting overwrote Patient Name/ID with markers, harmless).
    });
  }
  // 2. The same, three whitelisted sequences deep.
  {
    const fs::path f = ct_file(p.in / "QZSUBFOLDER", "QZFILE_nested.dcm");
    edit_file(f, [&](DcmDataset& ds) {
      DcmItem *a = nullptr, *b = nullptr, *c = nullptr;
      ds.findOrCreateSequenceItem(DCM_ReferencedImageSequence, a, 0);
      put(*a, DCM_ReferencedSOPClassUID, UID_CTImageStorage);
      put(*a, DCM_ReferencedSOPInstanceUID, new_uid());
      a->findOrCreateSequenceItem(DCM_SourceImageSequence, b, 0);
      b->findOrCreateSequenceItem(DCM_DerivationImageSequence, c, 0);
      for (auto& m : plant_dictionary(*c, 'N')) p.markers.push_back(m);
      // And in a sequence that is not whitelisted, holding a whitelisted one.
      DcmItem *d = nullptr, *e = nullptr;
      ds.findOrCreateSequenceItem(DCM_ContentSequence, d, 0);
      d->findOrCreateSequenceItem(DCM_ReferencedImageSequence, e, 0);
      put(*e, DCM_PatientName, "QZCONTENTSEQ^JOHN");
      put(*e, DCM_StudyDate, kDate);
    });
    p.markers.push_back("QZCONTENTSEQ");
  }
  // 3. Private tags, overlays, curves, file meta and preamble.
  {
    const fs::path f = ct_file(p.in, "QZFILE_private.dcm");
    DcmFileFormat ff;
    if (ff.loadFile(f.c_str()).bad()) throw std::runtime_error("cannot read " + f.string());
    ff.loadAllDataIntoMemory();
    DcmDataset& ds = *ff.getDataset();
    ds.putAndInsertString(DcmTag(0x0009, 0x0010, EVR_LO), "QZPRIVCREATOR");
    ds.putAndInsertString(DcmTag(0x0009, 0x1001, EVR_LO), "QZPRIVATE_LO");
    ds.putAndInsertString(DcmTag(0x0009, 0x1002, EVR_PN), "QZPRIVATE_PN^JOHN");
    ds.putAndInsertString(DcmTag(0x0009, 0x1003, EVR_DS), "19370611");
    ds.putAndInsertString(DcmTag(0x0011, 0x1001, EVR_LO), "QZNOCREATOR");  // no creator in (0011,0010)
    put_un(ds, DcmTagKey(0x0013, 0x1010), "QZPRIVATE_UN");
    DcmItem* pitem = nullptr;
    ds.findOrCreateSequenceItem(DcmTag(0x0009, 0x1004, EVR_SQ), pitem, 0);
    if (pitem) put(*pitem, DCM_PatientName, "QZPRIVSEQ^JOHN");
    for (Uint16 g : {Uint16(0x6000), Uint16(0x6002), Uint16(0x601E)}) {
      ds.putAndInsertUint16(DcmTag(g, 0x0010), 3);
      ds.putAndInsertUint16(DcmTag(g, 0x0011), 4);
      ds.putAndInsertString(DcmTag(g, 0x0022, EVR_LO), ("QZOVLDESC" + hex4(g)).c_str());
      ds.putAndInsertString(DcmTag(g, 0x0040, EVR_CS), "G");
      ds.putAndInsertString(DcmTag(g, 0x1500, EVR_LO), ("QZOVLLABEL" + hex4(g)).c_str());
      ds.putAndInsertString(DcmTag(g, 0x4000, EVR_LT), ("QZOVLCOMMENT" + hex4(g)).c_str());
      const std::string bits(2, '\xFF');
      ds.putAndInsertUint8Array(DcmTag(g, 0x3000, EVR_OW), reinterpret_cast<const Uint8*>(bits.data()), 2);
      p.markers.insert(p.markers.end(), {"QZOVLDESC" + hex4(g), "QZOVLLABEL" + hex4(g), "QZOVLCOMMENT" + hex4(g)});
    }
    ds.putAndInsertString(DcmTag(0x5000, 0x0022, EVR_LO), "QZCURVEDESC");
    ds.putAndInsertString(DcmTag(0x5000, 0x2500, EVR_LO), "QZCURVELABEL");
    DcmMetaInfo& meta = *ff.getMetaInfo();
    meta.putAndInsertString(DCM_SourceApplicationEntityTitle, "QZSRCAE");
    meta.putAndInsertString(DCM_SendingApplicationEntityTitle, "QZSENDAE");
    meta.putAndInsertString(DCM_ReceivingApplicationEntityTitle, "QZRECVAE");
    meta.putAndInsertString(DCM_PrivateInformationCreatorUID, "1.2.3.4.5.6.7.8.9.2718281828");
    meta.putAndInsertString(DCM_ImplementationVersionName, "QZIMPLVER");
    const std::string priv = "QZPRIVMETAINFO";
    meta.putAndInsertUint8Array(DCM_PrivateInformation, reinterpret_cast<const Uint8*>(priv.data()), static_cast<unsigned long>(priv.size()));
    save(ff, f, EWM_updateMeta);
    // The preamble: 128 free bytes (PS3.10 7.1) that DCMTK may carry through.
    std::string bytes = slurp(f);
    const std::string pre = "QZPREAMBLE Jane Doe 1937-06-11 ";
    for (std::size_t i = 0; i < 128; ++i) bytes[i] = pre[i % pre.size()];
    // DCMTK writes its own Implementation Version Name: replaced in place (same length).
    const std::string impl = OFFIS_DTK_IMPLEMENTATION_VERSION_NAME;
    if (bytes.find(impl) == std::string::npos) throw std::runtime_error("no implementation version name in the meta header");
    bytes.replace(bytes.find(impl), impl.size(), ("QZIMPLVER" + std::string(impl.size(), 'X')).substr(0, impl.size()));
    std::ofstream(f, std::ios::binary | std::ios::trunc) << bytes;
    p.markers.insert(p.markers.end(), {"QZPRIVCREATOR", "QZPRIVATE_LO", "QZPRIVATE_PN", "QZNOCREATOR", "QZPRIVATE_UN", "QZPRIVSEQ",
                                       "QZCURVEDESC", "QZCURVELABEL", "QZSRCAE", "QZSENDAE", "QZRECVAE", "2718281828", "QZIMPLVER",
                                       "QZPRIVMETAINFO", "QZPREAMBLE"});
  }
  // 4. VR UN, defined length: a whitelisted sequence with a name and an unshifted
  //    date in its item, a text attribute, an unknown public tag.
  {
    const fs::path f = ct_file(p.in, "QZFILE_un.dcm");
    edit_file(f, [&](DcmDataset& ds) {
      const std::string item = implicit_element(0x0008, 0x1150, std::string(UID_CTImageStorage) + '\0') +
                               implicit_element(0x0008, 0x1155, new_uid() + '\0') + implicit_element(0x0008, 0x0020, kDate) +
                               implicit_element(0x0010, 0x0010, "QZUNSEQNAME^JOHN") +
                               implicit_sequence(0x0008, 0x2112, {implicit_element(0x0008, 0x0080, "QZUNNESTEDLO")});
      std::string defined;
      le16(defined, 0xFFFE), le16(defined, 0xE000), le32(defined, static_cast<Uint32>(item.size()));
      defined += item;
      put_un(ds, DCM_ReferencedImageSequence, defined);
      put_un(ds, DCM_StudyDescription, "QZUNSTUDYDESC");
      put_un(ds, DCM_ContentDate, kDate);
      put_un(ds, DcmTagKey(0x0018, 0x9F99), "QZUNUNKNOWN");
    });
    p.markers.insert(p.markers.end(), {"QZUNSEQNAME", "QZUNNESTEDLO", "QZUNSTUDYDESC", "QZUNUNKNOWN"});
  }
  // 5. VR UN, undefined length (CP-246): an RTSTRUCT whose ROI observations
  //    (appended last, as the highest tag) hold a name, a date and a nested sequence.
  {
    DcmFileFormat rs;
    DcmDataset& ds = *rs.getDataset();
    SeriesSpec s;
    s.modality = "RTSTRUCT";
    s.sop_class = UID_RTStructureSetStorage;
    s.patient_name = "QZPATIENTNAME^JOHN";
    s.patient_id = "QZPATIENTID77";
    put_common(ds, s, new_uid());
    put(ds, DCM_StructureSetLabel, "QZSSLABEL");
    put(ds, DCM_StructureSetDate, kDate);
    DcmItem* roi = nullptr;
    ds.findOrCreateSequenceItem(DCM_StructureSetROISequence, roi, 0);
    put(*roi, DCM_ROINumber, "1");
    put(*roi, DCM_ROIName, "Liver");
    put(*roi, DCM_ROIDescription, "QZROIDESC");
    const fs::path f = p.in / "QZSUBFOLDER" / "QZFILE_rs.dcm";
    save(rs, f);
    const std::string nested = implicit_sequence(0x3006, 0x00A0, {implicit_element(0x0010, 0x0020, "QZUNDEFNESTEDID")});
    const std::string item = implicit_element(0x3006, 0x0082, "1") + implicit_element(0x3006, 0x0084, "1") +
                             implicit_element(0x0008, 0x0020, kDate) + implicit_element(0x3006, 0x00A6, "QZUNDEFINTERP^JOHN") + nested;
    std::ofstream(f, std::ios::binary | std::ios::app) << un_sequence(0x3006, 0x0080, {item});
    p.markers.insert(p.markers.end(), {"QZSSLABEL", "QZROIDESC", "QZUNDEFNESTEDID", "QZUNDEFINTERP"});
  }
  p.dicom_files = 5;
  return p;
}

// Every marker found in `bytes`, by name.
std::set<std::string> found(const std::string& bytes, const std::vector<std::string>& markers) {
  std::set<std::string> out;
  for (const auto& m : markers)
    if (bytes.find(m) != std::string::npos) out.insert(m);
  if (bytes.find(kDate) != std::string::npos) out.insert(kDate);
  return out;
}

}  // namespace

TEST(DeidProbe, NoPlantedMarkerReachesAnyOutputByte) {
  const fs::path root = sirtkit::cli_test::fresh_dir("sirtkit_deid_probe");
  const Probe p = make_probe(root);
  std::ofstream(root / "key") << "an-example-key-of-more-than-32-bytes-long\n";
  // The probe is sound: every marker is in the input (bytes or names).
  std::string input_bytes;
  for (const auto& e : fs::recursive_directory_iterator(p.in)) {
    input_bytes += e.path().string() + "\n";
    if (e.is_regular_file()) input_bytes += slurp(e.path());
  }
  const std::set<std::string> in_input = found(input_bytes, p.markers);
  for (const auto& m : p.markers) EXPECT_TRUE(in_input.count(m)) << m << " was not planted";
  EXPECT_TRUE(in_input.count(kDate));
  EXPECT_GT(p.markers.size(), 1000u);  // the dictionary holds over a thousand text attributes, twice planted

  std::map<std::string, std::string> outputs;  // where -> bytes
  for (const std::string mode : {"text", "json"}) {
    const fs::path out = root / ("out_" + mode);
    const auto r = run("deid " + p.in.string() + " " + out.string() + " --key " + (root / "key").string() + (mode == "json" ? " --json" : ""));
    outputs["stdout+stderr " + mode] = r.out;
    ASSERT_EQ(r.code, 0) << r.out;
    if (mode == "json") {
      const auto j = nlohmann::json::parse(r.out);
      EXPECT_EQ(j["files_written"], p.dicom_files) << r.out;  // nothing refused: the probe must reach the filter
    }
    for (const auto& e : fs::recursive_directory_iterator(out)) {
      outputs["name " + e.path().string()] = fs::relative(e.path(), out).string();
      if (e.is_regular_file()) outputs[e.path().string()] = slurp(e.path());
    }
  }
  std::set<std::string> leaked;
  for (const auto& [where, bytes] : outputs)
    for (const auto& m : found(bytes, p.markers)) {
      leaked.insert(m);
      ADD_FAILURE() << m << " in " << where;
    }
  std::cout << "[probe] " << p.markers.size() + 1 << " markers planted, " << leaked.size() << " found in the outputs\n";
  EXPECT_TRUE(leaked.empty());
}

// The other DICOM commands may print the path the user typed, never a value
// of a text, identifier or date attribute: the dictionary-planted CT and a
// PET (with its decay date) through dicom info and to-nifti (text and JSON),
// and hostile code values (photometric, frames, modality) through the errors.
TEST(DicomProbe, CommandsPrintNoValueOfTextIdentifierOrDateAttributes) {
  const fs::path root = sirtkit::cli_test::fresh_dir("sirtkit_dicom_probe");
  std::vector<std::string> markers{"QZPATIENTNAME", "QZPATIENTID77", "20240115"};
  const fs::path ct = root / "ct";
  fs::create_directories(ct);
  edit_file(ct_file(ct, "ct.dcm"), [&](DcmDataset& ds) {
    for (auto& m : plant_dictionary(ds, 'T')) markers.push_back(m);
  });
  const fs::path pet = root / "pet";
  fs::create_directories(pet);
  {
    sirtkit::image::Grid g;
    g.size = {3, 3, 2};
    g.spacing_mm = {2, 2, 2};
    sirtkit::image::Volume<float> v(g);
    for (std::size_t n = 0; n < v.data.size(); ++n) v.data[n] = static_cast<float>(n);
    SeriesSpec s;
    s.modality = "PT";
    s.sop_class = UID_PositronEmissionTomographyImageStorage;
    for (const auto& f : write_slices(pet, v, s))
      edit_file(f, [](DcmDataset& ds) { put(ds, DCM_SeriesDescription, "QZSERIESDESC"); });
    markers.push_back("QZSERIESDESC");
  }
  const fs::path bad = root / "bad";
  fs::create_directories(bad);
  edit_file(ct_file(bad, "photometric.dcm"), [](DcmDataset& ds) { put(ds, DCM_PhotometricInterpretation, "QZPHOTO"); });
  const fs::path frames = root / "frames";
  fs::create_directories(frames);
  edit_file(ct_file(frames, "frames.dcm"), [](DcmDataset& ds) { put(ds, DCM_NumberOfFrames, "QZFRAMES"); });
  markers.insert(markers.end(), {"QZPHOTO", "QZFRAMES"});
  const fs::path ct_nifti = root / "ct.nii.gz";
  std::vector<std::pair<std::string, int>> runs{
      {"dicom info " + ct.string(), 0},
      {"dicom info --json " + ct.string(), 0},
      {"dicom info " + pet.string(), 0},
      {"dicom to-nifti " + ct.string() + " " + ct_nifti.string(), 0},
      {"dicom to-nifti --json " + pet.string() + " " + (root / "pet.nii.gz").string(), 0},
      {"dicom to-nifti " + pet.string() + " " + (root / "pet2.nii.gz").string(), 0},
      {"dicom info " + bad.string(), 2},
      {"dicom to-nifti " + bad.string() + " " + (root / "bad.nii.gz").string(), 2},
      {"dicom to-nifti " + frames.string() + " " + (root / "frames.nii.gz").string(), 2},
      {"dicom contours " + (ct / "ct.dcm").string() + " " + ct_nifti.string() + " " + (root / "l.nii.gz").string(), 2},
      {"dicom seg " + (ct / "ct.dcm").string() + " " + ct_nifti.string() + " " + (root / "s.nii.gz").string(), 2},
  };
  for (const auto& [args, code] : runs) {
    const auto r = run(args);
    EXPECT_EQ(r.code, code) << args << "\n" << r.out;
    for (const auto& m : found(r.out, markers)) ADD_FAILURE() << m << " printed by " << args << "\n" << r.out.substr(0, 2000);
  }
  // The refusals still name the attribute.
  EXPECT_NE(run("dicom to-nifti " + bad.string() + " " + (root / "bad.nii.gz").string()).out.find("PhotometricInterpretation (0028,0004) = (not a defined term)"),
            std::string::npos);
  EXPECT_NE(run("dicom to-nifti " + frames.string() + " " + (root / "f.nii.gz").string()).out.find("NumberOfFrames (0028,0008) = (not a number)"),
            std::string::npos);
}
