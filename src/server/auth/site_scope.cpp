#include "server/auth/site_scope.h"

#include "server/routes/request_fields.h"
#include "server/routes/route_table.h"

namespace sirtkit::server {

registry::SiteScope site_scope(const User& u) {
  if (u.all_sites()) return std::nullopt;
  std::vector<long long> ids;
  for (const auto& s : u.sites) ids.push_back(s.id);
  return ids;
}

bool sees_site(const User& u, const std::string& code) {
  if (code.empty() || u.all_sites()) return true;
  for (const auto& s : u.sites)
    if (s.code == code) return true;
  return false;
}

std::string upload_site(registry::Store& store, const User& u, const std::string& requested) {
  std::string codes;
  for (const auto& s : u.sites)
    if (codes.find("'" + s.code + "'") == std::string::npos) codes += (codes.empty() ? "'" : ", '") + s.code + "'";
  if (!requested.empty()) {
    const bool known = u.all_sites() ? !sites_with_code(store, requested).empty() : sees_site(u, requested);
    if (!known)
      throw ApiError(400, "bad_field",
                     u.all_sites() ? "a site code of the registry" : "one of your sites: " + (codes.empty() ? std::string("you have none") : codes),
                     "site", safe_echo(requested));
    return requested;
  }
  if (u.all_sites()) return "";
  std::string only;
  for (const auto& s : u.sites) {
    if (!only.empty() && only != s.code)
      throw ApiError(400, "missing_field", "you work at several sites: name the site the study is filed under with ?site= (" + codes + ")", "site");
    only = s.code;
  }
  if (only.empty()) throw ApiError(403, "no_site", "your account has no site, so a study you upload could not be filed under one; ask an administrator", "site");
  return only;
}

}  // namespace sirtkit::server
