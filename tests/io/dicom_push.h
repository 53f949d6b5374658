#pragma once
// Pushing DICOM to a receiver on loopback with DCMTK's own programs (storescu,
// echoscu), for the receiver and server tests: a free port, running a
// program, and the files a data root holds.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace sirtkit::io::push {

namespace fs = std::filesystem;

inline bool have_program(const std::string& name) { return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0; }

inline bool have_dcmtk_programs() { return have_program("storescu") && have_program("echoscu"); }
constexpr const char* no_dcmtk_programs = "DCMTK's storescu/echoscu are not installed (Debian package dcmtk; scripts/install-deps.sh --test)";

// A TCP port nobody listens on right now (bound to port 0, then released).
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(fd);
  return ntohs(a.sin_port);
}

struct Program {
  int status = -1;
  std::string output;  // stdout and stderr
};

inline Program run(const std::string& command) {
  Program r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  while (const std::size_t n = std::fread(buf, 1, sizeof buf, p)) r.output.append(buf, n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// storescu from `calling` to `called` at 127.0.0.1:port, continuing after a refused object.
inline std::string storescu(int port, const std::string& calling, const std::string& files, const std::string& called = "SIRTKIT") {
  return "storescu -nh -aet " + calling + " -aec " + called + " 127.0.0.1 " + std::to_string(port) + " " + files;
}

// Every regular file below `root` outside the hidden .incoming folder, relative, sorted.
inline std::vector<std::string> stored_files(const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) {
      const std::string rel = fs::relative(e.path(), root).string();
      // .incoming holds transfers, a study folder's .site its site code (io/dicom_network/dicom_instance_store.h).
      if (rel.rfind(".incoming", 0) != 0 && e.path().filename() != ".site") out.push_back(rel);
    }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::size_t incoming_files(const fs::path& root) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root / ".incoming", ec)) n += e.is_regular_file() ? 1 : 0;
  return n;
}

}  // namespace sirtkit::io::push
