// The plan and phantom commands as a user runs them: exit codes, outputs,
// and no partial output on failure.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int code;
  std::string out;
};

CommandResult run(const std::string& args) {
  const fs::path log = fs::temp_directory_path() / ("sirtkit_cli_out_" + std::to_string(::getpid()) + ".txt");
  const std::string cmd = std::string(SIRTKIT_BINARY) + " " + args + " > " + log.string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  std::ifstream in(log);
  std::stringstream s;
  s << in.rdbuf();
  return {WEXITSTATUS(status), s.str()};
}

class PlanCommand : public ::testing::Test {
 protected:
  // One folder per process: ctest runs the tests of this suite in parallel processes.
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_cli_plan_" + std::to_string(::getpid())); }
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    ASSERT_EQ(run("phantom --out " + dir().string()).code, 0);
  }
  static fs::path edited(const std::string& name, const std::string& from, const std::string& to) {
    std::ifstream in(dir() / "plan.toml");
    std::stringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    text.replace(text.find(from), from.size(), to);
    std::ofstream(dir() / name) << text;
    return dir() / name;
  }
};

TEST_F(PlanCommand, PlansTheDemoAndWritesEveryFile) {
  const fs::path out = dir() / "out";
  const CommandResult r = run("plan " + (dir() / "plan.toml").string() + " --out " + out.string());
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("STATUS: aims met"), std::string::npos) << r.out;
  for (const char* f : {"dose.nii.gz", "dvh.csv", "plan.json", "report.html"}) EXPECT_TRUE(fs::exists(out / f)) << f;
}

// A report is filed and shared: it names the plan file, never the folders above it
// (sites name folders after patients).
TEST_F(PlanCommand, ReportsNameThePlanFileWithoutItsFolder) {
  const fs::path out = dir() / "named";
  ASSERT_EQ(run("plan " + (dir() / "plan.toml").string() + " --out " + out.string()).code, 0);
  for (const char* f : {"plan.json", "report.html"}) {
    std::ifstream in(out / f);
    std::stringstream s;
    s << in.rdbuf();
    EXPECT_NE(s.str().find("plan.toml"), std::string::npos) << f;
    EXPECT_EQ(s.str().find(dir().filename().string()), std::string::npos) << f << " names the plan's folder";
  }
}

TEST_F(PlanCommand, JsonCarriesTheNumbers) {
  const CommandResult r = run("plan " + (dir() / "plan.toml").string() + " --json");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("\"schema\": \"sirtkit.plan/1\""), std::string::npos);
  EXPECT_NE(r.out.find("\"lung_shunt_fraction\""), std::string::npos);
}

TEST_F(PlanCommand, InfeasiblePlanExitsWithThree) {
  const CommandResult r = run("plan " + edited("tight.toml", "max_dose_gy = 30", "max_dose_gy = 5").string());
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(r.out.find("STATUS: infeasible"), std::string::npos);
  EXPECT_NE(r.out.find("over its limit by"), std::string::npos);
}

TEST_F(PlanCommand, WhatIfBreakingAConstraintExitsWithThree) {
  const CommandResult r = run("plan " + (dir() / "plan.toml").string() + " --activity 9");
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(r.out.find("[NO] lungs mean <= 30 Gy"), std::string::npos) << r.out;
}

TEST_F(PlanCommand, NoVialExitsWithThreeAndTheJsonSaysSo) {
  const CommandResult r = run("plan " + edited("novial.toml", "vial_sizes_gbq = [3, 5, 7, 10, 15, 20]", "vial_sizes_gbq = [3]").string() + " --json");
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(r.out.find("\"status\": \"no vial delivers the activity\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"exit_code\": 3"), std::string::npos);
  EXPECT_NE(r.out.find("no vial delivers 3."), std::string::npos);  // the finding, with the activity needed
}

TEST_F(PlanCommand, BadInputExitsWithTwoAndWritesNothing) {
  const fs::path out = dir() / "bad_out";
  const CommandResult r = run("plan " + edited("bad.toml", "min_gy = 205", "min_gy = \"205 Gy\"").string() + " --out " + out.string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("goal[0].min_gy = \"205 Gy\": expected a number"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(PlanCommand, MissingFileExitsWithFour) {
  const CommandResult r = run("plan " + (dir() / "no_such_plan.toml").string());
  EXPECT_EQ(r.code, 4) << r.out;
  EXPECT_NE(r.out.find("no_such_plan.toml"), std::string::npos);
}

TEST_F(PlanCommand, UsageErrorExitsWithTwo) {
  EXPECT_EQ(run("plan").code, 2);
  EXPECT_EQ(run("no-such-command").code, 2);
}

TEST_F(PlanCommand, PhantomIsDeterministic) {
  const fs::path again = dir() / "again";
  ASSERT_EQ(run("phantom --out " + again.string()).code, 0);
  for (const char* f : {"maa_spect.nii.gz", "labels.nii.gz", "ct.nii.gz"}) {
    std::ifstream a(dir() / f, std::ios::binary), b(again / f, std::ios::binary);
    std::stringstream sa, sb;
    sa << a.rdbuf();
    sb << b.rdbuf();
    EXPECT_EQ(sa.str(), sb.str()) << f;
  }
}

}  // namespace
