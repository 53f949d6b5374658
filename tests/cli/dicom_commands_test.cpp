// `sirtkit dicom ...` and `sirtkit deid` through the program as a user runs
// them, on DICOM files built with DCMTK from known volumes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../io/dicom/deid_planted_fixture.h"
#include "../io/dicom_fixture.h"
#include "io/image/nifti.h"

namespace {

namespace fs = std::filesystem;
using namespace sirtkit;
using namespace sirtkit::io::fixture;

struct Output {
  int code;
  std::string text;
};

Output sirtkit_run(const std::string& args) {
  const fs::path log = fs::temp_directory_path() / ("sirtkit_dicom_cli_" + std::to_string(::getpid()) + ".txt");
  const int status = std::system((std::string(SIRTKIT_BINARY) + " " + args + " > " + log.string() + " 2>&1").c_str());
  std::stringstream s;
  s << std::ifstream(log).rdbuf();
  return {WEXITSTATUS(status), s.str()};
}

image::Volume<float> phantom(const image::Grid& g) {
  image::Volume<float> v(g);
  for (std::size_t n = 0; n < v.data.size(); ++n) v.data[n] = static_cast<float>(n % 97) - 40;
  return v;
}

}  // namespace

TEST(DicomCommands, InfoToNiftiAndMixedSeriesChoice) {
  const fs::path dir = fresh_dir("cli_dicom");
  const auto ct = phantom(oblique_grid(5, 4, 6));
  SeriesSpec a;
  write_slices(dir, ct, a);
  SeriesSpec b;
  write_nm_tomo(dir / "nm.dcm", phantom(oblique_grid(3, 3, 3)), b);

  const Output info = sirtkit_run("dicom info " + dir.string() + " --json");
  ASSERT_EQ(info.code, 0) << info.text;
  const auto j = nlohmann::json::parse(info.text);
  ASSERT_EQ(j.size(), 2u);

  const fs::path out = dir.parent_path() / "sirtkit_cli_dicom.nii.gz";
  fs::remove(out);  // from an earlier run
  const Output refused = sirtkit_run("dicom to-nifti " + dir.string() + " " + out.string());
  EXPECT_EQ(refused.code, 2) << refused.text;
  EXPECT_NE(refused.text.find("(0020,000E)"), std::string::npos) << refused.text;
  EXPECT_FALSE(fs::exists(out));

  const Output ok = sirtkit_run("dicom to-nifti " + dir.string() + " " + out.string() + " --series " + a.series_uid);
  ASSERT_EQ(ok.code, 0) << ok.text;
  const auto v = io::read_nifti_float(out);
  EXPECT_EQ(v.grid.size, ct.grid.size);
  for (std::size_t n = 0; n < ct.data.size(); ++n) ASSERT_EQ(v.data[n], ct.data[n]);
}

TEST(DicomCommands, DeidRemovesIdentifiersAndNeedsAKey) {
  const fs::path dir = fresh_dir("cli_deid");
  // The input folder is named after the patient, with a Latin-1 byte (not UTF-8).
  const fs::path in = dir / "DOE_JANE_PID-12345_M\xDCLLER";
  const PlantedStudy p = plant_study(in);
  std::ofstream(dir / "key") << "an-example-key-of-more-than-32-bytes-long\n";
  const std::string args = "deid '" + in.string() + "' " + (dir / "out").string();
  const Output no_key = sirtkit_run(args);
  EXPECT_EQ(no_key.code, 2);
  EXPECT_FALSE(fs::exists(dir / "out"));
  const Output o = sirtkit_run(args + " --key " + (dir / "key").string() + " --json");
  ASSERT_EQ(o.code, 0) << o.text;  // it used to exit 1 after writing everything
  const auto j = nlohmann::json::parse(o.text);
  EXPECT_EQ(j["files_written"], 4);
  EXPECT_EQ(j["inputs"], 5);
  EXPECT_EQ(j["skipped_not_dicom"], 1);
  const Output text = sirtkit_run(args + "_text --key " + (dir / "key").string());
  ASSERT_EQ(text.code, 0) << text.text;
  EXPECT_NE(text.text.find("de-identified 4 of 5 input file(s)"), std::string::npos) << text.text;
  // Every byte out: stdout and stderr of both runs, every output file and name.
  std::vector<std::pair<std::string, std::string>> outputs{{"json run", o.text}, {"text run", text.text}, {"no key", no_key.text}};
  for (const auto& out : {dir / "out", dir / "out_text"})
    for (const auto& e : fs::recursive_directory_iterator(out)) {
      std::stringstream s;
      if (e.is_regular_file()) s << std::ifstream(e.path(), std::ios::binary).rdbuf();
      outputs.push_back({e.path().string(), s.str()});
      outputs.push_back({"name", fs::relative(e.path(), out).string()});
    }
  EXPECT_GT(outputs.size(), 10u);
  std::vector<std::string> planted = p.planted;
  planted.insert(planted.end(), {"M\xDCLLER", "LLER", "notes"});
  for (const auto& [where, bytes] : outputs)
    for (const auto& s : planted)
      EXPECT_EQ(bytes.find(s), std::string::npos) << "'" << s << "' in " << where;
}

