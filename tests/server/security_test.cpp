// Security probes over HTTP against a real server, driven by docs/openapi.json
// so that every documented route, query parameter and body field is probed
// (a route added to the document is probed without editing this test):
// SQL injection strings in every query and path parameter, XSS payloads in
// every query parameter and every string field of every JSON body, path
// traversal on the static assets (dot-dot in every spelling, encoded
// slashes, absolute paths, symbolic links out of the folder), session
// fixation, a CSRF token of another session, and the security headers of
// every route's answers. (Anonymous and wrong-role requests to every route:
// route_table_test.cpp; lockout, expiry and TOTP: authenticator_test.cpp.)

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "server/routes/route_table.h"
#include "server_fixture.h"

namespace sirtkit::server {
namespace {

using nlohmann::json;
using testing::body_of;
using testing::TestServer;

const json& openapi() {
  static const json doc = [] {
    std::ifstream in(std::string(SIRTKIT_SOURCE_DIR) + "/docs/openapi.json");
    return json::parse(in);
  }();
  return doc;
}

const json& resolve(const json& j) {
  if (j.is_object() && j.contains("$ref")) {
    std::string ref = j["$ref"];  // "#/components/..."
    return openapi().at(json::json_pointer(ref.substr(1)));
  }
  return j;
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += {'%', hex[c >> 4], hex[c & 15]};
  }
  return out;
}

std::string concrete(const std::string& path, const std::string& id = "1") {
  return std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), id);
}

struct Operation {
  std::string method, path;
  json op;
};

std::vector<Operation> operations() {
  std::vector<Operation> ops;
  for (const auto& [path, item] : openapi()["paths"].items())
    for (const auto& [method, op] : item.items()) {
      std::string m = method;
      std::transform(m.begin(), m.end(), m.begin(), ::toupper);
      ops.push_back({m, path, op});
    }
  return ops;
}

std::vector<std::string> query_parameters(const json& op) {
  std::vector<std::string> names;
  const json parameters = op.value("parameters", json::array());
  for (const auto& p : parameters) {
    const json& r = resolve(p);
    if (r.value("in", "") == "query") names.push_back(r["name"]);
  }
  return names;
}

const std::vector<std::string> sql_payloads = {
    "' OR '1'='1", "1' OR 1=1 --", "'; DROP TABLE patients; --", "1; DELETE FROM users", "\" OR \"\"=\"",
    "%' OR 1=1 --", "x' UNION SELECT password_hash, 1, 1, 1, 1, 1, 1, 1, 1 FROM users --", "Rennes' --", "\\'; SELECT pg_sleep(5); --",
    "1) OR (1=1", "*", "%", "_"};
const std::vector<std::string> xss_payloads = {
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "<svg onload=alert(1)>",
    "'-alert(1)-'", "</title><script>alert(1)</script>", "{{constructor.constructor('alert(1)')()}}"};

// Every API answer: JSON, not sniffable, not cached, with the CSP.
void expect_api_headers(const httplib::Result& r, const std::string& where) {
  ASSERT_TRUE(r) << where;
  EXPECT_EQ(r->get_header_value("Content-Type").rfind("application/json", 0), 0u) << where;
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << where;
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store") << where;
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos) << where;
  EXPECT_FALSE(json::parse(r->body, nullptr, false).is_discarded()) << where << ": " << r->body;
}

// A signed-in GET: JSON, or a download (CSV, PDF, NIfTI) that still carries the
// security headers and, for what a browser could render, is an attachment.
void expect_api_or_download_headers(const httplib::Result& r, const std::string& where) {
  ASSERT_TRUE(r) << where;
  const std::string type = r->get_header_value("Content-Type");
  if (type.rfind("application/json", 0) == 0) return expect_api_headers(r, where);
  EXPECT_TRUE(type.rfind("text/csv", 0) == 0 || type == "application/pdf" || type == "application/octet-stream") << where << ": " << type;
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << where;
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store") << where;
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos) << where;
  if (type != "application/octet-stream")
    EXPECT_EQ(r->get_header_value("Content-Disposition").rfind("attachment", 0), 0u) << where;
}

