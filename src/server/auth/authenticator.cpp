#include "server/auth/authenticator.h"

#include "server/auth/secret_token.h"
#include "server/auth/totp.h"

namespace sirtkit::server {
namespace {
// The actor of writes that happen before anyone is logged in.
const std::string unknown_user = "(unknown user)";
}  // namespace

Authenticator::Authenticator(PasswordCost cost, SessionPolicy session, LockoutPolicy lockout, Clock clock)
    : cost_(cost), session_(session), lockout_(lockout), clock_(std::move(clock)) {
  // Computes the fixed hash of burn_password_check now, so the first login
  // with an unknown name does not take one hash longer than the others.
  burn_password_check("", cost_);
}

LoginResult Authenticator::fail(registry::Store& store, const std::string& key, const std::string& who, const std::string& address) {
  const std::int64_t now = clock_();
  registry::Transaction tx(store, who);
  ThrottleRow t = find_throttle(store, key).value_or(ThrottleRow{0, now, std::nullopt});
  LoginResult result;
  if (t.locked_until_s && *t.locked_until_s > now) {
    record_auth_event(store, who, "login_failed", address);
    tx.commit();
    result.outcome = LoginOutcome::locked;
    return result;
  }
  if (t.locked_until_s || now - t.window_start_s >= lockout_.window_s) t = ThrottleRow{0, now, std::nullopt};
  ++t.failures;
  record_auth_event(store, who, "login_failed", address);
  if (t.failures >= lockout_.max_failures) {
    t.locked_until_s = now + lockout_.lock_s;
    record_auth_event(store, who, "lockout", address);
    result.outcome = LoginOutcome::locked;
  }
  save_throttle(store, key, t);
  tx.commit();
  return result;
}

LoginResult Authenticator::login(registry::Store& store, const std::string& username, const std::string& password,
                                 const std::string& totp_code, const std::string& address) {
  const std::int64_t now = clock_();
  const std::string key = sha256_hex(username);
  const auto creds = find_credentials(store, username);
  // Only an existing user's name is written to the trail: a mistyped name may be a password.
  const std::string who = creds ? creds->user.username : unknown_user;
  if (const auto t = find_throttle(store, key); t && t->locked_until_s && *t->locked_until_s > now) {
    burn_password_check(password, cost_);  // same time as any other refusal
    return fail(store, key, who, address);
  }
  if (!creds) {
    burn_password_check(password, cost_);
    return fail(store, key, who, address);
  }
  const bool password_ok = verify_password(creds->password_hash, password);
  if (!password_ok || creds->user.disabled) return fail(store, key, who, address);
  std::optional<std::int64_t> step;
  if (creds->totp_secret_base32) {
    const auto secret = base32_decode(*creds->totp_secret_base32);
    if (secret) step = totp_match(*secret, totp_code, now);
    // A code already used (same or earlier step) is refused: RFC 6238 section 5.2.
    if (!step || (creds->totp_last_step && *step <= *creds->totp_last_step)) return fail(store, key, who, address);
  }
  LoginResult result;
  result.outcome = LoginOutcome::ok;
  result.token = random_token_hex();
  Session s{creds->user, random_token_hex(), sha256_hex(result.token)};
  registry::Transaction tx(store, who);
  delete_sessions_before(store, now - session_.idle_s, now - session_.absolute_s);
  clear_throttle(store, key);
  if (step) set_totp_last_step(store, creds->user.id, *step);
  insert_session(store, s.token_hash, creds->user.id, s.csrf_token, now);
  record_auth_event(store, who, "login", address);
  tx.commit();
  result.session = std::move(s);
  return result;
}

LoginOutcome Authenticator::confirm_password(registry::Store& store, const User& user, const std::string& password,
                                             const std::string& address) {
  const std::string key = sha256_hex(user.username);
  const auto throttle = find_throttle(store, key);
  if (throttle && throttle->locked_until_s && *throttle->locked_until_s > clock_()) {
    burn_password_check(password, cost_);
    return fail(store, key, user.username, address).outcome;
  }
  const auto creds = find_credentials(store, user.username);
  if (!creds || creds->user.disabled || !verify_password(creds->password_hash, password))
    return fail(store, key, user.username, address).outcome;
  if (throttle) {  // as a login: a right password starts the count of failures again
    registry::Transaction tx(store, user.username);
    clear_throttle(store, key);
    tx.commit();
  }
  return LoginOutcome::ok;
}

std::optional<Session> Authenticator::authenticate(registry::Store& store, const std::string& token) {
  if (token.size() != 64) return std::nullopt;
  const std::string hash = sha256_hex(token);
  const auto row = find_session(store, hash);
  if (!row) return std::nullopt;
  const std::int64_t now = clock_();
  const bool expired = now - row->last_seen_s >= session_.idle_s || now - row->created_s >= session_.absolute_s;
  auto user = expired ? std::nullopt : find_user(store, row->user_id);
  if (!user || user->disabled) {
    registry::Transaction tx(store, "server");
    delete_session(store, hash);
    tx.commit();
    return std::nullopt;
  }
  if (now - row->last_seen_s >= session_.touch_every_s) {
    registry::Transaction tx(store, user->username);
    touch_session(store, hash, now);
    tx.commit();
  }
  return Session{std::move(*user), row->csrf_token, hash};
}

void Authenticator::logout(registry::Store& store, const Session& session, const std::string& address) {
  registry::Transaction tx(store, session.user.username);
  delete_session(store, session.token_hash);
  record_auth_event(store, session.user.username, "logout", address);
  tx.commit();
}

}  // namespace sirtkit::server
