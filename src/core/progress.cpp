#include "core/progress.h"

#include <unistd.h>

#include <cstdio>

namespace sirtkit {

Progress::Progress(bool enabled) : enabled_(enabled) {}

Progress Progress::for_terminal() { return Progress(::isatty(STDERR_FILENO) == 1); }

void Progress::step(const std::string& what) const {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K%s...", what.c_str());
  std::fflush(stderr);
}

void Progress::done() const {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace sirtkit
