// Survival times say their unit: from --time-unit, or from the ADaM AVALU
// column of the file; an unknown unit is said to be unknown, never guessed;
// --time-unit against a different AVALU is refused.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "run_sirtkit.h"

namespace sirtkit::cli_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class TimeUnit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fresh_dir("sirtkit_time_unit");
    fs::create_directories(dir);
    std::ofstream(dir / "adtte.csv") << "AVAL,AVALU,CNSR,ARM\n3.5,MONTHS,0,a\n7.25,MONTHS,1,a\n2,MONTHS,0,b\n9,MONTHS,0,b\n";
    std::ofstream(dir / "plain.csv") << "time,status\n3.5,1\n7.25,0\n2,1\n9,1\n";
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string adtte() const { return (dir / "adtte.csv").string() + " --time AVAL --event CNSR --event-coding cnsr"; }
  std::string plain() const { return (dir / "plain.csv").string(); }
  fs::path dir;
};

TEST_F(TimeUnit, TheFilesAvaluGivesTheUnitOfEveryTimeAndOfThePlotAxis) {
  const json j = json::parse(run("km " + adtte() + " --group ARM --times 3 --json", false).out);
  EXPECT_EQ(j["time_unit"], "months");
  const CliRun text = run("km " + adtte() + " --group ARM --times 3");
  EXPECT_NE(text.out.find("times in months"), std::string::npos) << text.out;
  const json& all = j["curves"][0];
  const std::string median = nlohmann::json(all["median"]["median"].get<double>()).dump();
  EXPECT_NE(text.out.find("median " + median + " months ("), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("t=3 months"), std::string::npos) << text.out;
  const fs::path out = dir / "plot";
  ASSERT_EQ(run("km " + adtte() + " --group ARM --out " + out.string()).code, 0);
  EXPECT_NE(slurp(out / "km.svg").find("AVAL (months)"), std::string::npos);
}

TEST_F(TimeUnit, WithoutAUnitTheOutputSaysSoAndTimeUnitSetsIt) {
  const json j = json::parse(run("km " + plain() + " --json", false).out);
  EXPECT_TRUE(j["time_unit"].is_null());
  EXPECT_NE(run("km " + plain()).out.find("time unit not given (--time-unit)"), std::string::npos);
  const json d = json::parse(run("km " + plain() + " --time-unit day --json", false).out);
  EXPECT_EQ(d["time_unit"], "days");
  const json r = json::parse(run("rmst " + plain() + " --tau 8 --time-unit weeks --json", false).out);
  EXPECT_EQ(r["time_unit"], "weeks");
}

TEST_F(TimeUnit, AnUnknownUnitOrOneThatContradictsAvaluIsRefused) {
  const CliRun bad = run("km " + plain() + " --time-unit fortnights");
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_NE(bad.out.find("fortnights"), std::string::npos) << bad.out;
  const CliRun clash = run("km " + adtte() + " --time-unit days");
  EXPECT_EQ(clash.code, 2) << clash.out;
  EXPECT_NE(clash.out.find("AVALU"), std::string::npos) << clash.out;
  EXPECT_NE(clash.out.find("MONTHS"), std::string::npos) << clash.out;
}

}  // namespace
}  // namespace sirtkit::cli_test
