#pragma once
// Shared by the libFuzzer targets: a per-process scratch folder for readers that
// take a path, and the rule every target enforces — bad input may only end in a
// sirtkit::Error of category bad_input, io or infeasible. Anything else (an
// internal error, another exception, a signal, a sanitizer report) is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "core/error.h"

namespace sirtkit::fuzz {

namespace fs = std::filesystem;

// A scratch folder for this process, removed at exit.
inline const fs::path& scratch_dir() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / ("sirtkit_fuzz_" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::atexit([] { std::error_code ec; fs::remove_all(fs::temp_directory_path() / ("sirtkit_fuzz_" + std::to_string(::getpid())), ec); });
    return d;
  }();
  return dir;
}

// A fresh empty folder inside the scratch folder.
inline fs::path fresh_dir(const std::string& name) {
  const fs::path d = scratch_dir() / name;
  std::error_code ec;
  fs::remove_all(d, ec);
  fs::create_directories(d);
  return d;
}

inline fs::path write_input(const fs::path& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) {
    std::fprintf(stderr, "fuzz harness: cannot write %s\n", path.c_str());
    std::abort();
  }
  return path;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs one reader on one input. A user-facing error is the expected answer to
// hostile input; an internal error or any other exception aborts (a finding).
template <class Fn>
void expect_clean_refusal(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    if (e.category() == ErrorCategory::internal) {
      std::fprintf(stderr, "fuzz finding: internal error: %s\n", e.what());
      std::abort();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz finding: uncaught %s\n", e.what());
    std::abort();
  }
}

}  // namespace sirtkit::fuzz
