// `sirtkit dose`: analytic cases through the program.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
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
  const fs::path log = fs::temp_directory_path() / ("sirtkit_dose_" + std::to_string(::getpid()) + ".txt");
  const int status = std::system((std::string(SIRTKIT_BINARY) + " " + args + " > " + log.string() + " 2>&1").c_str());
  std::stringstream s;
  s << std::ifstream(log).rdbuf();
  return {WEXITSTATUS(status), s.str()};
}

class DoseCommand : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_dose_cli_" + std::to_string(::getpid())); }
  // 2 GBq spread uniformly over a 20³ block (8000 voxels of 4.42 mm) in a 40³ field.
  static void SetUpTestSuite() {
    fs::create_directories(dir());
    sirtkit::image::Grid g;
    g.size = {40, 40, 40};
    g.spacing_mm = {4.42, 4.42, 4.42};
    sirtkit::image::Volume<float> a(g, 0.f);
    for (int k = 10; k < 30; ++k)
      for (int j = 10; j < 30; ++j)
        for (int i = 10; i < 30; ++i) a.at(i, j, k) = 2.0f / 8000.f;
    sirtkit::io::write_nifti(dir() / "activity.nii.gz", a);
  }
  static double voxel_kg() { return 1.03 * std::pow(4.42, 3) / 1e6; }
};

TEST_F(DoseCommand, UniformActivityLocalDepositionIsKAOverM) {
  const fs::path out = dir() / "dose.nii.gz";
  const Output o = sirtkit("dose " + (dir() / "activity.nii.gz").string() + " --density-g-per-ml 1.03 --k 50 --out " + out.string());
  ASSERT_EQ(o.code, 0) << o.text;
  const auto dose = sirtkit::io::read_nifti_float(out);
  const double expected = 50 * 2.0 / (8000 * voxel_kg());  // K·A/M
  EXPECT_NEAR(dose.at(20, 20, 20), expected, 1e-5 * expected);
  EXPECT_NEAR(dose.at(10, 10, 10), expected, 1e-5 * expected);
  EXPECT_EQ(dose.at(5, 5, 5), 0.f);
}

TEST_F(DoseCommand, KernelConservesEnergyAndMatchesInside) {
  const fs::path out = dir() / "dose_kernel.nii.gz";
  const Output o = sirtkit("dose " + (dir() / "activity.nii.gz").string() +
                           " --density-g-per-ml 1.03 --k 50 --method kernel --json --out " + out.string());
  ASSERT_EQ(o.code, 0) << o.text;
  const auto j = nlohmann::json::parse(o.text);
  EXPECT_NEAR(j["absorbed_energy_j"].get<double>(), 50 * 2.0, 1e-3);
  const auto dose = sirtkit::io::read_nifti_float(out);
  const double expected = 50 * 2.0 / (8000 * voxel_kg());
  EXPECT_NEAR(dose.at(20, 20, 20), expected, 0.01 * expected);
  EXPECT_GT(dose.at(9, 20, 20), 0.f);  // beta range reaches the neighbour outside
}

TEST_F(DoseCommand, PetConcentrationIsDecayCorrected) {
  // The same activity as Bq/mL measured one half-life after injection: half of it is left.
  auto a = sirtkit::io::read_nifti_float(dir() / "activity.nii.gz");
  const double ml = std::pow(4.42, 3) / 1000;
  for (float& v : a.data) v = static_cast<float>(v * 1e9 / ml * 0.5);
  sirtkit::io::write_nifti(dir() / "pet.nii.gz", a);
  const Output o = sirtkit("dose " + (dir() / "pet.nii.gz").string() +
                           " --units bq-per-ml --hours-after-injection 64.1 --density-g-per-ml 1.03 --json");
  ASSERT_EQ(o.code, 0) << o.text;
  EXPECT_NEAR(nlohmann::json::parse(o.text)["total_gbq"].get<double>(), 2.0, 1e-4);
}

TEST_F(DoseCommand, MissingDensityAndNegativeActivityAreRefused) {
  EXPECT_EQ(sirtkit("dose " + (dir() / "activity.nii.gz").string()).code, 2);
  EXPECT_EQ(sirtkit("dose " + (dir() / "activity.nii.gz").string() + " --units counts --density-g-per-ml 1").code, 2);
  EXPECT_EQ(sirtkit("dose " + (dir() / "nothing.nii.gz").string() + " --density-g-per-ml 1").code, 4);
}

}  // namespace
