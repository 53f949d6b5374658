// docs/openapi.json and the route table list exactly the same method + path
// pairs, with the same roles (x-roles) and the same public route (x-public).

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "server/routes/route_table.h"

namespace sirtkit::server {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

TEST(OpenApi, DocumentListsExactlyTheRoutesAndRolesOfTheRouteTable) {
  std::ifstream in(std::string(SIRTKIT_SOURCE_DIR) + "/docs/openapi.json");
  ASSERT_TRUE(in) << "docs/openapi.json missing";
  const nlohmann::json doc = nlohmann::json::parse(in);
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  std::map<std::string, std::set<std::string>> documented;  // "GET /api/x" -> roles
  std::set<std::string> documented_public;
  const std::set<std::string> methods = {"get", "post", "put", "patch", "delete", "head", "options"};
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, op] : item.items()) {
      if (!methods.count(method)) continue;
      const std::string key = method + " " + path;
      ASSERT_TRUE(op.contains("x-roles")) << key << " has no x-roles";
      documented[key] = op["x-roles"].get<std::set<std::string>>();
      if (op.value("x-public", false)) documented_public.insert(key);
    }
  std::set<std::string> routed_keys;
  for (const Route& r : route_table()) {
    const std::string key = lower(r.method) + " " + r.path;
    routed_keys.insert(key);
    ASSERT_TRUE(documented.count(key)) << key << " is routed but not in docs/openapi.json";
    std::set<std::string> roles;
    for (Role role : r.roles) roles.insert(role_name(role));
    EXPECT_EQ(documented[key], roles) << key;
    EXPECT_EQ(documented_public.count(key) == 1, r.is_public) << key;
  }
  for (const auto& [key, roles] : documented) EXPECT_TRUE(routed_keys.count(key)) << key << " is documented but not routed";
}

}  // namespace
}  // namespace sirtkit::server
