// Every command that reads a CT or an image refuses what it cannot interpret:
// a CT that is not in the units it is declared in (g/mL, counts, HU stored
// with air at 0, a CT that does not hold the body where the activity is), and
// a NIfTI file with a stale same-named sibling (ITK's reader would open the
// sibling). Exit 2 naming the file and the values found, nothing written.
#include <gtest/gtest.h>

#include <unistd.h>

#include "image/volume.h"
#include "io/image/nifti.h"
#include "run_sirtkit.h"

namespace {

namespace fs = std::filesystem;
using sirtkit::cli_test::run;
using sirtkit::cli_test::slurp;

class ImageInputs : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_cli_image_inputs_" + std::to_string(::getpid())); }
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    ASSERT_EQ(run("phantom --out " + dir().string()).code, 0);
    const auto ct = sirtkit::io::read_nifti_float(dir() / "ct.nii.gz");
    const auto labels = sirtkit::io::read_nifti_labels(dir() / "labels.nii.gz");
    auto offset = ct, density = ct, outside = ct;
    for (std::size_t i = 0; i < ct.data.size(); ++i) {
      offset.data[i] = ct.data[i] + 1000.f;  // HU stored with air at 0
      density.data[i] = std::max(0.0012f, 1.0f + ct.data[i] / 1000.f);  // roughly g/mL
      // The body away from where the activity is: the liver reads as air.
      if (labels.data[i] >= 1 && labels.data[i] <= 3) outside.data[i] = -1000.f;
    }
    sirtkit::io::write_nifti(dir() / "ct_offset.nii.gz", offset);
    sirtkit::io::write_nifti(dir() / "ct_density.nii.gz", density);
    sirtkit::io::write_nifti(dir() / "ct_outside.nii.gz", outside);
    for (const char* name : {"ct_offset", "ct_density", "ct_outside"}) {
      std::string text = slurp(dir() / "plan.toml");
      text.replace(text.find("ct = \"ct.nii.gz\""), 16, std::string("ct = \"") + name + ".nii.gz\"");
      std::ofstream(dir() / (std::string("plan_") + name + ".toml")) << text;
    }
  }
  static void TearDownTestSuite() { fs::remove_all(dir()); }
  static std::string f(const std::string& name) { return (dir() / name).string(); }
  // Exit 2, `needle` in the message, and neither --out file nor folder written.
  static void refused(const std::string& args, const std::string& needle, const std::string& out_flag = "") {
    const fs::path out = dir() / "never_written";
    const auto r = run(args + (out_flag.empty() ? "" : " " + out_flag + " " + out.string()));
    EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
    EXPECT_NE(r.out.find(needle), std::string::npos) << args << "\n" << r.out;
    EXPECT_FALSE(fs::exists(out)) << args;
  }
  static std::string dose_args(const std::string& ct) {
    return "dose " + f("maa_spect.nii.gz") + " --units counts --total-gbq 3 --ct " + f(ct);
  }
};

TEST_F(ImageInputs, DoseAcceptsACtInHounsfieldUnits) {
  const fs::path out = dir() / "dose_ok.nii.gz";
  const auto r = run(dose_args("ct.nii.gz") + " --out " + out.string());
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::exists(out));
}

TEST_F(ImageInputs, DoseRefusesACtNotInHounsfieldUnits) {
  // HU + 1000: air reads 0, the tissue around 1060.
  refused(dose_args("ct_offset.nii.gz"), "ct_offset.nii.gz: values (read as HU) = 1st percentile 0", "--out");
  refused(dose_args("ct_offset.nii.gz"), "--ct-units \"g/mL\"", "--out");
  // Counts given as a CT.
  refused(dose_args("maa_spect.nii.gz"), "does not look like a CT in HU", "--out");
  // Densities: refused as HU, accepted when declared, refused as g/mL when they are HU.
  refused(dose_args("ct_density.nii.gz"), "activity-weighted median 1.0", "--out");
  EXPECT_EQ(run(dose_args("ct_density.nii.gz") + " --ct-units g/mL").code, 0);
  refused(dose_args("ct.nii.gz") + " --ct-units g/mL", "does not look like a CT in g/mL", "--out");
  refused(dose_args("ct.nii.gz") + " --ct-units kg", "--ct-units = \"kg\"", "--out");
}

TEST_F(ImageInputs, DoseRefusesACtThatDoesNotHoldTheActivity) {
  refused(dose_args("ct_outside.nii.gz"), "activity-weighted median -1000", "--out");
}

TEST_F(ImageInputs, PlanRefusesAnOffsetCtAndACtMissingTheLiver) {
  refused("plan " + f("plan_ct_offset.toml"), "1st percentile 0, liver median 1060", "--out");
  refused("plan " + f("plan_ct_outside.toml"), "liver median -1000", "--out");
  refused("plan " + f("plan_ct_density.toml"), "[images] ct_units = \"g/mL\"", "--out");
}

// A stale sibling beside any image a command reads: activity, CT, delivered image, dose map, masks, labels.
TEST_F(ImageInputs, EveryCommandRefusesAStaleSibling) {
  const auto with_sibling = [&](const std::string& image, const std::string& args, const std::string& out_flag) {
    const std::string base = image.substr(0, image.size() - 7);  // without .nii.gz
    fs::copy_file(dir() / "labels.nii.gz", dir() / (base + ".nii"));
    refused(args, f(base + ".nii") + "' lies beside it", out_flag);
    fs::remove(dir() / (base + ".nii"));
  };
  with_sibling("maa_spect.nii.gz", dose_args("ct.nii.gz"), "--out");
  with_sibling("ct.nii.gz", dose_args("ct.nii.gz"), "--out");
  fs::copy_file(dir() / "maa_spect.nii.gz", dir() / "delivered.nii.gz");
  with_sibling("delivered.nii.gz", "verify " + f("plan.toml") + " --delivered " + f("delivered.nii.gz"), "--out");
  ASSERT_EQ(run(dose_args("ct.nii.gz") + " --out " + f("dose_map.nii.gz")).code, 0);
  const std::string dvh = "dvh " + f("dose_map.nii.gz") + " --mask liver=" + f("territory_right.nii.gz") + " --labels " +
                          f("labels.nii.gz") + " --voi tumour=2";
  EXPECT_EQ(run(dvh).code, 0);
  with_sibling("dose_map.nii.gz", dvh, "");
  with_sibling("territory_right.nii.gz", dvh, "");
  with_sibling("labels.nii.gz", dvh, "");
}

}  // namespace
