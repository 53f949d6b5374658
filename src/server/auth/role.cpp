#include "server/auth/role.h"

namespace sirtkit::server {

const std::vector<Role>& all_roles() {
  static const std::vector<Role> r = {Role::admin, Role::investigator, Role::physicist,
                                      Role::data_manager, Role::statistician, Role::monitor};
  return r;
}

const char* role_name(Role role) {
  switch (role) {
    case Role::admin: return "admin";
    case Role::investigator: return "investigator";
    case Role::physicist: return "physicist";
    case Role::data_manager: return "data_manager";
    case Role::statistician: return "statistician";
    case Role::monitor: return "monitor";
  }
  return "?";
}

std::optional<Role> parse_role(const std::string& name) {
  for (Role r : all_roles())
    if (name == role_name(r)) return r;
  return std::nullopt;
}

bool sees_all_sites(Role role) { return role == Role::admin || role == Role::monitor; }

}  // namespace sirtkit::server
