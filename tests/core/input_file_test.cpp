// The one missing-file check: nothing there, a dangling link and a folder are
// refused as I/O errors naming the path (and the purpose when given); a file passes.

#include "core/input_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace {

namespace fs = std::filesystem;

std::string message_of(const fs::path& p, const std::string& what = "") {
  try {
    sirtkit::require_input_file(p, what);
  } catch (const sirtkit::Error& e) {
    EXPECT_EQ(e.category(), sirtkit::ErrorCategory::io);
    return e.what();
  }
  return "";
}

TEST(InputFile, MissingFolderAndFile) {
  const fs::path dir = fs::temp_directory_path() / ("sirtkit_input_file_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  EXPECT_EQ(message_of(dir / "none.csv"), (dir / "none.csv").string() + ": no such file");
  EXPECT_EQ(message_of(dir / "none.key", "key file"), (dir / "none.key").string() + ": no such file (the key file)");
  EXPECT_EQ(message_of(dir), dir.string() + ": is a folder, not a file");
  fs::create_symlink(dir / "gone", dir / "dangling");
  EXPECT_EQ(message_of(dir / "dangling"), (dir / "dangling").string() + ": no such file");
  std::ofstream(dir / "here.csv") << "a\n";
  EXPECT_EQ(message_of(dir / "here.csv"), "");
  fs::remove_all(dir);
}

}  // namespace