long long patient_count(TestServer& s) {
  auto lease = s.http().state().pool().acquire();
  return std::stoll(*lease->scalar("SELECT COUNT(*) FROM patients"));
}

TEST(Security, SqlInjectionInEveryQueryAndPathParameterIsInert) {
  TestServer s;
  const auto a = s.login(s.admin().username, s.admin().password);
  const long long patients = patient_count(s);
  const json users_before = body_of(s.request("GET", "/api/users", a));
  int probes = 0;
  std::set<std::string> probed;
  for (const auto& o : operations()) {
    if (o.method != "GET") continue;
    for (const auto& name : query_parameters(o.op)) {
      for (const auto& payload : sql_payloads) {
        const std::string path = concrete(o.path) + "?" + name + "=" + url_encode(payload);
        auto r = s.request("GET", path, a);
        ASSERT_TRUE(r) << path;
        EXPECT_TRUE(r->status == 200 || r->status == 400 || r->status == 404 || r->status == 422) << path << ": " << r->status << " " << r->body;
        EXPECT_EQ(r->body.find("$argon2"), std::string::npos) << path;
        EXPECT_EQ(r->body.find("SELECT"), std::string::npos) << path << ": SQL text in the answer";
        // A text filter holding an injection matches nothing; it never widens the answer.
        const json b = body_of(r);
        if (r->status == 200 && b.contains("total") && (name == "search" || name == "site" || name == "arm" || name == "user"))
          EXPECT_EQ(b["total"], 0) << path;
        ++probes;
        probed.insert(o.path + "?" + name);
      }
    }
    if (o.path.find('{') != std::string::npos)
      for (const auto& payload : sql_payloads) {
        auto r = s.request("GET", concrete(o.path, url_encode(payload)), a);
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->status == 400 || r->status == 404) << o.path << " " << payload << ": " << r->status;
        ++probes;
      }
  }
  for (const std::string p : {"/api/patients?search", "/api/patients?site", "/api/audit?user", "/api/audit?table"}) EXPECT_TRUE(probed.count(p)) << p;
  EXPECT_GT(probes, 300);
  // Nothing was dropped or deleted; the session still works.
  EXPECT_EQ(patient_count(s), patients);
  EXPECT_EQ(body_of(s.request("GET", "/api/users", a)), users_before);
  EXPECT_EQ(s.request("GET", "/api/me", a)->status, 200);
}

// A body built from the schema: each property's example, else its first enum
// value, else a plain value of its type.
json body_from_schema(const json& schema_ref) {
  const json& schema = resolve(schema_ref);
  if (schema.contains("example")) return schema["example"];
  json body = json::object();
  const json properties = schema.value("properties", json::object());
  for (const auto& [name, prop] : properties.items()) {
    const json& p = resolve(prop);
    const std::string type = p.value("type", "string");
    if (p.contains("example")) body[name] = p["example"];
    else if (p.contains("enum")) body[name] = p["enum"][0];
    else if (type == "integer" || type == "number") body[name] = p.value("minimum", 1);
    else if (type == "boolean") body[name] = false;
    else if (type == "array") body[name] = json::array();
    else if (type == "object") body[name] = json::object();
    else body[name] = "x";
  }
  return body;
}

// A valid body for the operations whose schema alone does not give one (start of each XSS probe).
json valid_body(const Operation& o, const TestServer& s) {
  const std::string key = o.method + " " + o.path;
  if (key == "POST /api/login") return {{"username", "nobody"}, {"password", "wrong password here"}};
  if (key == "POST /api/me/totp") return {{"password", s.admin().password}};
  if (key == "POST /api/users") return {{"username", "newuser"}, {"role", "investigator"}, {"sites", {"Rennes"}}, {"password", "a long enough password"}};
  if (key == "PATCH /api/users/{id}") return {{"disabled", false}};
  return body_from_schema(o.op["requestBody"]["content"]["application/json"]["schema"]);
}

// The string fields of a body schema (and string array items), by name.
std::vector<std::string> string_fields(const json& schema_ref) {
  const json& schema = resolve(schema_ref);
  std::vector<std::string> out;
  const json properties = schema.value("properties", json::object());
  for (const auto& [name, prop] : properties.items()) {
    const json& p = resolve(prop);
    if (p.value("type", "") == "string" || (p.value("type", "") == "array" && resolve(p["items"]).value("type", "") == "string"))
      out.push_back(name);
  }
  return out;
}

