#include "server/routes/user_json.h"

namespace sirtkit::server {

nlohmann::json user_json(const User& u) {
  nlohmann::json sites = nlohmann::json::array();
  for (const auto& s : u.sites) sites.push_back({{"id", s.id}, {"code", s.code}, {"study", s.study}});
  return {{"id", u.id}, {"username", u.username}, {"role", role_name(u.role)}, {"all_sites", u.all_sites()},
          {"sites", sites}, {"disabled", u.disabled}, {"totp", u.totp}};
}

}  // namespace sirtkit::server
