#pragma once
// Outputs are written to a temporary file beside the target and renamed into
// place, so a failure never leaves a partial file (DESIGN.md conventions).

#include <filesystem>
#include <string>
#include <string_view>

namespace sirtkit {

// Writes `content` to `path` atomically (temp file + fsync + rename).
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// For writers that need a path of their own (e.g. an image library): hands out
// a temporary path in the target's folder; commit() renames it into place, and
// the destructor removes it if commit() was never reached.
class AtomicPath {
 public:
  explicit AtomicPath(std::filesystem::path target);
  ~AtomicPath();
  AtomicPath(const AtomicPath&) = delete;
  AtomicPath& operator=(const AtomicPath&) = delete;

  const std::filesystem::path& temp() const { return temp_; }
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  bool committed_ = false;
};

std::string read_text_file(const std::filesystem::path& path);

}  // namespace sirtkit
