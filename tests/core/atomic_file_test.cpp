// Safe output (core/atomic_file.h): single files and whole --out folders are
// complete or absent, an old folder survives a failed run unchanged, and a
// stop signal during writing leaves nothing behind.
#include "core/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/error.h"

namespace sirtkit {
namespace {

namespace fs = std::filesystem;

fs::path fresh(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("sirtkit_atomic_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every file below `dir` with its content: a folder's full state.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = slurp(e.path());
  return out;
}

// Names in `parent` that are temporaries of an output (hidden files or folders we made).
std::vector<std::string> leftovers(const fs::path& parent) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(parent)) {
    const std::string n = e.path().filename().string();
    if (n.rfind(".tmp", 0) == 0 || n.find(".sirtkit-partial-") != std::string::npos) out.push_back(n);
  }
  return out;
}

// A file-size limit makes writes past it fail with EFBIG, as a full disk fails
// them with ENOSPC: the same failed write() the code must catch.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit r = saved_;
    r.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &r);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = nullptr;
};

// An existing output folder of an earlier run.
fs::path old_output(const fs::path& parent) {
  OutputFolder first(parent / "out");
  first.write("plan.json", "{\"old\": true}\n");
  first.write("report.html", "<p>old</p>\n");
  first.commit();
  return parent / "out";
}

TEST(AtomicFile, WritesTheFileAndNoTemporary) {
  const fs::path d = fresh("single");
  write_file_atomic(d / "a.csv", "x,y\n1,2\n");
  EXPECT_EQ(slurp(d / "a.csv"), "x,y\n1,2\n");
  EXPECT_TRUE(leftovers(d).empty());
}

TEST(AtomicFile, FullDiskFailsAsIoAndKeepsTheOldFile) {
  const fs::path d = fresh("full");
  write_file_atomic(d / "a.csv", "old\n");
  try {
    FileSizeLimit limit(1000);
    write_file_atomic(d / "a.csv", std::string(5000, 'x'));
    FAIL() << "a write past the limit was not reported";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::io);
    EXPECT_NE(std::string(e.what()).find("a.csv"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(d / "a.csv"), "old\n");
  EXPECT_TRUE(leftovers(d).empty());
}

TEST(AtomicFile, RefusesADeviceAsTarget) {
  // Renaming over /dev/full would replace the device node (we may run as root).
  EXPECT_THROW(write_file_atomic("/dev/full", "x"), Error);
  EXPECT_FALSE(fs::is_regular_file("/dev/full"));
}

TEST(AtomicFile, SeveralFilesAreAllOrNone) {
  const fs::path d = fresh("pair");
  write_file_atomic(d / "data.csv", "old data\n");
  try {
    FileSizeLimit limit(1000);
    write_files_atomic({{d / "data.csv", "new data\n"}, {d / "dictionary.csv", std::string(5000, 'd')}});
    FAIL() << "the second write was not reported";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::io);
  }
  EXPECT_EQ(slurp(d / "data.csv"), "old data\n");
  EXPECT_FALSE(fs::exists(d / "dictionary.csv"));
  EXPECT_TRUE(leftovers(d).empty());
}

TEST(OutputFolder, ReplacesAnEarlierOutputAsAWhole) {
  const fs::path parent = fresh("replace");
  const fs::path out = old_output(parent);
  OutputFolder second(out);
  second.write("plan.json", "{\"new\": true}\n");
  second.write("sub/dvh.csv", "dose,volume\n");
  second.commit();
  const auto files = snapshot(out);
  EXPECT_EQ(files.count("report.html"), 0u) << "an old file survived next to the new ones";
  EXPECT_EQ(files.at("plan.json"), "{\"new\": true}\n");
  EXPECT_EQ(files.at("sub/dvh.csv"), "dose,volume\n");
  EXPECT_EQ(files.count(OutputFolder::kMarker), 1u);
  EXPECT_TRUE(leftovers(parent).empty());
}

TEST(OutputFolder, FailedWriteMidwayLeavesTheOldFolderAndNoTemporary) {
  const fs::path parent = fresh("midway");
  const fs::path out = old_output(parent);
  const auto before = snapshot(out);
  try {
    OutputFolder run(out);
    run.write("plan.json", "{\"new\": true}\n");  // the first file is fine
    FileSizeLimit limit(1000);
    run.write("report.html", std::string(20000, 'h'));  // the second meets a full disk
    run.commit();
    FAIL() << "the failed write was not reported";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::io);
  }
  EXPECT_EQ(snapshot(out), before);
  EXPECT_TRUE(leftovers(parent).empty());
}

TEST(OutputFolder, AnExceptionBeforeCommitLeavesNothingNew) {
  const fs::path parent = fresh("throw");
  try {
    OutputFolder run(parent / "new");
    run.write("a.json", "{}\n");
    throw std::runtime_error("simulated failure between two files");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(fs::exists(parent / "new"));
  EXPECT_TRUE(leftovers(parent).empty());
}

TEST(OutputFolder, RefusesAFolderSirtkitDidNotWriteAndLeavesIt) {
  const fs::path parent = fresh("foreign");
  fs::create_directories(parent / "home");
  std::ofstream(parent / "home" / "thesis.tex") << "precious\n";
  try {
    OutputFolder run(parent / "home");
    FAIL() << "a foreign folder was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("home"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(parent / "home" / "thesis.tex"), "precious\n");
  std::ofstream(parent / "file") << "x";
  EXPECT_THROW(OutputFolder(parent / "file"), Error);
  fs::create_directories(parent / "empty");
  OutputFolder ok(parent / "empty");  // an empty folder is fine
  ok.write("a.txt", "a\n");
  ok.commit();
  EXPECT_EQ(slurp(parent / "empty" / "a.txt"), "a\n");
}

TEST(OutputFolder, RemovesThePartialFolderOfAKilledRun) {
  const fs::path parent = fresh("stale");
  // pid 2^22 + 1 is above Linux's pid_max default ceiling and never alive.
  const fs::path stale = parent / ".out.sirtkit-partial-4194305-0";
  fs::create_directories(stale);
  std::ofstream(stale / "dose.nii.gz") << "half";
  OutputFolder run(parent / "out");
  run.write("a.txt", "a\n");
  run.commit();
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(leftovers(parent).empty());
}

TEST(OutputFolder, StopSignalWhileWritingRemovesTheTemporaryAndStops) {
  const fs::path parent = fresh("signal");
  const fs::path out = old_output(parent);
  const auto before = snapshot(out);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      OutputFolder run(out);
      run.write("plan.json", "{\"new\": true}\n");
      ::raise(SIGINT);  // Ctrl-C between two files
      run.write("report.html", "<p>new</p>\n");
      run.commit();  // must refuse: the user asked to stop
    } catch (...) {
    }
    ::_exit(0);  // reached only if the signal was lost
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << "status " << status;
  EXPECT_EQ(snapshot(out), before);
  EXPECT_TRUE(leftovers(parent).empty());
}

}  // namespace
}  // namespace sirtkit
