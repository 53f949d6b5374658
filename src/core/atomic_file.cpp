#include "core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace sirtkit {
namespace {

std::filesystem::path temp_path_for(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  // Keep the extension last so writers that choose a format by extension
  // (".nii.gz") still recognise the temporary file.
  const std::string stem = ".tmp" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".";
  return target.parent_path() / (stem + target.filename().string());
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  AtomicPath out(path);
  const int fd = ::open(out.temp().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail_io(path.string(), std::string("cannot create: ") + std::strerror(errno));
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      fail_io(path.string(), std::string("write failed: ") + std::strerror(err));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) fail_io(path.string(), "could not flush to disk");
  out.commit();
}

AtomicPath::AtomicPath(std::filesystem::path target)
    : target_(std::move(target)), temp_(temp_path_for(target_)) {}

AtomicPath::~AtomicPath() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
  }
}

void AtomicPath::commit() {
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec) fail_io(target_.string(), "cannot move temporary file into place: " + ec.message());
  committed_ = true;
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_io(path.string(), "cannot open for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) fail_io(path.string(), "read failed");
  return buffer.str();
}

}  // namespace sirtkit
