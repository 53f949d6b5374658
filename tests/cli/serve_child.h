#pragma once
// `sirtkit serve` started as a child process, for the CLI tests: its stdout is
// read until the "listening on" line gives the port.

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

namespace sirtkit::cli_test {

struct Served {
  pid_t pid = -1;
  int out_fd = -1;
  std::string out;  // stdout so far
  int port = 0;
};

// Starts `sirtkit serve ARGS` and reads stdout until the "listening on" line (20 s at most).
inline Served start(const std::vector<std::string>& args) {
  Served s;
  int fds[2];
  if (pipe(fds) != 0) return s;
  s.pid = fork();
  if (s.pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    std::vector<char*> argv{const_cast<char*>(SIRTKIT_BINARY), const_cast<char*>("serve")};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(SIRTKIT_BINARY, argv.data());
    _exit(127);
  }
  close(fds[1]);
  s.out_fd = fds[0];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::smatch m;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{s.out_fd, POLLIN, 0};
    if (poll(&p, 1, 200) > 0) {
      char buf[4096];
      const ssize_t n = read(s.out_fd, buf, sizeof buf);
      if (n <= 0) break;
      s.out.append(buf, static_cast<std::size_t>(n));
    }
    if (std::regex_search(s.out, m, std::regex(R"(listening on http://127\.0\.0\.1:(\d+)/)"))) {
      s.port = std::stoi(m[1]);
      break;
    }
  }
  return s;
}

inline int stop(Served& s, int sig) {
  kill(s.pid, sig);
  int status = 0;
  waitpid(s.pid, &status, 0);
  close(s.out_fd);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace sirtkit::cli_test
