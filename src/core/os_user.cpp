#include "core/os_user.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace sirtkit {

std::string os_user_name() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (const passwd* pw = getpwuid(getuid())) return pw->pw_name;
  return "uid-" + std::to_string(getuid());
}

}  // namespace sirtkit