TEST(Security, XssPayloadsInEveryTextFieldAreRefusedOrKeptVerbatimAndNeverReflectedAsHtml) {
  TestServer s;
  const auto a = s.login(s.admin().username, s.admin().password);
  int probes = 0;
  for (const auto& o : operations()) {
    const std::string where = o.method + " " + o.path;
    // Query parameters: never reflected in an error, never anything but JSON.
    for (const auto& name : query_parameters(o.op))
      for (const auto& payload : xss_payloads) {
        auto r = s.request(o.method, concrete(o.path) + "?" + name + "=" + url_encode(payload), a);
        expect_api_headers(r, where + " ?" + name);
        if (r->status >= 400) EXPECT_EQ(r->body.find(payload), std::string::npos) << where << " ?" << name << " reflects " << payload;
        EXPECT_NE(r->status, 500) << where;
        ++probes;
      }
    if (o.method == "GET" || !o.op.contains("requestBody")) continue;
    // Bodies that are not JSON (STOW-RS: DICOM files) have their own tests (dicomweb_routes_test.cpp).
    if (!o.op["requestBody"]["content"].contains("application/json")) continue;
    const json schema = o.op["requestBody"]["content"]["application/json"]["schema"];
    const json base = valid_body(o, s);
    for (const auto& field : string_fields(schema))
      for (const auto& payload : xss_payloads) {
        json body = base;
        body[field] = base.contains(field) && base[field].is_array() ? json::array({payload}) : json(payload);
        // A fresh session when the route may end this one.
        const auto session = o.path == "/api/login" ? testing::Login{} : s.login(s.admin().username, s.admin().password);
        auto r = s.request(o.method, concrete(o.path), session, body);
        expect_api_headers(r, where + " ." + field);
        EXPECT_NE(r->status, 500) << where << " ." << field;
        if (r->status >= 400) {
          EXPECT_EQ(r->body.find(payload), std::string::npos) << where << " ." << field << " reflects " << payload;
        } else if (field != "password") {
          // Accepted: kept verbatim (escaping is the page's job, with textContent).
          EXPECT_NE(body_of(r).dump().find(json(payload).dump()), std::string::npos) << where << " ." << field;
        }
        ++probes;
      }
  }
  EXPECT_GT(probes, 100);
  // No user was created with a payload as its name.
  // (the answer in a variable: a range-for over a member of a temporary iterates a destroyed object)
  const json users = body_of(s.request("GET", "/api/users", a));
  ASSERT_TRUE(users.contains("users")) << users;
  for (const auto& u : users["users"])
    EXPECT_EQ(u["username"].get<std::string>().find_first_of("<>\"'"), std::string::npos) << u;
}

// A raw request line, as an attacker sends it (no client-side normalisation).
std::pair<int, std::string> raw_get(int port, const std::string& target) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return {-1, ""};
  }
  const std::string rq = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (send(fd, rq.data(), rq.size(), 0) < 0) {
    close(fd);
    return {-1, ""};
  }
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(fd);
  int status = -1;
  if (out.rfind("HTTP/1.1 ", 0) == 0) status = std::stoi(out.substr(9, 3));
  return {status, out};
}

