// GET /api/users, POST /api/users, PATCH /api/users/{id} (admin). Every
// change is audited by the triggers of registry migration 5 (actor: the admin)
// and recorded as an auth_events row.
#include <regex>

#include "server/http_server.h"
#include "server/auth/password_hash.h"
#include "server/routes/request_fields.h"
#include "server/routes/route_table.h"
#include "server/routes/user_json.h"

namespace sirtkit::server {

// NIST SP 800-63B section 5.1.1.2: memorised secrets of at least 8 characters,
// at least 64 allowed, no composition rules. We require 12 (our margin above 8).
constexpr std::size_t min_password_length = 12;
constexpr std::size_t max_password_length = 128;

ApiResponse handle_users(ApiRequest& rq) {
  nlohmann::json users = nlohmann::json::array();
  for (const auto& u : list_users(*rq.store)) users.push_back(user_json(u));
  ApiResponse out;
  out.body = {{"users", users}};
  return out;
}

ApiResponse handle_create_user(ApiRequest& rq) {
  only_fields(rq, {"username", "role", "sites", "password"});
  const std::string username = body_string(rq, "username");
  static const std::regex name_rx("[A-Za-z0-9._-]{1,64}");
  if (!std::regex_match(username, name_rx))
    throw ApiError(400, "bad_field", "1 to 64 letters, digits, '.', '_' or '-'", "username");
  const std::string role_text = body_string(rq, "role");
  const auto role = parse_role(role_text);
  if (!role)
    throw ApiError(400, "bad_field", "one of admin, investigator, physicist, data_manager, statistician, monitor", "role",
                   safe_echo(role_text));
  std::vector<long long> site_ids;
  if (rq.body.contains("sites")) {
    if (!rq.body["sites"].is_array()) throw ApiError(400, "bad_field", "a list of site codes", "sites");
    for (const auto& code : rq.body["sites"]) {
      if (!code.is_string()) throw ApiError(400, "bad_field", "a list of site codes", "sites");
      const auto sites = sites_with_code(*rq.store, code.get<std::string>());
      if (sites.empty()) throw ApiError(400, "unknown_site", "no site with this code in the registry", "sites", safe_echo(code.get<std::string>()));
      for (const auto& s : sites) site_ids.push_back(s.id);
    }
  }
  if (!sees_all_sites(*role) && site_ids.empty())
    throw ApiError(400, "missing_field", std::string("a ") + role_name(*role) + " needs at least one site", "sites");
  if (sees_all_sites(*role) && !site_ids.empty())
    throw ApiError(400, "bad_field", std::string("a ") + role_name(*role) + " sees every site; give no sites", "sites");
  auto password = optional_body_string(rq, "password");
  const bool generated = !password;
  if (!password) password = random_password(20);
  if (password->size() < min_password_length || password->size() > max_password_length)
    throw ApiError(400, "bad_field", "a password of " + std::to_string(min_password_length) + " to " + std::to_string(max_password_length) + " characters", "password");
  if (find_credentials(*rq.store, username)) throw ApiError(409, "conflict", "a user with this name exists", "username", username);
  const std::string hash = hash_password(*password, rq.state->auth().password_cost());
  registry::Transaction tx(*rq.store, rq.session->user.username);
  const long long id = insert_user(*rq.store, username, *role, hash, site_ids);
  record_auth_event(*rq.store, username, "user_created", rq.address);
  tx.commit();
  ApiResponse out;
  out.status = 201;
  out.body = user_json(*find_user(*rq.store, id));
  if (generated) out.body["password"] = *password;  // shown once
  return out;
}

ApiResponse handle_update_user(ApiRequest& rq) {
  only_fields(rq, {"disabled"});
  const long long id = path_id(rq, "id");
  if (!rq.body.contains("disabled") || !rq.body["disabled"].is_boolean()) throw ApiError(400, "missing_field", "true or false", "disabled");
  const bool disabled = rq.body["disabled"].get<bool>();
  const auto user = find_user(*rq.store, id);
  if (!user) throw ApiError(404, "not_found", "no such user", "id", std::to_string(id));
  if (disabled && id == rq.session->user.id) throw ApiError(409, "conflict", "an admin cannot disable their own account", "id", std::to_string(id));
  registry::Transaction tx(*rq.store, rq.session->user.username);
  set_user_disabled(*rq.store, id, disabled);
  if (disabled) delete_user_sessions(*rq.store, id);
  record_auth_event(*rq.store, user->username, disabled ? "user_disabled" : "user_enabled", rq.address);
  tx.commit();
  ApiResponse out;
  out.body = user_json(*find_user(*rq.store, id));
  return out;
}

}  // namespace sirtkit::server
