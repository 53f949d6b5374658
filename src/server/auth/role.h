#pragma once
// The roles of `sirtkit serve` (issue 13). Every route of the route table
// (server/routes/route_table.h) names the roles allowed to call it.
//
//   admin         manages users; sees every site
//   investigator  physician at a site: reads and edits that site's patients
//   physicist     plans and verifies treatments at a site
//   data_manager  enters and corrects data at a site
//   statistician  de-identified, read-only analysis data of the user's sites
//   monitor       read-only, every site, reads the audit trail

#include <optional>
#include <string>
#include <vector>

namespace sirtkit::server {

enum class Role { admin, investigator, physicist, data_manager, statistician, monitor };

const std::vector<Role>& all_roles();
const char* role_name(Role role);
std::optional<Role> parse_role(const std::string& name);
// Admin and monitor see every site; the other roles only their own sites.
bool sees_all_sites(Role role);

}  // namespace sirtkit::server