TEST(Security, StaticPathsCannotLeaveTheAssetFolder) {
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("sirtkit-static-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "web" / "sub");
  fs::copy(fs::path(SIRTKIT_SOURCE_DIR) / "web", base / "web", fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  const std::string secret = "SECRET-OUTSIDE-THE-ASSETS";
  std::ofstream(base / "secret.txt") << secret << "\n";
  fs::create_directories(base / "outside");
  std::ofstream(base / "outside" / "index.html") << secret << "\n";
  fs::create_symlink(base / "secret.txt", base / "web" / "leak.txt");            // a file link out
  fs::create_symlink(base, base / "web" / "up");                                  // a folder link out
  fs::create_symlink(base / "outside", base / "web" / "sub" / "out");             // a nested folder link out
  fs::create_symlink(base / "web" / "app.css", base / "web" / "alias.css");       // a link that stays inside
  TestServer s(registry::Dialect::sqlite, (base / "web").string());
  const std::string abs = (base / "secret.txt").string();
  for (const std::string& target : std::vector<std::string>{"/leak.txt", "/up/secret.txt", "/up/outside/index.html", "/sub/out/", "/sub/out/index.html", "/../secret.txt",
        "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/.%2e/secret.txt",
        "/%252e%252e/secret.txt", "/..%5csecret.txt", "/..\\secret.txt", "/sub/../../secret.txt", "/sub/%2e%2e/%2e%2e/secret.txt",
        "//" + abs, "/%2f" + url_encode(abs.substr(1)), abs, "/./../secret.txt", "/index.html/../../secret.txt", "/up%2fsecret.txt", "/%00/../secret.txt",
        "/../../../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"}) {
    const auto [status, out] = raw_get(s.port(), target);
    EXPECT_NE(status, 200) << target;
    EXPECT_EQ(out.find(secret), std::string::npos) << target;
    EXPECT_EQ(out.find("root:x:0:0"), std::string::npos) << target;
  }
  // What is inside is still served, through a link that stays inside too.
  EXPECT_EQ(raw_get(s.port(), "/app.css").first, 200);
  EXPECT_EQ(raw_get(s.port(), "/alias.css").first, 200);
  EXPECT_EQ(raw_get(s.port(), "/").first, 200);
  fs::remove_all(base);
}

TEST(Security, SessionFixationPlantedTokenIsNeverAdoptedAndLogoutKillsTheTokenServerSide) {
  TestServer s;
  s.add_user("ana", Role::investigator, {"Rennes"}, "investigator password 1");
  // The attacker plants a session id of their choosing before the victim logs in.
  const std::string planted = std::string(session_cookie) + "=" + std::string(64, 'f');
  httplib::Headers h{{"Cookie", planted}};
  auto r = s.client().Post("/api/login", h, json{{"username", "ana"}, {"password", "investigator password 1"}}.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const std::string set = r->get_header_value("Set-Cookie");
  const std::string issued = set.substr(0, set.find(';'));
  EXPECT_NE(issued, planted);
  EXPECT_EQ(issued.size(), planted.size());
  testing::Login attacker;
  attacker.cookie = planted;
  EXPECT_EQ(s.request("GET", "/api/me", attacker)->status, 401) << "the planted id was adopted";
  testing::Login victim;
  victim.cookie = issued;
  victim.csrf = body_of(r)["csrf_token"];
  EXPECT_EQ(s.request("GET", "/api/me", victim)->status, 200);
  // A CSRF token is bound to its session: another session's token is refused.
  const auto other = s.login("ana", "investigator password 1");
  testing::Login mixed = victim;
  mixed.csrf = other.csrf;
  auto m = s.request("POST", "/api/logout", mixed);
  EXPECT_EQ(m->status, 403);
  EXPECT_EQ(body_of(m)["error"], "csrf");
  // Logout ends the token on the server: the same cookie sent again is refused.
  EXPECT_EQ(s.request("POST", "/api/logout", victim)->status, 200);
  EXPECT_EQ(s.request("GET", "/api/me", victim)->status, 401);
  EXPECT_EQ(s.request("GET", "/api/patients", victim)->status, 401);
  EXPECT_EQ(s.request("GET", "/api/me", other)->status, 200) << "logout ends only its own session";
}

TEST(Security, EveryRouteAnswersWithSecurityHeadersSignedInOrNot) {
  TestServer s;
  const auto a = s.login(s.admin().username, s.admin().password);
  for (const Route& route : route_table()) {
    const std::string where = route.method + " " + route.path;
    expect_api_headers(s.request(route.method, concrete(route.path), testing::Login{}), where + " anonymous");
    if (route.method == "GET") expect_api_or_download_headers(s.request(route.method, concrete(route.path), a), where + " as admin");
  }
  // The session cookie: HttpOnly, SameSite=Strict, no Secure without TLS (tls_test.cpp checks Secure under TLS).
  EXPECT_NE(a.set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(a.set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(a.set_cookie.find("Secure"), std::string::npos);
}

}  // namespace
}  // namespace sirtkit::server
