#pragma once
// Runs the built `sirtkit` program as a user would, for the CLI tests: the
// arguments go through the shell, stdout (and stderr unless dropped) is
// captured, and the exit code is returned.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sirtkit::cli_test {

struct CliRun {
  int code = -1;
  std::string out;  // stdout, followed by stderr when with_stderr
};

inline CliRun run(const std::string& args, bool with_stderr = true) {
  const std::string cmd = std::string(SIRTKIT_BINARY) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// An empty temporary folder for a test's --out (removed first if a previous run left it),
// named after this process so concurrent test runs never share it.
inline std::filesystem::path fresh_dir(const std::string& folder_name) {
  const auto d = std::filesystem::temp_directory_path() / (folder_name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace sirtkit::cli_test
