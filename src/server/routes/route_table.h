#pragma once
// The one table of the server's routes (issue 13): method, path pattern,
// the roles allowed, and the handler. The HTTP server (server/http_server.h)
// enforces, before any handler runs and in this order:
//   1. a live session (else 401 {"error": "unauthenticated"}) unless the route is public;
//   2. the user's role is one of the route's roles (else 403 {"error": "role_not_allowed"});
//   3. for POST/PUT/PATCH/DELETE, the session's CSRF token in the X-CSRF-Token
//      header (else 403 {"error": "csrf"}) and a JSON body (Content-Type application/json),
//      except for routes that stream their body (streams_body: STOW-RS), which
//      check their own Content-Type.
// docs/openapi.json lists the same method + path pairs with the same roles
// (x-roles); tests/server/openapi_test.cpp checks it.

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "registry/store/store.h"
#include "server/auth/authenticator.h"
#include "server/auth/role.h"

namespace sirtkit::server {

class ServerState;

struct ApiRequest {
  std::string method;
  std::map<std::string, std::string> path_params;  // {id} -> value
  std::multimap<std::string, std::string> query;
  nlohmann::json body;                // parsed JSON body (null when none)
  std::optional<Session> session;     // set on every non-public route
  std::string address;                // client address, for the audit trail
  bool tls = false;
  // Whether the client takes a gzip content coding: no Accept-Encoding header
  // means any coding (RFC 9110 12.5.3); a header without gzip (e.g. identity) refuses it.
  bool accepts_gzip = true;
  registry::Store* store = nullptr;   // a pooled connection for this request
  // Gives the connection back to the pool before the handler ends (store is
  // then nullptr): a handler that computes for long without the registry (the
  // what-if) calls it so other requests need not wait for the connection.
  std::function<void()> release_store;
  ServerState* state = nullptr;
  // Routes that stream their body (Route::streams_body): the Content-Type and
  // Content-Length headers, and a reader that hands the body to `sink` chunk by
  // chunk (sink returns false to stop; read_body then returns false).
  std::string content_type;
  std::optional<std::uint64_t> content_length;
  std::function<bool(const std::function<bool(const char*, std::size_t)>&)> read_body;
  // The one value of a query parameter ("" when absent).
  std::string param(const std::string& name) const;
};

struct ApiResponse {
  int status = 200;
  nlohmann::json body = nlohmann::json::object();
  std::optional<std::string> raw_body;  // sent as is (e.g. a NIfTI volume) instead of `body`
  std::string content_type;             // of raw_body
  std::vector<std::pair<std::string, std::string>> headers;
};

// Thrown by handlers: answered as {"error": code, "message": ..., "field": ..., "value": ...}.
// `value` only when it is safe to repeat (never patient data, never a password).
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message, std::string field = {}, std::optional<std::string> value = {})
      : std::runtime_error(message), status_(status), code_(std::move(code)), field_(std::move(field)), value_(std::move(value)) {}
  int status() const { return status_; }
  nlohmann::json body() const;

 private:
  int status_;
  std::string code_;
  std::string field_;
  std::optional<std::string> value_;
};

using Handler = std::function<ApiResponse(ApiRequest&)>;

struct Route {
  std::string method;  // GET, POST, PATCH, DELETE
  std::string path;    // e.g. /api/patients/{id}
  std::vector<Role> roles;  // empty only for public routes
  bool is_public = false;   // reachable without a session (login only)
  std::string summary;
  Handler handler;
  // The body is not JSON and not read before the handler: the handler reads it
  // with ApiRequest::read_body (STOW-RS uploads), after the session, role and
  // CSRF checks; bodies of other routes are limited to 1 MiB.
  bool streams_body = false;
  bool allows(Role r) const;
};

const std::vector<Route>& route_table();

// Every role (for routes open to any signed-in user).
std::vector<Role> any_role();

// Handlers, grouped by file.
ApiResponse handle_login(ApiRequest& rq);        // server/routes/session_routes.cpp
ApiResponse handle_logout(ApiRequest& rq);
ApiResponse handle_me(ApiRequest& rq);
ApiResponse handle_enable_totp(ApiRequest& rq);
ApiResponse handle_patients(ApiRequest& rq);     // server/routes/patient_routes.cpp
ApiResponse handle_patient(ApiRequest& rq);
ApiResponse handle_analysis_km(ApiRequest& rq);  // server/routes/analysis_routes.cpp
ApiResponse handle_analysis_cox(ApiRequest& rq);
ApiResponse handle_audit(ApiRequest& rq);        // server/routes/audit_routes.cpp
ApiResponse handle_forms(ApiRequest& rq);        // server/routes/record_routes.cpp
ApiResponse handle_create_patient(ApiRequest& rq);
ApiResponse handle_edit_patient(ApiRequest& rq);
ApiResponse handle_put_baseline(ApiRequest& rq);
Handler record_add_handler(const std::string& form);
Handler record_edit_handler(const std::string& form);
ApiResponse handle_export_registry(ApiRequest& rq);  // server/routes/export_routes.cpp
ApiResponse handle_export_dictionary(ApiRequest& rq);
ApiResponse handle_export_adtte(ApiRequest& rq);
ApiResponse handle_export_adrs(ApiRequest& rq);
ApiResponse handle_users(ApiRequest& rq);        // server/routes/user_routes.cpp
ApiResponse handle_create_user(ApiRequest& rq);
ApiResponse handle_update_user(ApiRequest& rq);
ApiResponse handle_plans(ApiRequest& rq);        // server/routes/plan_routes.cpp
ApiResponse handle_plan(ApiRequest& rq);
ApiResponse handle_plan_volume(ApiRequest& rq);
ApiResponse handle_plan_what_if(ApiRequest& rq);
ApiResponse handle_plan_verification(ApiRequest& rq);
ApiResponse handle_plan_verification_volume(ApiRequest& rq);
ApiResponse handle_plan_approve(ApiRequest& rq);
ApiResponse handle_plan_approvals(ApiRequest& rq);
ApiResponse handle_plan_approval_document(ApiRequest& rq);
ApiResponse handle_received_studies(ApiRequest& rq);  // server/routes/dicomweb_routes.cpp
ApiResponse handle_received_study_plan_template(ApiRequest& rq);
ApiResponse handle_stow(ApiRequest& rq);

}  // namespace sirtkit::server
