#pragma once
// The first administrator of a registry without users: user name "admin", a
// random 20-character password (57-symbol alphabet, about 117 bits) returned
// once for `sirtkit serve` to print, never stored in clear.

#include <optional>
#include <string>

#include "registry/store/store.h"
#include "server/auth/password_hash.h"

namespace sirtkit::server {

struct FirstAdmin {
  std::string username;
  std::string password;
};

// Creates the admin when the registry has no user at all; nullopt otherwise.
std::optional<FirstAdmin> create_first_admin(registry::Store& store, PasswordCost cost);

}  // namespace sirtkit::server
