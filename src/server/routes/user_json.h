#pragma once
// A user as the API shows it: id, username, role, sites, flags; never a hash or secret.

#include <nlohmann/json.hpp>

#include "server/auth/identity_store.h"

namespace sirtkit::server {

nlohmann::json user_json(const User& user);

}  // namespace sirtkit::server
