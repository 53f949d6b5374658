#include "server/site_scope.h"

namespace sirtkit::server {

registry::SiteScope site_scope(const User& u) {
  if (u.all_sites()) return std::nullopt;
  std::vector<long long> ids;
  for (const auto& s : u.sites) ids.push_back(s.id);
  return ids;
}

}  // namespace sirtkit::server
