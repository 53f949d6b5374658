// Issue 11 section A as a user meets it: planner inputs that must not be
// misread are refused with exit 2, naming what is wrong, and nothing is written.
#include <gtest/gtest.h>

#include <unistd.h>

#include "run_sirtkit.h"

namespace {

namespace fs = std::filesystem;
using sirtkit::cli_test::run;
using sirtkit::cli_test::slurp;

class PlanInputs : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_cli_plan_inputs_" + std::to_string(::getpid())); }
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    ASSERT_EQ(run("phantom --out " + dir().string()).code, 0);
  }
  static void TearDownTestSuite() { fs::remove_all(dir()); }
  static std::string plan() { return (dir() / "plan.toml").string(); }
  // Runs and expects exit 2 with `needle` in the output and no --out folder.
  static void refused(const std::string& args, const std::string& needle) {
    const fs::path out = dir() / "never_written";
    const bool writes = args.rfind("plan ", 0) == 0 || args.rfind("verify ", 0) == 0;
    const auto r = run(args + (writes ? " --out " + out.string() : ""));
    EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
    EXPECT_NE(r.out.find(needle), std::string::npos) << args << "\n" << r.out;
    EXPECT_FALSE(fs::exists(out)) << args;
  }
};

// Item 4: the same range as the plan file's activity_gbq, [0.01, 30] GBq.
TEST_F(PlanInputs, WhatIfActivityOutsideThePlanFileRangeIsRefused) {
  for (const char* a : {"-2", "0", "nan", "inf", "-inf", "1e308", "0.001", "31"})
    refused("plan " + plan() + " --activity " + a, "--activity = ");
  refused("plan " + plan() + " --activity nan", "--activity = \"nan\": not a number (nan)");
  refused("plan " + plan() + " --activity 31", "administered activity must be within [0.01, 30]");
  EXPECT_EQ(run("plan " + plan() + " --activity 5").code, 0);
  // The plan file refuses the same values with the same words.
  std::string text = slurp(dir() / "plan.toml");
  text.replace(text.find("territory = \"right lobe\"\n"), 24, "territory = \"right lobe\"\nactivity_gbq = 31");
  std::ofstream(dir() / "activity31.toml") << text;
  refused("plan " + (dir() / "activity31.toml").string(), "administered activity must be within [0.01, 30]");
}

TEST_F(PlanInputs, OtherNumericOptionsRefuseNanInfinityNegativeAndAbsurd) {
  refused("verify " + plan() + " --delivered " + (dir() / "maa_spect.nii.gz").string() + " --activity inf", "--activity = \"inf\"");
  refused("verify " + plan() + " --delivered " + (dir() / "maa_spect.nii.gz").string() + " --modality pet --hours-after-injection -5",
          "--hours-after-injection = -5");
  const std::string spect = (dir() / "maa_spect.nii.gz").string();
  refused("dose " + spect + " --units counts --total-gbq nan --density-g-per-ml 1", "--total-gbq = \"nan\"");
  refused("dose " + spect + " --units counts --total-gbq 3 --density-g-per-ml 1 --half-life-h inf", "--half-life-h = \"inf\"");
  refused("dose " + spect + " --units counts --total-gbq 3 --density-g-per-ml 1 --min-density-g-per-ml -1", "--min-density-g-per-ml = -1");
  refused("dose " + spect + " --units bq-per-ml --hours-after-injection inf --density-g-per-ml 1", "--hours-after-injection = \"inf\"");
  refused("calc mird --dose-gy 1e308 --mass-kg 1.5 --lsf 0.05", "--dose-gy = 1e+308");
  refused("calc mird --dose-gy 120 --mass-kg 1.5 --lsf 0.05 --mean-energy-mev nan", "--mean-energy-mev = \"nan\"");
  refused("calc bed --dose-gy 1e308 --alpha-beta-gy 10 --repair-half-time-h 1.5", "--dose-gy = 1e+308");
  refused("calc bed --dose-gy 100 --alpha-beta-gy 10 --repair-half-time-h 1.5 --half-life-h nan", "--half-life-h = \"nan\"");
  refused("calc decay --activity-gbq 1e308 --hours 24", "--activity-gbq = 1e+308");
  refused("calc decay --activity-gbq 3 --hours inf", "--hours = \"inf\"");
  refused("calc bsa --height-m 1.7 --weight-kg 70 --tumour-ml 300 --liver-ml inf", "--liver-ml = \"inf\"");
  refused("dvh " + spect + " --d 0 --mask a=" + (dir() / "labels.nii.gz").string(), "--d = 0");
  refused("dvh " + spect + " --v nan --mask a=" + (dir() / "labels.nii.gz").string(), "--v = \"nan\"");
}

// Item 2: a stale sibling with the same base name is refused, naming both files.
TEST_F(PlanInputs, StaleSiblingOfANamedImageIsRefused) {
  fs::copy_file(dir() / "labels.nii.gz", dir() / "maa_spect.nii");
  refused("plan " + plan(), (dir() / "maa_spect.nii").string() + "' lies beside it");
  fs::remove(dir() / "maa_spect.nii");
  fs::copy_file(dir() / "maa_spect.nii.gz", dir() / "ct.nii");
  refused("plan " + plan(), (dir() / "ct.nii").string() + "' lies beside it");
  fs::remove(dir() / "ct.nii");
  EXPECT_EQ(run("plan " + plan()).code, 0);
}

// Item 1: a CT that does not look like HU is refused unless its units are declared.
TEST_F(PlanInputs, CtNotInHounsfieldUnitsIsRefused) {
  std::string text = slurp(dir() / "plan.toml");
  text.replace(text.find("ct = \"ct.nii.gz\""), 16, "ct = \"maa_spect.nii.gz\"");  // counts, not HU
  std::ofstream(dir() / "counts_as_ct.toml") << text;
  refused("plan " + (dir() / "counts_as_ct.toml").string(), "maa_spect.nii.gz: values (read as HU) = 1st percentile 0");
  refused("plan " + (dir() / "counts_as_ct.toml").string(), "does not look like a CT in HU");
}

}  // namespace
