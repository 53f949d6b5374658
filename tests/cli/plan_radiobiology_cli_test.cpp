// The demo plan's voxel-by-voxel radiobiology as a user sees it in JSON, text
// and HTML (dosimetry/metrics/radiobiology.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "run_sirtkit.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sirtkit::cli_test::run;
using sirtkit::cli_test::slurp;

class PlanRadiobiologyCli : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_cli_radiobiology_" + std::to_string(::getpid())); }
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    ASSERT_EQ(run("phantom --out " + dir().string()).code, 0);
  }
  static json plan_json(const fs::path& plan) {
    const auto r = run("plan " + plan.string() + " --json", false);
    EXPECT_EQ(r.code, 0) << r.out;
    return json::parse(r.out);
  }
  static const json& voi(const json& j, const std::string& name) {
    for (const auto& v : j["vois"])
      if (v["name"] == name) return v;
    throw std::runtime_error("no VOI " + name);
  }
  // plan.toml with one line replaced, written beside it.
  static fs::path edited(const std::string& from, const std::string& to) {
    std::string text = slurp(dir() / "plan.toml");
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    const fs::path p = dir() / "plan_edited.toml";
    std::ofstream(p) << text;
    return p;
  }
};

TEST_F(PlanRadiobiologyCli, JsonReportsVoxelBedsByTissue) {
  const json j = plan_json(dir() / "plan.toml");
  for (const auto& v : j["vois"]) {
    const double f = v["tumour_voxel_fraction"];
    // For one tissue BED is convex in dose: the mean of voxel BEDs is at least the BED of the mean.
    if ((f == 0 || f == 1) && v["role"] != "lungs")
      EXPECT_GE(v["bed_mean_gy"].get<double>(), v["bed_of_mean_dose_gy"].get<double>() * (1 - 1e-9)) << v["name"];
    EXPECT_EQ(v["ntcp_fraction"].is_null(), v["name"] != "normal liver") << v["name"];
    EXPECT_EQ(v["tcp_fraction"].is_null(), v["role"] != "tumour") << v["name"];
    if (v["role"] == "tumour") EXPECT_EQ(f, 1.0) << v["name"];
  }
  // The lungs are uniform at the package-insert dose: their BED is the BED of that dose.
  const json& lungs = voi(j, "lungs");
  EXPECT_NEAR(lungs["bed_mean_gy"].get<double>(), lungs["bed_of_mean_dose_gy"].get<double>(), 1e-9);
  // The whole liver mixes tumour and normal voxels.
  const double liver_tumour = voi(j, "liver")["tumour_voxel_fraction"];
  EXPECT_GT(liver_tumour, 0.0);
  EXPECT_LT(liver_tumour, 1.0);
  // The normal liver is heterogeneous under voxel dosimetry: averaging the dose first would understate its BED.
  const json& normal = voi(j, "normal liver");
  EXPECT_GT(normal["bed_mean_gy"].get<double>(), 1.02 * normal["bed_of_mean_dose_gy"].get<double>());
  const double ntcp = normal["ntcp_fraction"];
  EXPECT_GT(ntcp, 0.0);
  EXPECT_LT(ntcp, 1.0);
  EXPECT_EQ(j["radiobiology"]["liver_ntcp"]["td50_gy"], 250.0);
  EXPECT_EQ(j["radiobiology"]["liver_ntcp"]["m"], 0.28);
  EXPECT_EQ(j["radiobiology"]["tumour_tcp"]["clonogen_density_per_ml"], 1e7);
}

TEST_F(PlanRadiobiologyCli, NtcpIsOneHalfWhenTd50IsTheNormalLiversEffectiveBed) {
  // n = 1: BED_eff is the volume mean of the voxel BEDs; with TD50 set to it, LKB gives exactly 0.5.
  // The demo liver has one density, so the volume mean equals the reported (mass-weighted) mean.
  const json j = plan_json(dir() / "plan.toml");
  const double bed = voi(j, "normal liver")["bed_mean_gy"];
  char td50[64];
  std::snprintf(td50, sizeof td50, "td50_gy = %.17g", bed);
  const json k = plan_json(edited("td50_gy = 250", td50));
  EXPECT_NEAR(voi(k, "normal liver")["ntcp_fraction"].get<double>(), 0.5, 1e-6);
  // And one slope (m·TD50) above the effective BED: Φ(−1).
  std::snprintf(td50, sizeof td50, "td50_gy = %.17g", bed / 0.72);
  const json m = plan_json(edited("td50_gy = 250", td50));
  const double expected = 0.5 * std::erfc(1 / std::sqrt(2.0));  // Φ(−1) = 0.158655
  EXPECT_NEAR(voi(m, "normal liver")["ntcp_fraction"].get<double>(), expected, 1e-6);
}

TEST_F(PlanRadiobiologyCli, TextAndHtmlShowTheOutcomesAndTheirParameters) {
  const fs::path out = dir() / "out";
  const auto r = run("plan " + (dir() / "plan.toml").string() + " --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("Radiobiology (voxel by voxel"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("NTCP "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("TD50 250 Gy, m 0.28, n 1"), std::string::npos) << r.out;
  const std::string html = slurp(out / "report.html");
  EXPECT_NE(html.find("<th>NTCP %</th>"), std::string::npos);
  EXPECT_NE(html.find("Lyman-Kutcher-Burman on BED"), std::string::npos);
  const json j = json::parse(slurp(out / "plan.json"));
  EXPECT_TRUE(voi(j, "normal liver")["ntcp_fraction"].is_number());
}

TEST_F(PlanRadiobiologyCli, OutOfRangeNtcpParameterIsRefused) {
  const auto r = run("plan " + edited("m = 0.28", "m = 0").string() + " --json");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("liver_ntcp"), std::string::npos) << r.out;
}

}  // namespace
