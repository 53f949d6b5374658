#include "core/version.h"

#include "sirtkit_version.h"

namespace sirtkit {

std::string version() { return SIRTKIT_VERSION; }

std::string version_long() {
  const std::string describe = SIRTKIT_GIT_DESCRIBE;
  if (describe.empty()) return version();
  return version() + " (git " + describe + ")";
}

}  // namespace sirtkit
