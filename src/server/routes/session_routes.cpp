// POST /api/login, POST /api/logout, GET /api/me, POST /api/me/totp.
#include "server/http_server.h"
#include "server/auth/password_hash.h"
#include "server/routes/request_fields.h"
#include "server/routes/route_table.h"
#include "server/auth/totp.h"
#include "server/routes/user_json.h"

namespace sirtkit::server {

ApiResponse handle_login(ApiRequest& rq) {
  only_fields(rq, {"username", "password", "totp"});
  const std::string username = body_string(rq, "username");
  const std::string password = body_string(rq, "password");
  const std::string code = optional_body_string(rq, "totp").value_or("");
  if (username.size() > 256 || password.size() > 1024) throw ApiError(400, "bad_field", "too long", username.size() > 256 ? "username" : "password");
  // Any cookie sent with the login is ignored: the session is always new (no fixation).
  LoginResult r = rq.state->auth().login(*rq.store, username, password, code, rq.address);
  if (r.outcome == LoginOutcome::locked)
    throw ApiError(429, "locked", "too many failed logins for this user name; wait " +
                                      std::to_string(rq.state->auth().lockout_policy().lock_s / 60) + " minutes");
  if (r.outcome != LoginOutcome::ok)
    throw ApiError(401, "invalid_credentials", "wrong user name, password or one-time code, or the account is disabled");
  ApiResponse out;
  out.body = user_json(r.session->user);
  out.body["csrf_token"] = r.session->csrf_token;
  out.headers.emplace_back("Set-Cookie", session_cookie_header(r.token, rq.tls));
  return out;
}

ApiResponse handle_logout(ApiRequest& rq) {
  rq.state->auth().logout(*rq.store, *rq.session, rq.address);
  ApiResponse out;
  out.body = {{"logged_out", true}};
  out.headers.emplace_back("Set-Cookie", clear_session_cookie_header(rq.tls));
  return out;
}

ApiResponse handle_me(ApiRequest& rq) {
  ApiResponse out;
  out.body = user_json(rq.session->user);
  out.body["csrf_token"] = rq.session->csrf_token;
  return out;
}

ApiResponse handle_enable_totp(ApiRequest& rq) {
  only_fields(rq, {"password"});
  const std::string password = body_string(rq, "password");
  const auto creds = find_credentials(*rq.store, rq.session->user.username);
  if (!creds || !verify_password(creds->password_hash, password))
    throw ApiError(403, "wrong_password", "the password is not the signed-in user's", "password");
  const std::string secret = new_totp_secret_base32();
  registry::Transaction tx(*rq.store, rq.session->user.username);
  set_totp(*rq.store, rq.session->user.id, secret);
  record_auth_event(*rq.store, rq.session->user.username, "totp_enabled", rq.address);
  tx.commit();
  ApiResponse out;
  // Shown once: the server keeps it only to check codes.
  out.body = {{"secret_base32", secret},
              {"otpauth_uri", "otpauth://totp/sirtkit:" + rq.session->user.username + "?secret=" + secret +
                                  "&issuer=sirtkit&algorithm=SHA1&digits=6&period=30"}};
  return out;
}

}  // namespace sirtkit::server
