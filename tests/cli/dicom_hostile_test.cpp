// Hostile DICOM through every command that reads DICOM, as a user runs them:
// each must end with exit 2 and a message naming the file and the reason,
// never with a signal (a crash or an assertion would show as 128 + signal).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../io/dicom_hostile.h"
#include "io/image/nifti.h"

namespace {

namespace fs = std::filesystem;
using namespace sirtkit;
using namespace sirtkit::io;

struct RunResult {
  bool signalled;
  int code;
  std::string text;
};

RunResult sirtkit_run(const std::string& args) {
  const fs::path log = fs::temp_directory_path() / ("sirtkit_hostile_cli_" + std::to_string(::getpid()) + ".txt");
  // exec: the status is the program's own, not a shell's report of it.
  const int status = std::system(("exec " + std::string(SIRTKIT_BINARY) + " " + args + " > " + log.string() + " 2>&1").c_str());
  std::stringstream s;
  s << std::ifstream(log).rdbuf();
  return {WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) > 128), WIFEXITED(status) ? WEXITSTATUS(status) : -1, s.str()};
}

struct Case {
  std::string name;    // also the file name, which the message must carry
  std::string reason;  // a part of the message that says why
  std::function<void(const fs::path& file)> make;
  std::string deid_reason = "";  // when deid words it otherwise (it converts VRs before checking values)
};

std::vector<Case> hostile_cases() {
  auto edited = [](std::function<void(DcmDataset&)> edit) {
    return [edit](const fs::path& file) {
      const fs::path made = hostile::ct_slice(file.parent_path(), "tmp.dcm");
      fixture::edit_file(made, edit);
      fs::rename(made, file);
    };
  };
  return {
      {"deep.dcm", "33 levels", [](const fs::path& f) { hostile::deep_nesting(f, 6000); }},
      {"huge.dcm", "bytes left in the file", [](const fs::path& f) { hostile::huge_length(f); }},
      {"items.dcm", "number of sequence items", [](const fs::path& f) { hostile::many_items(f, 1'000'001); }},
      {"truncated.dcm", "bytes",
       [](const fs::path& f) {
         const fs::path made = hostile::ct_slice(f.parent_path(), "whole.dcm");
         hostile::truncate_copy(made, f, fs::file_size(made) - 7);
         fs::remove(made);
       }},
      {"rescale_ui.dcm", "VR UI", edited([](DcmDataset& ds) { hostile::put_as_ui(ds, DCM_RescaleIntercept, "1.2.3"); }),
       "RescaleIntercept (0028,1052) = 1.2.3: a finite decimal number"},
      {"palette.dcm", "no palette", edited([](DcmDataset& ds) { ds.putAndInsertString(DCM_PhotometricInterpretation, "PALETTE COLOR"); })},
      {"rgb1.dcm", "RGB with 1 sample", edited([](DcmDataset& ds) { ds.putAndInsertString(DCM_PhotometricInterpretation, "RGB"); })},
      {"bits17.dcm", "BitsStored (0028,0101) = 17", edited([](DcmDataset& ds) { ds.putAndInsertUint16(DCM_BitsStored, 17); })},
  };
}

}  // namespace

// One test per hostile file (ctest runs them in parallel).
class DicomHostileFile : public ::testing::TestWithParam<int> {};

