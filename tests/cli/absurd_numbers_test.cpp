// Absurd numbers in every numeric option of plan, verify, dose, calc and dvh,
// and in the plan file's keys: a negative zero, subnormals, values that
// underflow, trailing characters, hexadecimal integers and floats, spaces,
// huge integers, empty strings, nan and infinities. Each one exits 2 naming
// the option (or key) and the value, and nothing is written.
#include <gtest/gtest.h>

#include <unistd.h>

#include "run_sirtkit.h"

namespace {

namespace fs = std::filesystem;
using sirtkit::cli_test::run;
using sirtkit::cli_test::slurp;

// Quoted for the shell: " 5" and "" reach the program as they are.
const std::vector<std::string> kAbsurd{"'-0'",   "'-0.0'",  "'1e-320'", "'4.9e-324'", "'1e-400'", "'1e3x'",  "'0x10'", "'0x1p3'",
                                       "' 5'",   "'5 '",    "''",       "'nan'",      "'inf'",    "'-inf'",  "'1e400'",
                                       "'99999999999999999999999'", "'1,5'", "'+-1'", "'1e'", "'.'", "'--5'"};

// A few of each kind, for the options after the first of a command (each run starts the program).
const std::vector<std::string> kFew{"'-0'", "'1e-320'", "'1e3x'", "'0x10'", "' 5'", "''", "'99999999999999999999999'"};

class AbsurdNumbers : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_cli_absurd_" + std::to_string(::getpid())); }
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    ASSERT_EQ(run("phantom --out " + dir().string()).code, 0);
  }
  static void TearDownTestSuite() { fs::remove_all(dir()); }
  static std::string f(const std::string& name) { return (dir() / name).string(); }
  // `args` with VALUE replaced by each absurd value: exit 2, the option and the value named, nothing written.
  static void each_refused(const std::string& args, const std::string& option, const std::string& out_flag = "",
                           const std::vector<std::string>& values = kAbsurd) {
    for (const std::string& quoted : values) {
      std::string a = args;
      a.replace(a.find("VALUE"), 5, quoted);
      const fs::path out = dir() / "never_written";
      const auto r = run(a + (out_flag.empty() ? "" : " " + out_flag + " " + out.string()));
      const std::string value = quoted.substr(1, quoted.size() - 2);
      EXPECT_EQ(r.code, 2) << a << "\n" << r.out;
      EXPECT_NE(r.out.find(option), std::string::npos) << a << "\n" << r.out;
      // The value as typed (huge values may be shown as the number they read as).
      const bool shown = r.out.find("\"" + value + "\"") != std::string::npos || r.out.find("= " + value) != std::string::npos ||
                         r.out.find("= 1e+23") != std::string::npos || r.out.find("= 1e+400") != std::string::npos;
      EXPECT_TRUE(shown) << a << "\n" << r.out;
      EXPECT_FALSE(fs::exists(out)) << a;
    }
  }
};

TEST_F(AbsurdNumbers, PlanAndVerifyOptions) {
  each_refused("plan " + f("plan.toml") + " --activity VALUE", "--activity", "--out");
  const std::string verify = "verify " + f("plan.toml") + " --delivered " + f("maa_spect.nii.gz");
  each_refused(verify + " --activity VALUE", "--activity", "--out", kFew);
  each_refused(verify + " --modality pet --hours-after-injection VALUE", "--hours-after-injection", "--out", kFew);
}

TEST_F(AbsurdNumbers, DoseOptions) {
  const std::string dose = "dose " + f("maa_spect.nii.gz") + " --units counts";
  each_refused(dose + " --total-gbq VALUE --density-g-per-ml 1", "--total-gbq", "--out");
  each_refused(dose + " --total-gbq 3 --density-g-per-ml VALUE", "--density-g-per-ml", "--out", kFew);
  each_refused(dose + " --total-gbq 3 --density-g-per-ml 1 --k VALUE", "--k", "--out", kFew);
  each_refused(dose + " --total-gbq 3 --density-g-per-ml 1 --half-life-h VALUE", "--half-life-h", "--out", kFew);
  each_refused(dose + " --total-gbq 3 --density-g-per-ml 1 --min-density-g-per-ml VALUE", "--min-density-g-per-ml", "--out", kFew);
  each_refused("dose " + f("maa_spect.nii.gz") + " --units bq-per-ml --density-g-per-ml 1 --hours-after-injection VALUE",
               "--hours-after-injection", "--out");
}

