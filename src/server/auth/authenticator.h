#pragma once
// Login, sessions and logout of `sirtkit serve` (docs/server.md "Security").
//
// Sessions (OWASP Session Management Cheat Sheet): a new 256-bit random token
// at every login (no session fixation), only its SHA-256 stored, an idle
// timeout and an absolute timeout, deleted at logout and when the user is
// disabled. Each session has its own CSRF token, required in the X-CSRF-Token
// header of every state-changing request.
//
// Login throttling (OWASP Authentication Cheat Sheet, "Account lockout"):
// `max_failures` failed logins for one user name within `window_s` lock that
// name for `lock_s`; while locked even the right password is refused, and the
// answer is the same as for a wrong password or an unknown user. Every login,
// failure, lockout and logout is an auth_events row, audited by triggers.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "registry/store/store.h"
#include "server/auth/identity_store.h"
#include "server/auth/password_hash.h"

namespace sirtkit::server {

struct SessionPolicy {
  std::int64_t idle_s = 30 * 60;          // OWASP: 15-30 min idle for high-value applications
  std::int64_t absolute_s = 8 * 60 * 60;  // OWASP: 4-8 h absolute (a working day)
  std::int64_t touch_every_s = 60;        // last_seen written at most once a minute
};

struct LockoutPolicy {
  int max_failures = 5;             // failures that lock a user name ...
  std::int64_t window_s = 15 * 60;  // ... within this window
  std::int64_t lock_s = 15 * 60;    // locked for this long
};

struct Session {
  User user;
  std::string csrf_token;
  std::string token_hash;
};

enum class LoginOutcome { ok, refused, locked };

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::refused;
  std::string token;  // ok: the session token for the cookie (never stored)
  std::optional<Session> session;
};

class Authenticator {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds
  Authenticator(PasswordCost cost, SessionPolicy session, LockoutPolicy lockout, Clock clock);

  // `totp_code` is needed (and checked, RFC 6238) only for users with a TOTP secret.
  LoginResult login(registry::Store& store, const std::string& username, const std::string& password, const std::string& totp_code,
                    const std::string& address);
  // The live session of a cookie token, or nullopt (unknown, expired, user disabled).
  std::optional<Session> authenticate(registry::Store& store, const std::string& token);
  void logout(registry::Store& store, const Session& session, const std::string& address);
  // The signed-in user's password re-entered for an electronic signature
  // (21 CFR 11.200(a)(1)(i): a later signing in the same session uses at least
  // the password). A wrong one is a login_failed event and counts toward the
  // same lockout as logins; while locked even the right password is refused.
  LoginOutcome confirm_password(registry::Store& store, const User& user, const std::string& password, const std::string& address);

  PasswordCost password_cost() const { return cost_; }
  std::int64_t now() const { return clock_(); }
  const SessionPolicy& session_policy() const { return session_; }
  const LockoutPolicy& lockout_policy() const { return lockout_; }

 private:
  LoginResult fail(registry::Store& store, const std::string& key, const std::string& who, const std::string& address);
  PasswordCost cost_;
  SessionPolicy session_;
  LockoutPolicy lockout_;
  Clock clock_;
};

}  // namespace sirtkit::server
