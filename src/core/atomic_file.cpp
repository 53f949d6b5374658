#include "core/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/error.h"
#include "core/input_file.h"

namespace sirtkit {
namespace fs = std::filesystem;
namespace {

std::atomic<unsigned> g_counter{0};

// Stop signals (SIGINT, SIGTERM, SIGHUP) while output is being written are
// recorded by this handler and acted on when the last DeferSignals ends, after
// the temporary output was removed; outside of that they act as by default.
// The handler is process-wide, so a signal delivered to a worker thread (ITK,
// FFTW) is held back too. It only touches lock-free atomics, signal() and raise().
std::atomic<int> g_defer_depth{0};
std::atomic<int> g_pending_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void on_stop_signal(int sig) {
  if (g_defer_depth.load() > 0) {
    g_pending_signal.store(sig);
    return;
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_stop_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : kStopSignals) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;  // e.g. nohup: keep ignoring
      struct sigaction sa {};
      sa.sa_handler = on_stop_signal;
      sigemptyset(&sa.sa_mask);
      sa.sa_flags = SA_RESTART;
      ::sigaction(sig, &sa, nullptr);
    }
  });
}

fs::path temp_path_for(const fs::path& target) {
  // Keep the extension last so writers that choose a format by extension
  // (".nii.gz") still recognise the temporary file.
  const std::string stem = ".tmp" + std::to_string(::getpid()) + "_" + std::to_string(g_counter++) + ".";
  return target.parent_path() / (stem + target.filename().string());
}

void fsync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) fail_io(path.string(), std::string("cannot open to flush: ") + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  // Some file systems cannot fsync a folder (EINVAL); the data files were synced.
  if (rc != 0 && !(flags & O_DIRECTORY && err == EINVAL)) fail_io(path.string(), std::string("could not flush to disk: ") + std::strerror(err));
}

void sync_folder_of(const fs::path& p) {
  const fs::path parent = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  fsync_path(parent, O_RDONLY | O_DIRECTORY);
}

void refuse_if_interrupted(const fs::path& target) {
  if (DeferSignals::interrupted()) fail_io(target.string(), "interrupted by a signal: nothing written");
}

// Every entry of a folder written by OutputFolder must be a complete file.
void check_folder_complete(const fs::path& folder, const fs::path& target) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory()) continue;
    const std::string name = fs::relative(it->path(), folder).string();
    if (name.rfind(".tmp", 0) == 0 || it->path().filename().string().rfind(".tmp", 0) == 0)
      fail_io((target / name).string(), "a temporary file was left unfinished");
    if (!it->is_regular_file()) fail_io((target / name).string(), "is not a regular file");
  }
  if (ec) fail_io(target.string(), "cannot list the finished output: " + ec.message());
}

std::string partial_prefix(const fs::path& target) { return "." + target.filename().string() + ".sirtkit-partial-"; }

// Temporary folders of runs that were killed outright (SIGKILL, power loss):
// removed when their process no longer exists.
void remove_stale_partials(const fs::path& target) {
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string prefix = partial_prefix(target);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove_all(e.path(), ignored);
    }
  }
}

}  // namespace

DeferSignals::DeferSignals() {
  install_stop_handlers();
  ++g_defer_depth;
}

DeferSignals::~DeferSignals() {
  if (--g_defer_depth == 0) {
    const int sig = g_pending_signal.exchange(0);
    if (sig != 0) {  // the temporary output is gone by now: stop as the signal asked
      ::signal(sig, SIG_DFL);
      ::raise(sig);
    }
  }
}

bool DeferSignals::interrupted() { return g_pending_signal.load() != 0; }

void write_file_atomic(const fs::path& path, std::string_view content) {
  AtomicPath out(path);
  const int fd = ::open(out.temp().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_io(path.string(), std::string("cannot create: ") + std::strerror(errno));
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      fail_io(path.string(), std::string("write failed: ") + std::strerror(err));
    }
    written += static_cast<size_t>(n);
  }
  const int sync_rc = ::fsync(fd);
  const int sync_err = errno;
  if (::close(fd) != 0 || sync_rc != 0)
    fail_io(path.string(), std::string("could not flush to disk: ") + std::strerror(sync_rc != 0 ? sync_err : errno));
  if (content.empty()) out.allow_empty();  // an empty file asked for is written as asked
  out.commit();
}

void write_files_atomic(const std::vector<std::pair<fs::path, std::string>>& files) {
  DeferSignals defer;
  std::vector<std::unique_ptr<AtomicPath>> staged;
  for (const auto& [path, content] : files) {
    // Each file is first written completely under a staging name beside its target.
    staged.push_back(std::make_unique<AtomicPath>(path));
    if (content.empty()) staged.back()->allow_empty();
    write_file_atomic(staged.back()->temp(), content);
  }
  for (auto& s : staged) s->commit();
}

AtomicPath::AtomicPath(fs::path target) : target_(std::move(target)), temp_(temp_path_for(target_)) {
  // The rename would replace a device node (/dev/full, /dev/null) or a FIFO with a regular file.
  std::error_code ec;
  const auto st = fs::status(target_, ec);
  if (fs::exists(st) && !fs::is_regular_file(st))
    fail_input(target_.string(), "output file", fs::is_directory(st) ? "a folder" : "a device or FIFO",
               "a path to a regular file (written beside it, then renamed into place)");
}

