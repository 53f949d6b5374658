#pragma once
// The program's version: the project version of CMakeLists.txt and, in a build
// from a git checkout, `git describe` (both from the one generated header,
// build/generated/sirtkit_version.h, written by cmake/write_version.cmake).

#include <string>

namespace sirtkit {

// "0.1.0", the project version.
std::string version();
// "0.1.0 (git 15d0e12-dirty)", or "0.1.0" when the build had no git describe.
std::string version_long();

}  // namespace sirtkit