TEST_P(DicomHostileFile, EveryCommandRefusesItWithExitTwo) {
  const Case c = hostile_cases().at(static_cast<std::size_t>(GetParam()));
  const fs::path root = fixture::fresh_dir("hostile_cli_" + std::to_string(GetParam()));
  // `plan` reads its CT from the plan file: the demo plan, pointed at the hostile folder.
  ASSERT_EQ(sirtkit_run("phantom --out " + (root / "demo").string()).code, 0);
  std::stringstream plan_text;
  plan_text << std::ifstream(root / "demo" / "plan.toml").rdbuf();
  const fs::path dir = root / c.name.substr(0, c.name.size() - 4);
  fs::create_directories(dir);
  c.make(dir / c.name);
  // One plan with the hostile folder as its CT, one as its MAA SPECT.
  std::vector<fs::path> plan_files;
  for (const std::string line : {"ct = \"ct.nii.gz\"", "spect = \"maa_spect.nii.gz\""}) {
    std::string plan = plan_text.str();
    ASSERT_NE(plan.find(line), std::string::npos) << line;
    plan.replace(plan.find(line), line.size(), line.substr(0, line.find('=')) + "= \"" + dir.string() + "\"");
    plan_files.push_back(root / "demo" / ("plan_" + line.substr(0, line.find(' ')) + "_" + c.name + ".toml"));
    std::ofstream(plan_files.back()) << plan;
  }
  const fs::path out = root / (c.name + ".nii.gz");
  std::ofstream(root / "key") << std::string(40, 'k');
  const std::vector<std::string> commands{
      "dicom info " + dir.string(),
      "dicom to-nifti " + dir.string() + " " + out.string(),
      "dicom contours " + (dir / c.name).string() + " " + (root / "demo" / "ct.nii.gz").string() + " " + out.string(),
      "dicom seg " + (dir / c.name).string() + " " + (root / "demo" / "ct.nii.gz").string() + " " + out.string(),
      "plan " + plan_files[0].string() + " --out " + (root / "plan_out").string(),
      "plan " + plan_files[1].string() + " --out " + (root / "plan_out").string(),
      "dose " + dir.string() + " --density-g-per-ml 1.0 --out " + (root / "dose_out").string(),
      "dose " + (root / "demo" / "maa_spect.nii.gz").string() + " --units counts --total-gbq 2 --ct " + dir.string() + " --out " +
          (root / "dose_out").string(),
      "verify " + (root / "demo" / "plan.toml").string() + " --delivered " + dir.string() + " --out " + (root / "verify_out").string(),
      "deid " + dir.string() + " " + (root / "deid_out").string() + " --key " + (root / "key").string(),
      "deid " + dir.string() + " " + (root / "deid_out").string() + " --key " + (root / "key").string() + " --json",
  };
  const bool header_case = c.name == "deep.dcm" || c.name == "huge.dcm" || c.name == "truncated.dcm" || c.name == "items.dcm";
  for (const std::string& cmd : commands) {
    const RunResult r = sirtkit_run(cmd);
    EXPECT_FALSE(r.signalled) << c.name << ": " << cmd << "\n" << r.text;
    // Nothing written: no output file or folder, no temporary left beside them.
    EXPECT_FALSE(fs::exists(out)) << cmd;
    for (const char* folder : {"plan_out", "dose_out", "verify_out", "deid_out"}) EXPECT_FALSE(fs::exists(root / folder)) << cmd;
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(root)) entries += e.path().filename().string()[0] == '.';
    EXPECT_EQ(entries, 0u) << cmd << ": a hidden temporary was left";
    // deid refuses every case too (its pixel module check stands for
    // decoding), names the reason and never the input file: file names may
    // carry patient names, so it says "input #0".
    if (cmd.rfind("deid", 0) == 0) {
      EXPECT_EQ(r.code, 2) << c.name << ": " << cmd << "\n" << r.text;
      EXPECT_NE(r.text.find("input #0"), std::string::npos) << c.name << ": " << cmd << "\n" << r.text;
      EXPECT_NE(r.text.find(c.deid_reason.empty() ? c.reason : c.deid_reason), std::string::npos) << c.name << ": " << cmd << "\n" << r.text;
      EXPECT_EQ(r.text.find(c.name), std::string::npos) << c.name << ": " << cmd << "\n" << r.text;
      EXPECT_EQ(r.text.find(dir.string()), std::string::npos) << c.name << ": " << cmd << "\n" << r.text;
      continue;
    }
    EXPECT_EQ(r.code, 2) << c.name << ": " << cmd << "\n" << r.text;
    EXPECT_NE(r.text.find(c.name), std::string::npos) << c.name << ": " << cmd << "\n" << r.text;
    // An image file given as RTSTRUCT or SEG is refused for its modality
    // when its header is sound: the reason is checked where pixels are read.
    if ((cmd.rfind("dicom contours", 0) == 0 || cmd.rfind("dicom seg", 0) == 0) && !header_case) continue;
    EXPECT_NE(r.text.find(c.reason), std::string::npos) << c.name << ": " << cmd << "\n" << r.text;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, DicomHostileFile, ::testing::Range(0, static_cast<int>(hostile_cases().size())));

TEST(DicomHostile, Monochrome1CtAndOverlayCommentsConvertWithCorrectHounsfieldUnits) {
  const fs::path dir = fixture::fresh_dir("hostile_cli_mono1");
  const fs::path f = hostile::ct_slice(dir, "mono1.dcm");
  fixture::edit_file(f, [](DcmDataset& ds) {
    ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME1");
    ds.putAndInsertString(DcmTagKey(0x6000, 0x4000), "overlay comment");
  });
  const fs::path out = dir.parent_path() / "sirtkit_hostile_mono1.nii.gz";
  fs::remove(out);
  const RunResult r = sirtkit_run("dicom to-nifti " + dir.string() + " " + out.string());
  ASSERT_FALSE(r.signalled) << r.text;
  ASSERT_EQ(r.code, 0) << r.text;
  const image::Volume<float> v = read_nifti_float(out);
  ASSERT_EQ(v.data.size(), 12u);
  for (std::size_t n = 0; n < 12; ++n) EXPECT_EQ(v.data[n], static_cast<float>(-24 + 10 * static_cast<int>(n))) << n;
  fs::remove(out);
}
