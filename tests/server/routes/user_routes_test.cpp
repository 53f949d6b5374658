// Admin user management and the audit route, over HTTP.

#include <gtest/gtest.h>

#include <set>

#include "../server_fixture.h"

namespace sirtkit::server {
namespace {

using nlohmann::json;
using testing::body_of;
using testing::TestServer;

TEST(UserRoutes, CreateLoginDisableAndTheirAuditEntries) {
  TestServer s;
  const auto a = s.login(s.admin().username, s.admin().password);
  auto created = s.request("POST", "/api/users", a, {{"username", "dm1"}, {"role", "data_manager"}, {"sites", {"Rennes"}}});
  ASSERT_EQ(created->status, 201) << created->body;
  const json u = body_of(created);
  EXPECT_EQ(u["role"], "data_manager");
  EXPECT_EQ(u["sites"][0]["code"], "Rennes");
  const std::string password = u["password"];  // generated, shown once
  EXPECT_EQ(password.size(), 20u);
  const auto dm = s.login("dm1", password);
  ASSERT_EQ(dm.status, 200);
  EXPECT_EQ(body_of(s.request("GET", "/api/users", a))["users"].size(), 2u);
  // The same name again: 409 naming the field.
  auto dup = s.request("POST", "/api/users", a, {{"username", "dm1"}, {"role", "monitor"}});
  EXPECT_EQ(dup->status, 409);
  EXPECT_EQ(body_of(dup)["field"], "username");
  // Disabling ends the user's sessions and refuses new logins.
  const std::string path = "/api/users/" + std::to_string(u["id"].get<long long>());
  auto dis = s.request("PATCH", path, a, {{"disabled", true}});
  ASSERT_EQ(dis->status, 200) << dis->body;
  EXPECT_EQ(body_of(dis)["disabled"], true);
  EXPECT_EQ(s.request("GET", "/api/me", dm)->status, 401);
  EXPECT_EQ(s.login("dm1", password).status, 401);
  ASSERT_EQ(s.request("PATCH", path, a, {{"disabled", false}})->status, 200);
  EXPECT_EQ(s.login("dm1", password).status, 200);
  // The admin cannot disable themself.
  const std::string self = "/api/users/" + std::to_string(a.body["id"].get<long long>());
  EXPECT_EQ(s.request("PATCH", self, a, {{"disabled", true}})->status, 409);
  // The trail: who (admin) created and disabled whom, without the password.
  auto audit = s.request("GET", "/api/audit?table=users&user=admin", a);
  ASSERT_EQ(audit->status, 200) << audit->body;
  const json entries = body_of(audit)["entries"];
  int inserts = 0, updates = 0;
  for (const auto& e : entries) {
    EXPECT_EQ(e["actor"], "admin");
    EXPECT_EQ(e["table_name"], "users");
    if (e["action"] == "INSERT" && e["new_row"]["username"] == "dm1") ++inserts;
    if (e["action"] == "UPDATE" && e["new_row"]["username"] == "dm1") ++updates;
  }
  EXPECT_EQ(inserts, 1);
  EXPECT_EQ(updates, 2);  // disabled, enabled
  EXPECT_EQ(audit->body.find(password), std::string::npos);
  EXPECT_EQ(audit->body.find("argon2"), std::string::npos);
  auto events = body_of(s.request("GET", "/api/audit?table=auth_events", a))["entries"];
  std::set<std::string> kinds;
  for (const auto& e : events) kinds.insert(e["new_row"]["event"].get<std::string>());
  for (const std::string k : {"user_created", "user_disabled", "user_enabled", "login"}) EXPECT_TRUE(kinds.count(k)) << k;
}

TEST(UserRoutes, InvalidUsersAreRefusedNamingTheField) {
  TestServer s;
  const auto a = s.login(s.admin().username, s.admin().password);
  auto field_of = [&](const json& body) {
    auto r = s.request("POST", "/api/users", a, body);
    EXPECT_EQ(r->status, 400) << body;
    return body_of(r)["field"].get<std::string>();
  };
  EXPECT_EQ(field_of({{"username", "x y"}, {"role", "monitor"}}), "username");
  EXPECT_EQ(field_of({{"username", "x"}, {"role", "surgeon"}}), "role");
  EXPECT_EQ(field_of({{"username", "x"}, {"role", "investigator"}}), "sites");                        // site role without a site
  EXPECT_EQ(field_of({{"username", "x"}, {"role", "investigator"}, {"sites", {"Atlantis"}}}), "sites");  // unknown site
  EXPECT_EQ(field_of({{"username", "x"}, {"role", "monitor"}, {"sites", {"Rennes"}}}), "sites");       // all-site role with sites
  EXPECT_EQ(field_of({{"username", "x"}, {"role", "monitor"}, {"password", "short"}}), "password");
  EXPECT_EQ(field_of({{"username", "x"}, {"role", "monitor"}, {"colour", "blue"}}), "colour");
  auto r = s.request("POST", "/api/users", a, {{"username", "x"}, {"role", "monitor"}, {"password", "short"}});
  EXPECT_FALSE(body_of(r).contains("value")) << "a password is never repeated";
  EXPECT_EQ(body_of(s.request("GET", "/api/users", a))["users"].size(), 1u) << "nothing was created";
}

TEST(AuditRoute, FiltersByDateAndRefusesMalformedDates) {
  TestServer s;
  const auto a = s.login(s.admin().username, s.admin().password);
  const json all = body_of(s.request("GET", "/api/audit?limit=1000", a));
  ASSERT_GT(all["total"].get<long long>(), 56);  // the demo import and the logins
  EXPECT_EQ(body_of(s.request("GET", "/api/audit?to=2000-01-01", a))["total"], 0);
  EXPECT_EQ(body_of(s.request("GET", "/api/audit?from=2000-01-01", a))["total"], all["total"]);
  auto bad = s.request("GET", "/api/audit?from=yesterday", a);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(body_of(bad)["field"], "from");
  auto patients = body_of(s.request("GET", "/api/audit?table=patients", a));
  EXPECT_EQ(patients["total"], 56);
  EXPECT_EQ(patients["entries"][0]["actor"], "sirtkit serve --demo");
}

TEST(StaticAssets, ServedWithContentTypeAndSecurityHeadersAndNoEscape) {
  TestServer s(registry::Dialect::sqlite, std::string(SIRTKIT_SOURCE_DIR) + "/web");
  auto c = s.client();
  auto index = c.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type").rfind("text/html", 0), 0u);
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(index->get_header_value("X-Content-Type-Options"), "nosniff");
  auto js = c.Get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_NE(js->get_header_value("Content-Type").find("javascript"), std::string::npos);
  EXPECT_EQ(c.Get("/app.css")->get_header_value("Content-Type").rfind("text/css", 0), 0u);
  // The API answers carry the same headers and no-store.
  auto me = c.Get("/api/me");
  EXPECT_EQ(me->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(me->get_header_value("Cache-Control"), "no-store");
  // Paths that leave web/ are refused.
  for (const std::string p : {"/../CMakeLists.txt", "/%2e%2e/CMakeLists.txt", "/..%2fCMakeLists.txt", "/../../etc/passwd"}) {
    auto r = c.Get(p);
    ASSERT_TRUE(r) << p;
    EXPECT_NE(r->status, 200) << p;
    EXPECT_EQ(r->body.find("cmake_minimum_required"), std::string::npos) << p;
  }
}

}  // namespace
}  // namespace sirtkit::server