TEST_F(AbsurdNumbers, CalcOptions) {
  each_refused("calc mird --dose-gy VALUE --mass-kg 1.5 --lsf 0.05", "--dose-gy");
  each_refused("calc mird --dose-gy 120 --mass-kg VALUE --lsf 0.05", "--mass-kg", "", kFew);
  each_refused("calc mird --dose-gy 120 --mass-kg 1.5 --lsf VALUE", "--lsf", "", kFew);
  each_refused("calc mird --dose-gy 120 --mass-kg 1.5 --lsf 0.05 --residual VALUE", "--residual", "", kFew);
  each_refused("calc mird --dose-gy 120 --mass-kg 1.5 --lsf 0.05 --lung-mass-kg VALUE", "--lung-mass-kg", "", kFew);
  each_refused("calc mird --dose-gy 120 --mass-kg 1.5 --lsf 0.05 --k VALUE", "--k", "", kFew);
  each_refused("calc mird --dose-gy 120 --mass-kg 1.5 --lsf 0.05 --mean-energy-mev VALUE", "--mean-energy-mev", "", kFew);
  each_refused("calc partition --activity-gbq VALUE --lsf 0.05 --tumour T:0.3:3 --normal-mass-kg 1.2", "--activity-gbq");
  each_refused("calc partition --activity-gbq 3 --lsf 0.05 --tumour T:0.3:3 --normal-mass-kg VALUE", "--normal-mass-kg", "", kFew);
  each_refused("calc partition --activity-gbq 3 --lsf 0.05 --tumour T:VALUE:3 --normal-mass-kg 1.2", "--tumour T", "", kFew);
  each_refused("calc decay --activity-gbq VALUE --hours 24", "--activity-gbq");
  each_refused("calc decay --activity-gbq 3 --hours VALUE", "--hours", "", kFew);
  each_refused("calc decay --activity-gbq 3 --to-gbq VALUE", "--to-gbq", "", kFew);
  each_refused("calc bsa --height-m VALUE --weight-kg 70 --tumour-ml 300 --liver-ml 1500", "--height-m");
  each_refused("calc bsa --height-m 1.7 --weight-kg VALUE --tumour-ml 300 --liver-ml 1500", "--weight-kg", "", kFew);
  each_refused("calc bsa --height-m 1.7 --weight-kg 70 --tumour-ml 300 --liver-ml 1500 --perfused-fraction VALUE", "--perfused-fraction", "", kFew);
  each_refused("calc bed --dose-gy VALUE --alpha-beta-gy 10 --repair-half-time-h 1.5", "--dose-gy");
  each_refused("calc bed --dose-gy 100 --alpha-beta-gy VALUE --repair-half-time-h 1.5", "--alpha-beta-gy", "", kFew);
  each_refused("calc bed --dose-gy 100 --alpha-beta-gy 10 --repair-half-time-h VALUE", "--repair-half-time-h", "", kFew);
}

TEST_F(AbsurdNumbers, DvhOptions) {
  const std::string dvh = "dvh " + f("maa_spect.nii.gz") + " --mask a=" + f("territory_right.nii.gz");
  each_refused(dvh + " --d VALUE", "--d");
  each_refused(dvh + " --v VALUE", "--v", "", kFew);
  each_refused("dvh " + f("maa_spect.nii.gz") + " --labels " + f("labels.nii.gz") + " --voi t=VALUE", "--voi", "",
               {"'-0'", "'0x10'", "' 5'", "'1e3x'", "'2.5'", "'99999999999999999999999'", "'1,'"});
}

// The plan file: TOML takes 0x10 (16), -0.0 and 1e-320 as numbers; sirtkit does not.
TEST_F(AbsurdNumbers, PlanFileKeys) {
  const std::string base = slurp(dir() / "plan.toml");
  int n = 0;
  const auto refused = [&](const std::string& from, const std::string& to, const std::string& needle) {
    std::string text = base;
    ASSERT_NE(text.find(from), std::string::npos) << from;
    text.replace(text.find(from), from.size(), to);
    const fs::path file = dir() / ("absurd_" + std::to_string(n++) + ".toml");
    std::ofstream(file) << text;
    const fs::path out = dir() / "never_written";
    const auto r = run("plan " + file.string() + " --out " + out.string());
    EXPECT_EQ(r.code, 2) << to << "\n" << r.out;
    EXPECT_NE(r.out.find(needle), std::string::npos) << to << "\n" << r.out;
    EXPECT_FALSE(fs::exists(out)) << to;
  };
  refused("min_gy = 205", "min_gy = 0x10", "goal[0].min_gy = 0x10: a hexadecimal, octal or binary integer");
  refused("min_gy = 205", "min_gy = 0o20", "goal[0].min_gy = 0o20: a hexadecimal, octal or binary integer");
  refused("min_gy = 205", "min_gy = -0.0", "goal[0].min_gy = -0.0: a negative zero");
  refused("min_gy = 205", "min_gy = 1e-320", "goal[0].min_gy");
  refused("min_gy = 205", "min_gy = 1e-320", "subnormal");
  refused("min_gy = 205", "min_gy = \" 5\"", "goal[0].min_gy = \" 5\": expected a number");
  refused("min_gy = 205", "min_gy = \"\"", "goal[0].min_gy = \"\": expected a number");
  refused("min_gy = 205", "min_gy = nan", "goal[0].min_gy = nan: expected a finite number");
  refused("min_gy = 205", "min_gy = 1e3x", "not valid TOML");
  refused("min_gy = 205", "min_gy = 99999999999999999999999", "not valid TOML");
  refused("labels = [2]", "labels = [0x2]", "voi[1].labels");
  refused("labels = [2]", "labels = [5000000000]", "within [-2147483648, 2147483647]");
  refused("max_dose_gy = 30", "max_dose_gy = -0", "lung.max_dose_gy");
  refused("residual_fraction = 0.01", "residual_fraction = 4.9e-324", "device.residual_fraction");
  refused("metric = \"mean\"\nmin_gy", "metric = \"D0x46\"\nmin_gy", "goal[0].metric = \"D0x46\"");
  refused("metric = \"mean\"\nmin_gy", "metric = \"D 70\"\nmin_gy", "goal[0].metric = \"D 70\"");
}

}  // namespace
