// Every route of the route table refuses an anonymous request (401) and every
// role it does not allow (403, from the role check itself: the request carries
// a valid session and CSRF token), and lets its allowed roles through (neither
// 401 nor 403), on a real server over HTTP.

#include "server/routes/route_table.h"

#include <gtest/gtest.h>

#include <map>

#include <regex>
#include <set>

#include "../server_fixture.h"

namespace sirtkit::server {
namespace {

using testing::TestServer;

const std::string password = "correct horse battery";

std::string concrete(const std::string& path) { return std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), "1"); }

TEST(RouteTable, OnlyLoginIsPublicAndEveryOtherRouteNamesItsRoles) {
  std::set<std::string> seen;
  for (const Route& r : route_table()) {
    EXPECT_TRUE(seen.insert(r.method + " " + r.path).second) << "duplicate route " << r.method << " " << r.path;
    if (r.is_public) {
      EXPECT_EQ(r.method + " " + r.path, "POST /api/login");
      EXPECT_TRUE(r.roles.empty());
    } else {
      EXPECT_FALSE(r.roles.empty()) << r.method << " " << r.path;
    }
  }
  EXPECT_GE(route_table().size(), 10u);
}

TEST(RouteTable, EveryRouteRefusesAnonymousAndWrongRolesOverHttp) {
  TestServer server;
  for (Role role : all_roles()) server.add_user(std::string("u_") + role_name(role), role, {"Rennes"}, password);
  int checked_401 = 0, checked_403 = 0, checked_allowed = 0;
  for (const Route& route : route_table()) {
    const std::string path = concrete(route.path);
    const std::string where = route.method + " " + route.path;
    if (route.is_public) continue;
    // Anonymous: no cookie at all, and a forged cookie.
    {
      auto r = server.request(route.method, path, testing::Login{});
      ASSERT_TRUE(r) << where;
      EXPECT_EQ(r->status, 401) << where;
      EXPECT_EQ(testing::body_of(r)["error"], "unauthenticated") << where;
      testing::Login forged;
      forged.cookie = std::string(session_cookie) + "=" + std::string(64, 'a');
      forged.csrf = "x";
      auto f = server.request(route.method, path, forged);
      ASSERT_TRUE(f) << where;
      EXPECT_EQ(f->status, 401) << where;
      ++checked_401;
    }
    for (Role role : all_roles()) {
      // A fresh session per request: a logout must not end the next check's session.
      const auto s = server.login(std::string("u_") + role_name(role), password);
      ASSERT_EQ(s.status, 200) << role_name(role);
      auto r = server.request(route.method, path, s);
      ASSERT_TRUE(r) << where << " as " << role_name(role);
      if (route.allows(role)) {
        EXPECT_NE(r->status, 401) << where << " as " << role_name(role) << ": " << r->body;
        EXPECT_NE(r->status, 403) << where << " as " << role_name(role) << ": " << r->body;
        ++checked_allowed;
      } else {
        EXPECT_EQ(r->status, 403) << where << " as " << role_name(role);
        EXPECT_EQ(testing::body_of(r)["error"], "role_not_allowed") << where << " as " << role_name(role) << ": " << r->body;
        ++checked_403;
      }
    }
  }
  EXPECT_EQ(checked_401, static_cast<int>(route_table().size()) - 1);
  EXPECT_GT(checked_403, 0);
  EXPECT_GT(checked_allowed, 0);
}

TEST(RouteTable, StateChangingRoutesRefuseMissingOrWrongCsrfToken) {
  TestServer server;
  // A session of a role the route allows, so the CSRF check is what refuses.
  std::map<Role, testing::Login> sessions;
  for (Role r : all_roles()) {
    const std::string name = std::string("csrf_") + role_name(r);
    server.add_user(name, r, {"Rennes"}, "a password for csrf tests");
    sessions[r] = server.login(name, "a password for csrf tests");
    ASSERT_EQ(sessions[r].status, 200);
  }
  int checked = 0;
  for (const Route& route : route_table()) {
    if (route.is_public || route.method == "GET") continue;
    ASSERT_FALSE(route.roles.empty()) << route.path;
    const testing::Login& s = sessions[route.roles.front()];
    auto none = server.request(route.method, concrete(route.path), s, nlohmann::json::object(), false);
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 403) << route.method << " " << route.path;
    EXPECT_EQ(testing::body_of(none)["error"], "csrf");
    testing::Login wrong = s;
    wrong.csrf = std::string(64, '0');
    auto bad = server.request(route.method, concrete(route.path), wrong);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 403) << route.method << " " << route.path;
    EXPECT_EQ(testing::body_of(bad)["error"], "csrf");
    ++checked;
  }
  EXPECT_GE(checked, 4);
  // The sessions still work afterwards (the refusals changed nothing).
  for (const auto& [role, s] : sessions) {
    auto me = server.request("GET", "/api/me", s);
    ASSERT_TRUE(me);
    EXPECT_EQ(me->status, 200) << role_name(role);
  }
}

TEST(RouteTable, UnknownApiPathIsJson404) {
  TestServer server;
  auto r = server.client().Get("/api/nothing-here");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(testing::body_of(r)["error"], "not_found");
}

}  // namespace
}  // namespace sirtkit::server