TEST(DicomCommands, DeidRefusesBurnedInTextAndWritesNothing) {
  const fs::path dir = fresh_dir("cli_deid_burned");
  const fs::path in = dir / "DOE_JANE";
  fs::create_directories(in);
  SeriesSpec spec;
  const auto files = write_slices(in, phantom(oblique_grid(2, 2, 2)), spec);
  edit_file(files[0], [](DcmDataset& ds) { put(ds, DCM_BurnedInAnnotation, "YES"); });  // input #0 in sorted order
  std::ofstream(dir / "key") << "an-example-key-of-more-than-32-bytes-long\n";
  const std::string args = "deid " + in.string() + " " + (dir / "out").string() + " --key " + (dir / "key").string();
  const Output refused = sirtkit_run(args);
  EXPECT_EQ(refused.code, 2) << refused.text;
  EXPECT_NE(refused.text.find("input #0: Burned In Annotation (0028,0301) is YES"), std::string::npos) << refused.text;
  EXPECT_EQ(refused.text.find("DOE"), std::string::npos) << refused.text;
  EXPECT_FALSE(fs::exists(dir / "out"));
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) entries += e.path().filename() != "key" && e.path() != in;
  EXPECT_EQ(entries, 0u);  // no temporary folder left either
  const Output skipped = sirtkit_run(args + " --skip-refused --json");
  ASSERT_EQ(skipped.code, 0) << skipped.text;
  const auto j = nlohmann::json::parse(skipped.text);
  EXPECT_EQ(j["files_written"], 1);
  ASSERT_EQ(j["refused"].size(), 1u);
  EXPECT_EQ(j["refused"][0]["input"], 0);
  EXPECT_EQ(skipped.text.find("DOE"), std::string::npos) << skipped.text;
}

TEST(DicomCommands, ContoursAndRtdose) {
  const fs::path dir = fresh_dir("cli_rt");
  fs::create_directories(dir / "ct");
  SeriesSpec ct;
  image::Grid g;
  g.size = {20, 20, 5};
  g.spacing_mm = {1, 1, 2};
  g.origin_mm = {-9.5, -9.5, 0};
  write_slices(dir / "ct", phantom(g), ct);
  // An RTSTRUCT with a 5 mm square on slices 1..3, in the CT's frame of reference.
  DcmFileFormat rs;
  DcmDataset& ds = *rs.getDataset();
  SeriesSpec s = ct;
  s.modality = "RTSTRUCT";
  s.sop_class = UID_RTStructureSetStorage;
  s.series_uid = new_uid();
  put_common(ds, s, new_uid());
  DcmItem* roi = nullptr;
  ds.findOrCreateSequenceItem(DCM_StructureSetROISequence, roi, 0);
  put(*roi, DCM_ROINumber, "4");
  put(*roi, DCM_ReferencedFrameOfReferenceUID, ct.frame_of_reference_uid);
  put(*roi, DCM_ROIName, "Square");
  DcmItem* rc = nullptr;
  ds.findOrCreateSequenceItem(DCM_ROIContourSequence, rc, 0);
  put(*rc, DCM_ReferencedROINumber, "4");
  for (int k = 1; k <= 3; ++k) {
    DcmItem* c = nullptr;
    rc->findOrCreateSequenceItem(DCM_ContourSequence, c, k - 1);
    put(*c, DCM_ContourGeometricType, "CLOSED_PLANAR");
    put(*c, DCM_NumberOfContourPoints, "4");
    const double z = 2.0 * k;
    put(*c, DCM_ContourData, ds_list({-2, -2, z, 3, -2, z, 3, 3, z, -2, 3, z}));
  }
  rs.saveFile((dir / "rs.dcm").c_str(), EXS_LittleEndianExplicit);

  const fs::path labels = dir / "labels.nii.gz";
  const Output o = sirtkit_run("dicom contours " + (dir / "rs.dcm").string() + " " + (dir / "ct").string() + " " + labels.string() + " --json");
  ASSERT_EQ(o.code, 0) << o.text;
  const auto j = nlohmann::json::parse(o.text);
  EXPECT_EQ(j["rois"][0]["label"], 4);
  EXPECT_EQ(j["rois"][0]["voxels"], 75);  // 5 x 5 voxel centres on 3 slices
  const auto l = io::read_nifti_labels(labels);
  EXPECT_EQ(l.at(10, 10, 2), 4);
  EXPECT_EQ(l.at(10, 10, 0), 0);

  // Dose written back as RTDOSE in the CT's frame of reference.
  image::Volume<float> dose(g, 0.f);
  for (std::size_t n = 0; n < dose.data.size(); ++n) dose.data[n] = 0.5f * static_cast<float>(n % 50);
  io::write_nifti(dir / "dose.nii.gz", dose);
  const Output d = sirtkit_run("dicom rtdose " + (dir / "dose.nii.gz").string() + " " + (dir / "ct").string() + " " +
                               (dir / "dose.dcm").string() + " --json");
  ASSERT_EQ(d.code, 0) << d.text;
  EXPECT_EQ(nlohmann::json::parse(d.text)["frame_of_reference_uid"], ct.frame_of_reference_uid);
  const Output back = sirtkit_run("dicom to-nifti " + (dir / "dose.dcm").string() + " " + (dir / "dose_back.nii.gz").string());
  ASSERT_EQ(back.code, 0) << back.text;
  const auto r = io::read_nifti_float(dir / "dose_back.nii.gz");
  for (std::size_t n = 0; n < dose.data.size(); ++n) ASSERT_NEAR(r.data[n], dose.data[n], 1e-6);

  // Contours in another frame of reference: refused, no output.
  fs::remove(labels);
  edit_file(dir / "rs.dcm", [](DcmDataset& ds2) {
    DcmItem* item = nullptr;
    ds2.findAndGetSequenceItem(DCM_StructureSetROISequence, item, 0);
    put(*item, DCM_ReferencedFrameOfReferenceUID, "1.2.3.4.5");
  });
  const Output bad = sirtkit_run("dicom contours " + (dir / "rs.dcm").string() + " " + (dir / "ct").string() + " " + labels.string());
  EXPECT_EQ(bad.code, 2) << bad.text;
  EXPECT_NE(bad.text.find("(3006,0024)"), std::string::npos) << bad.text;
  EXPECT_FALSE(fs::exists(labels));
}
