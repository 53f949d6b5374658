// `sirtkit calc ...` and `sirtkit dvh` against the worked numbers of
// dosimetry-physics.md §11, through the program as a user runs it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "image/volume.h"
#include "io/image/nifti.h"

namespace {

namespace fs = std::filesystem;

struct Output {
  int code;
  std::string text;
};

Output sirtkit(const std::string& args) {
  const fs::path log = fs::temp_directory_path() / ("sirtkit_calc_" + std::to_string(::getpid()) + ".txt");
  const int status = std::system((std::string(SIRTKIT_BINARY) + " " + args + " > " + log.string() + " 2>&1").c_str());
  std::stringstream s;
  s << std::ifstream(log).rdbuf();
  return {WEXITSTATUS(status), s.str()};
}

nlohmann::json json_of(const std::string& args) {
  const Output o = sirtkit(args + " --json");
  EXPECT_EQ(o.code, 0) << o.text;
  return nlohmann::json::parse(o.text);
}

TEST(CalcCommand, MirdPackageInsertExample) {
  const auto j = json_of("calc mird --dose-gy 120 --mass-kg 1.545 --lsf 0.05 --k 50");
  EXPECT_NEAR(j["vial_activity_at_injection_gbq"].get<double>(), 3.9032, 5e-5);
  EXPECT_NEAR(j["lung_dose_gy"].get<double>(), 9.758, 5e-4);
}

TEST(CalcCommand, DefaultDoseConstantComesFromTheNuclearData) {
  const auto j = json_of("calc mird --dose-gy 100 --mass-kg 1 --lsf 0");
  EXPECT_NEAR(j["dose_constant_gy_kg_per_gbq"].get<double>(), 49.963, 1e-3);
}

TEST(CalcCommand, PartitionWorkedExample) {
  const auto j = json_of("calc partition --activity-gbq 3 --lsf 0.05 --tumour T1:0.3:3 --normal-mass-kg 1.2 --k 49.67");
  EXPECT_NEAR(j["tumours"][0]["dose_gy"].get<double>(), 202.23, 0.01);
  EXPECT_NEAR(j["normal_dose_gy"].get<double>(), 67.41, 0.01);
  EXPECT_NEAR(j["lung_dose_gy"].get<double>(), 7.45, 0.01);
}

TEST(CalcCommand, DecayBothWays) {
  EXPECT_NEAR(json_of("calc decay --activity-gbq 1 --hours 72")["activity_after_gbq"].get<double>(), 0.4591, 5e-5);
  EXPECT_NEAR(json_of("calc decay --activity-gbq 7 --to-gbq 3.903")["hours"].get<double>(), 54.02, 0.01);
}

TEST(CalcCommand, BsaWithLungShuntReduction) {
  const auto j = json_of("calc bsa --height-m 1.75 --weight-kg 70 --tumour-ml 300 --liver-ml 1500 --lsf 0.12");
  EXPECT_NEAR(j["bsa_m2"].get<double>(), 1.8481, 5e-5);
  EXPECT_NEAR(j["activity_gbq"].get<double>(), 1.478, 5e-4);
}

TEST(CalcCommand, Bed) {
  EXPECT_NEAR(json_of("calc bed --dose-gy 205 --alpha-beta-gy 10 --repair-half-time-h 1.5")["bed_gy"].get<double>(), 301.09, 0.01);
}

TEST(CalcCommand, PercentInsteadOfFractionIsBadInput) {
  const Output o = sirtkit("calc mird --dose-gy 120 --mass-kg 1.5 --lsf 5");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.text.find("--lsf = 5: a fraction in [0, 1), not a percent"), std::string::npos) << o.text;
  EXPECT_EQ(sirtkit("calc decay --activity-gbq 1").code, 2);
  EXPECT_EQ(sirtkit("calc partition --activity-gbq 3 --lsf 0.05 --tumour T1:heavy:3 --normal-mass-kg 1").code, 2);
}

TEST(DvhCommand, MetricsOfAKnownDoseMap) {
  // 10 voxels of 1..10 Gy in label 1; label 2 gets 50 Gy.
  sirtkit::image::Grid g;
  g.size = {12, 1, 1};
  sirtkit::image::Volume<float> dose(g, 0.f);
  sirtkit::image::LabelMap labels(g, 0);
  for (int i = 0; i < 10; ++i) {
    dose.data[i] = static_cast<float>(i + 1);
    labels.data[i] = 1;
  }
  dose.data[10] = 50.f;
  labels.data[10] = 2;
  const fs::path dir = fs::temp_directory_path() / ("sirtkit_dvh_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  sirtkit::io::write_nifti(dir / "dose.nii.gz", dose);
  sirtkit::io::write_nifti(dir / "labels.nii.gz", labels);
  const auto j = json_of("dvh " + (dir / "dose.nii.gz").string() + " --labels " + (dir / "labels.nii.gz").string() +
                         " --voi ramp=1 --voi both=1,2 --d 70 --v 5");
  EXPECT_DOUBLE_EQ(j["vois"][0]["mean_gy"].get<double>(), 5.5);
  EXPECT_DOUBLE_EQ(j["vois"][0]["d_gy"]["D70"].get<double>(), 4.0);  // 7th highest of 1..10
  EXPECT_DOUBLE_EQ(j["vois"][0]["v_percent"]["V5"].get<double>(), 60.0);
  EXPECT_DOUBLE_EQ(j["vois"][1]["max_gy"].get<double>(), 50.0);
  EXPECT_EQ(j["vois"][1]["voxels"].get<int>(), 11);
}

}  // namespace
