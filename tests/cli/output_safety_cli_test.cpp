// --out as a user meets it: a full disk or Ctrl-C never leaves a partial or
// mixed output folder, an earlier output is replaced as a whole, a folder
// sirtkit did not write is refused, and a failed single-file write exits 4.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "run_sirtkit.h"

namespace {

namespace fs = std::filesystem;
using sirtkit::cli_test::run;
using sirtkit::cli_test::slurp;

// Runs the binary under a file-size limit (bash's ulimit -f, in KiB): writes
// past it fail with EFBIG, as on a full disk they fail with ENOSPC.
int run_with_file_limit(int kib, const std::string& args) {
  const std::string cmd = "bash -c 'ulimit -f " + std::to_string(kib) + "; " + SIRTKIT_BINARY + " " + args + "' >/dev/null 2>&1";
  const int st = std::system(cmd.c_str());
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

// Hidden temporaries of an output: single-file ".tmp…" and folder ".…sirtkit-partial-…".
std::set<std::string> leftovers(const fs::path& parent) {
  std::set<std::string> out;
  for (const auto& n : names_in(parent))
    if (n.rfind(".tmp", 0) == 0 || n.find(".sirtkit-partial-") != std::string::npos) out.insert(n);
  return out;
}

const std::set<std::string> kPlanFiles{".sirtkit-output", "dose.nii.gz", "dvh.csv", "plan.json", "report.html", "report.pdf"};

class OutputSafetyCli : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_cli_output_safety_" + std::to_string(::getpid())); }
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    ASSERT_EQ(run("phantom --out " + dir().string()).code, 0);
  }
  static std::string plan(const std::string& file, const fs::path& out) {
    return "plan " + (dir() / file).string() + " --out " + out.string();
  }
};

TEST_F(OutputSafetyCli, AnEarlierOutputIsReplacedAsAWhole) {
  const fs::path out = dir() / "replaced";
  ASSERT_EQ(run(plan("plan_standard.toml", out)).code, 0);
  std::ofstream(out / "from_an_older_version.csv") << "stale\n";
  const std::string old_json = slurp(out / "plan.json");
  const auto r = run(plan("plan.toml", out));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(names_in(out), kPlanFiles);  // the stale file went with the old folder
  EXPECT_NE(slurp(out / "plan.json"), old_json);
  EXPECT_TRUE(leftovers(dir()).empty());
}

TEST_F(OutputSafetyCli, FullDiskDuringPlanKeepsTheOldFolderAndExitsFour) {
  const fs::path out = dir() / "full";
  ASSERT_EQ(run(plan("plan_standard.toml", out)).code, 0);
  const std::string old_json = slurp(out / "plan.json"), old_dose = slurp(out / "dose.nii.gz");
  EXPECT_EQ(run_with_file_limit(16, plan("plan.toml", out)), 4);
  EXPECT_EQ(names_in(out), kPlanFiles);
  EXPECT_EQ(slurp(out / "plan.json"), old_json);
  EXPECT_EQ(slurp(out / "dose.nii.gz"), old_dose);
  EXPECT_TRUE(leftovers(dir()).empty()) << *leftovers(dir()).begin();
}

TEST_F(OutputSafetyCli, AFolderSirtkitDidNotWriteIsRefusedUntouched) {
  const fs::path mine = dir() / "my_documents";
  fs::create_directories(mine);
  std::ofstream(mine / "notes.txt") << "keep me\n";
  const auto r = run(plan("plan.toml", mine));
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("my_documents"), std::string::npos) << r.out;
  EXPECT_EQ(names_in(mine), std::set<std::string>{"notes.txt"});
  EXPECT_TRUE(leftovers(dir()).empty());
}

TEST_F(OutputSafetyCli, FullDiskOnASingleFileExitsFourAndLeavesNoFile) {
  const fs::path single = dir() / "single_dose.nii.gz";
  const std::string args = "dose " + (dir() / "maa_spect.nii.gz").string() +
                           " --units counts --total-gbq 2 --density-g-per-ml 1.03 --k 50 --out " + single.string();
  EXPECT_EQ(run_with_file_limit(2, args), 4);
  EXPECT_FALSE(fs::exists(single));
  EXPECT_TRUE(leftovers(dir()).empty());
  EXPECT_EQ(run(args).code, 0);  // the same command without the limit writes it
  EXPECT_TRUE(fs::exists(single));
}

TEST_F(OutputSafetyCli, CtrlCAtAnyMomentLeavesTheOldOrTheNewFolderWhole) {
  const fs::path out = dir() / "interrupted";
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(run(plan("plan_standard.toml", out)).code, 0);
  const auto took = std::chrono::steady_clock::now() - t0;
  const std::string old_json = slurp(out / "plan.json"), old_html = slurp(out / "report.html");
  int interrupted = 0;
  const fs::path log = dir() / "interrupted_stderr.txt";
  const std::string plan_file = (dir() / "plan.toml").string(), out_dir = out.string();  // dir() names the parent's pid
  for (int k = 1; k <= 8; ++k) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (!freopen("/dev/null", "w", stdout) || !freopen(log.c_str(), "w", stderr)) ::_exit(99);
      ::execl(SIRTKIT_BINARY, SIRTKIT_BINARY, "plan", plan_file.c_str(), "--out", out_dir.c_str(), static_cast<char*>(nullptr));
      ::_exit(98);
    }
    // From early in the computation to the end of the writing (the voxel plan takes longer than the standard one).
    std::this_thread::sleep_for(took * k / 6);
    ::kill(child, SIGINT);
    int st = 0;
    ASSERT_EQ(::waitpid(child, &st, 0), child);
    const bool stopped = WIFSIGNALED(st) && WTERMSIG(st) == SIGINT;
    ASSERT_TRUE(stopped || (WIFEXITED(st) && WEXITSTATUS(st) == 0)) << "run " << k << " status " << st << ": " << slurp(log);
    interrupted += stopped ? 1 : 0;
    EXPECT_TRUE(leftovers(dir()).empty()) << "run " << k << ": " << *leftovers(dir()).begin();
    ASSERT_EQ(names_in(out), kPlanFiles) << "run " << k;
    const std::string json = slurp(out / "plan.json"), html = slurp(out / "report.html");
    // Old or new, never a mix: the old standard plan's files together, or the new voxel plan's.
    EXPECT_EQ(json == old_json, html == old_html) << "run " << k << " mixed old and new files";
    if (json != old_json) EXPECT_NE(json.find("\"approach\": \"voxel\""), std::string::npos) << "run " << k;
  }
  EXPECT_GT(interrupted, 0) << "no run was stopped: the test did not exercise Ctrl-C";
}

}  // namespace
