// Login, sessions, CSRF, expiry, lockout, TOTP and the audit trail of each,
// over HTTP against a real server.

#include "server/auth/authenticator.h"

#include <gtest/gtest.h>

#include "server/auth/secret_token.h"
#include "server/auth/totp.h"
#include "../server_fixture.h"

namespace sirtkit::server {
namespace {

using testing::body_of;
using testing::TestServer;

const std::string pw = "investigator password 1";

long long events(TestServer& s, const std::string& event, const std::string& username) {
  auto lease = s.http().state().pool().acquire();
  return std::stoll(*lease->scalar("SELECT COUNT(*) FROM auth_events WHERE event = ? AND username = ?", {event, username}));
}

TEST(Login, SetsHttpOnlyStrictCookieWithA256BitTokenAndReturnsCsrf) {
  TestServer s;
  s.add_user("ana", Role::investigator, {"Rennes"}, pw);
  const auto l = s.login("ana", pw);
  ASSERT_EQ(l.status, 200) << l.body;
  EXPECT_EQ(l.body["role"], "investigator");
  EXPECT_EQ(l.body["sites"][0]["code"], "Rennes");
  EXPECT_EQ(l.csrf.size(), 64u);
  EXPECT_NE(l.set_cookie.find("; HttpOnly"), std::string::npos) << l.set_cookie;
  EXPECT_NE(l.set_cookie.find("; SameSite=Strict"), std::string::npos) << l.set_cookie;
  EXPECT_EQ(l.set_cookie.find("Secure"), std::string::npos) << "no Secure flag on plain HTTP";
  EXPECT_EQ(l.cookie.size(), std::string("sirtkit_session=").size() + 64);
  // Only the hash of the token is stored.
  auto lease = s.http().state().pool().acquire();
  const std::string token = l.cookie.substr(l.cookie.find('=') + 1);
  EXPECT_EQ(*lease->scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", {token}), "0");
  EXPECT_EQ(*lease->scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", {sha256_hex(token)}), "1");
}

TEST(Login, WrongPasswordAndUnknownUserGetTheSame401) {
  TestServer s;
  s.add_user("ana", Role::investigator, {"Rennes"}, pw);
  const auto wrong = s.login("ana", pw + "x");
  const auto unknown = s.login("nobody", pw);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_TRUE(wrong.cookie.empty());
  // Missing fields are named.
  auto r = s.client().Post("/api/login", R"({"username":"ana"})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body_of(r)["field"], "password");
  EXPECT_FALSE(body_of(r).contains("value"));
  // Not JSON: refused (a cross-site form cannot post JSON).
  auto f = s.client().Post("/api/login", "username=ana&password=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->status, 415);
}

TEST(Session, NewTokenAtEveryLoginAndASentCookieIsIgnored) {
  TestServer s;
  s.add_user("ana", Role::investigator, {"Rennes"}, pw);
  const auto a = s.login("ana", pw);
  // Session fixation: the attacker's cookie is sent along with the login.
  httplib::Headers h{{"Cookie", a.cookie}};
  auto r = s.client().Post("/api/login", h, nlohmann::json{{"username", "ana"}, {"password", pw}}.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const std::string set = r->get_header_value("Set-Cookie");
  EXPECT_NE(set.substr(0, set.find(';')), a.cookie);
}

TEST(Session, IdleAndAbsoluteExpiry) {
  TestServer s;
  s.add_user("ana", Role::investigator, {"Rennes"}, pw);
  const SessionPolicy p;
  auto idle = s.login("ana", pw);
  s.advance(p.idle_s - 61);
  EXPECT_EQ(s.request("GET", "/api/me", idle)->status, 200);  // activity renews the idle timer
  s.advance(p.idle_s - 61);
  EXPECT_EQ(s.request("GET", "/api/me", idle)->status, 200);
  s.advance(p.idle_s);
  EXPECT_EQ(s.request("GET", "/api/me", idle)->status, 401);
  EXPECT_EQ(s.request("GET", "/api/me", idle)->status, 401);  // deleted, not revived

  auto busy = s.login("ana", pw);
  std::int64_t elapsed = 0;
  while (elapsed + 600 < p.absolute_s) {
    s.advance(600);
    elapsed += 600;
    ASSERT_EQ(s.request("GET", "/api/me", busy)->status, 200) << elapsed;
  }
  s.advance(p.absolute_s - elapsed);
  EXPECT_EQ(s.request("GET", "/api/me", busy)->status, 401) << "absolute limit despite activity";
}

TEST(Session, LogoutEndsTheSessionAndClearsTheCookie) {
  TestServer s;
  s.add_user("ana", Role::investigator, {"Rennes"}, pw);
  const auto l = s.login("ana", pw);
  auto r = s.request("POST", "/api/logout", l);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(s.request("GET", "/api/me", l)->status, 401);
  EXPECT_EQ(events(s, "logout", "ana"), 1);
}

TEST(Lockout, FiveFailuresWithinTheWindowLockEvenTheRightPassword) {
  TestServer s;
  s.add_user("ana", Role::investigator, {"Rennes"}, pw);
  const LockoutPolicy p;
  for (int i = 1; i < p.max_failures; ++i) EXPECT_EQ(s.login("ana", "wrong").status, 401) << i;
  EXPECT_EQ(s.login("ana", "wrong").status, 429);
  EXPECT_EQ(s.login("ana", pw).status, 429) << "locked: the right password is refused too";
  EXPECT_EQ(events(s, "lockout", "ana"), 1);
  EXPECT_EQ(events(s, "login_failed", "ana"), p.max_failures + 1);
  s.advance(p.lock_s);
  EXPECT_EQ(s.login("ana", pw).status, 200) << "unlocked after lock_s";
  // An unknown name is throttled the same way (no enumeration by lockout).
  for (int i = 1; i < p.max_failures; ++i) EXPECT_EQ(s.login("ghost", "wrong").status, 401);
  EXPECT_EQ(s.login("ghost", "wrong").status, 429);
}

TEST(Lockout, FailuresOutsideTheWindowDoNotAccumulate) {
  TestServer s;
  s.add_user("ana", Role::investigator, {"Rennes"}, pw);
  const LockoutPolicy p;
  for (int i = 1; i < p.max_failures; ++i) EXPECT_EQ(s.login("ana", "wrong").status, 401);
  s.advance(p.window_s);
  for (int i = 1; i < p.max_failures; ++i) EXPECT_EQ(s.login("ana", "wrong").status, 401) << i;
  EXPECT_EQ(s.login("ana", pw).status, 200);
}

TEST(Audit, LoginEventsAndUserChangesAreInTheTrailWithoutSecrets) {
  TestServer s;
  s.add_user("ana", Role::investigator, {"Rennes"}, pw);
  ASSERT_EQ(s.login("ana", "not the password").status, 401);
  ASSERT_EQ(s.login("nobody", "typed a password as user name").status, 401);
  const auto l = s.login("ana", pw);
  ASSERT_EQ(l.status, 200);
  ASSERT_EQ(s.request("POST", "/api/logout", l)->status, 200);
  auto lease = s.http().state().pool().acquire();
  std::string all;
  for (const auto& row : lease->query("SELECT actor, table_name, action, new_row, old_row FROM audit_log").rows)
    for (const auto& v : row) all += (v ? *v : "") + "|";
  for (const std::string ev : {"login_failed", "\"login\"", "logout"}) EXPECT_NE(all.find(ev), std::string::npos) << ev;
  EXPECT_NE(all.find("users|INSERT"), std::string::npos);
  EXPECT_EQ(all.find(pw), std::string::npos);
  EXPECT_EQ(all.find("not the password"), std::string::npos);
  EXPECT_EQ(all.find("typed a password"), std::string::npos) << "an unknown user name is not recorded";
  EXPECT_EQ(all.find("$argon2id$"), std::string::npos) << "no password hash in the trail";
  EXPECT_NE(all.find("(unknown user)"), std::string::npos);
}

TEST(TotpLogin, SecondFactorRequiredOnceEnabledAndCodesCannotBeReplayed) {
  TestServer s;
  s.add_user("ana", Role::investigator, {"Rennes"}, pw);
  auto l = s.login("ana", pw);
  auto wrong = s.request("POST", "/api/me/totp", l, {{"password", "wrong"}});
  EXPECT_EQ(wrong->status, 403);
  auto r = s.request("POST", "/api/me/totp", l, {{"password", pw}});
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string secret = *base32_decode(body_of(r)["secret_base32"].get<std::string>());
  EXPECT_NE(body_of(r)["otpauth_uri"].get<std::string>().find("otpauth://totp/sirtkit:ana?secret="), std::string::npos);
  EXPECT_EQ(s.login("ana", pw).status, 401) << "password alone no longer enough";
  const std::string code = totp(secret, s.now());
  EXPECT_EQ(s.login("ana", pw, code).status, 200);
  EXPECT_EQ(s.login("ana", pw, code).status, 401) << "the same code twice (RFC 6238 section 5.2)";
  s.advance(30);
  EXPECT_EQ(s.login("ana", pw, totp(secret, s.now())).status, 200);
  EXPECT_EQ(s.login("ana", "wrong", totp(secret, s.now() + 30)).status, 401);
}

}  // namespace
}  // namespace sirtkit::server