AtomicPath::~AtomicPath() {
  if (!committed_) {
    std::error_code ignored;
    fs::remove(temp_, ignored);
  }
}

void AtomicPath::commit() {
  refuse_if_interrupted(target_);
  std::error_code ec;
  const auto size = fs::file_size(temp_, ec);
  if (ec) fail_io(target_.string(), "the temporary file was not written: " + ec.message());
  if (size == 0 && !allow_empty_) fail_io(target_.string(), "was not written (empty file)");
  fsync_path(temp_, O_RDONLY);
  fs::rename(temp_, target_, ec);
  if (ec) fail_io(target_.string(), "cannot move temporary file into place: " + ec.message());
  committed_ = true;
  sync_folder_of(target_);
}

void check_output_folder_target(const fs::path& target) {
  std::error_code ec;
  const auto st = fs::symlink_status(target, ec);
  if (ec || !fs::exists(st)) return;
  if (!fs::is_directory(st))
    fail_input(target.string(), "--out", "an existing file", "a folder to write into (new, empty, or written by sirtkit before)");
  if (fs::is_empty(target, ec) || fs::exists(target / OutputFolder::kMarker, ec)) return;
  fail_input(target.string(), "--out", "an existing folder sirtkit did not write",
             "a new folder, an empty one, or one written by sirtkit before (it is replaced as a whole, so a folder "
             "holding other files is never touched)");
}

OutputFolder::OutputFolder(fs::path target) : target_(std::move(target)) {
  if (target_.filename().empty()) target_ = target_.parent_path();  // "out/" names the folder "out"
  check_output_folder_target(target_);
  const fs::path parent = target_.parent_path().empty() ? fs::path(".") : target_.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) fail_io(parent.string(), "cannot create the folder: " + ec.message());
  remove_stale_partials(target_);
  temp_ = parent / (partial_prefix(target_) + std::to_string(::getpid()) + "-" + std::to_string(g_counter++));
  if (!fs::create_directory(temp_, ec) || ec)
    fail_io(temp_.string(), "cannot create the temporary output folder: " + (ec ? ec.message() : std::string("it exists")));
}

OutputFolder::~OutputFolder() {
  if (!committed_) {
    std::error_code ignored;
    fs::remove_all(temp_, ignored);
  }
}

fs::path OutputFolder::file(const std::string& name) {
  const fs::path p = temp_ / name;
  if (p.has_parent_path() && p.parent_path() != temp_) {
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    if (ec) fail_io((target_ / name).parent_path().string(), "cannot create the folder: " + ec.message());
  }
  return p;
}

void OutputFolder::write(const std::string& name, std::string_view content) { write_file_atomic(file(name), content); }

void OutputFolder::commit() {
  write_file_atomic(temp_ / kMarker,
                    "This folder was written by sirtkit as a whole. Running sirtkit again with --out naming it replaces it as a whole.\n");
  check_folder_complete(temp_, target_);
  fsync_path(temp_, O_RDONLY | O_DIRECTORY);
  refuse_if_interrupted(target_);
  check_output_folder_target(target_);  // still what it was when we started
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(target_, ec))) {
    if (::rename(temp_.c_str(), target_.c_str()) != 0)
      fail_io(target_.string(), std::string("cannot move the finished output into place: ") + std::strerror(errno));
    committed_ = true;
    sync_folder_of(target_);
    return;
  }
  // Swap the finished folder with the old one in one step, then delete the old one.
  if (::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
    committed_ = true;
    sync_folder_of(target_);
    fs::remove_all(temp_, ec);  // now holds the old output
    return;
  }
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    fail_io(target_.string(), std::string("cannot swap the finished output into place: ") + std::strerror(errno));
  // A file system without RENAME_EXCHANGE: move the old folder aside, the new one in, then delete the old.
  const fs::path old = temp_.string() + "-old";
  if (::rename(target_.c_str(), old.c_str()) != 0)
    fail_io(target_.string(), std::string("cannot move the old output aside: ") + std::strerror(errno));
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    const int err = errno;
    ::rename(old.c_str(), target_.c_str());  // put the old output back
    fail_io(target_.string(), std::string("cannot move the finished output into place: ") + std::strerror(err));
  }
  committed_ = true;
  sync_folder_of(target_);
  fs::remove_all(old, ec);
}

std::string read_text_file(const fs::path& path) {
  require_input_file(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_io(path.string(), std::string("cannot open for reading: ") + std::strerror(errno));
  // One allocation of the file's size and one read into it: a stream buffer
  // grown by doubling and then copied out peaks at about 3x the file.
  std::string text;
  std::error_code ec;
  const auto size = fs::is_regular_file(path, ec) ? fs::file_size(path, ec) : 0;
  if (!ec && size > 0) {
    text.resize(size);
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) fail_io(path.string(), "read failed");
    in.clear();
  }
  // The rest, when the size was unknown (a pipe) or the file grew meanwhile.
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) text.append(chunk, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) fail_io(path.string(), "read failed");
  return text;
}

}  // namespace sirtkit
