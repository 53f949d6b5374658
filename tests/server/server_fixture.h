#pragma once
// Shared by the server tests: a REAL `sirtkit serve` server (server/http_server.h)
// on a loopback ephemeral port over a fresh registry holding the demo cohort,
// talked to over HTTP with httplib::Client. No mocks. Passwords are hashed
// with PasswordCost::test_minimum (the test-only Argon2id cost) and the clock
// is the test's, so expiry and lockout windows are tested without sleeping.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "../registry/store_fixture.h"
#include "pipelines/registry/registry_jobs.h"
#include "server/bootstrap.h"
#include "server/http_server.h"
#include "server/auth/identity_store.h"
#include "server/auth/password_hash.h"

namespace sirtkit::server::testing {

using nlohmann::json;

inline std::string fresh_registry(registry::Dialect d) {
  static std::atomic<int> n{0};
  if (d == registry::Dialect::postgres) {
    auto& pg = registry::testing::PostgresServer::instance();
    if (!pg.ok()) throw std::runtime_error("PostgreSQL test server could not be started: " + pg.error());
    return pg.new_database();
  }
  return (registry::testing::scratch_dir() / ("server" + std::to_string(++n) + ".sqlite")).string();
}

// A session as a browser holds it: the cookie and the CSRF token.
struct Login {
  int status = 0;
  json body;
  std::string cookie;  // "sirtkit_session=..."
  std::string set_cookie;
  std::string csrf;
};

class TestServer {
 public:
  explicit TestServer(registry::Dialect d = registry::Dialect::sqlite, std::string web_root = "", std::string tls_cert = "",
                      std::string tls_key = "", std::string data_root = "", const std::function<void(ServerConfig&)>& configure = {}) {
    db_ = fresh_registry(d);
    pipelines::registry_load_demo(db_);
    ServerConfig c;
    c.db = db_;
    c.bind = "127.0.0.1";
    c.port = 0;
    c.web_root = std::move(web_root);
    c.tls_cert = std::move(tls_cert);
    c.tls_key = std::move(tls_key);
    c.data_root = std::move(data_root);
    c.password_cost = PasswordCost::test_minimum;
    c.clock = [this] { return now_.load(); };
    if (configure) configure(c);
    http_ = std::make_unique<HttpServer>(c);
    port_ = http_->bind();
    thread_ = std::thread([this] { http_->run(); });
    {
      auto lease = http_->state().pool().acquire();
      admin_ = *create_first_admin(*lease, PasswordCost::test_minimum);
    }
    // Wait until the listener answers.
    for (int i = 0; i < 200 && !http_->tls(); ++i) {
      if (client().Get("/api/me")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~TestServer() {
    http_->stop();
    thread_.join();
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(30);
    return c;
  }
  int port() const { return port_; }
  const std::string& db() const { return db_; }
  HttpServer& http() { return *http_; }
  const FirstAdmin& admin() const { return admin_; }
  void advance(std::int64_t seconds) { now_ += seconds; }
  std::int64_t now() const { return now_.load(); }

  // Creates a user directly in the store (no HTTP) with the given role and sites.
  void add_user(const std::string& name, Role role, const std::vector<std::string>& site_codes, const std::string& password) {
    auto lease = http_->state().pool().acquire();
    std::vector<long long> ids;
    for (const auto& code : site_codes)
      for (const auto& s : sites_with_code(*lease, code)) ids.push_back(s.id);
    registry::Transaction tx(*lease, "test");
    insert_user(*lease, name, role, hash_password(password, PasswordCost::test_minimum), ids);
    tx.commit();
  }

  Login login(const std::string& user, const std::string& password, const std::string& totp = "") {
    json body = {{"username", user}, {"password", password}};
    if (!totp.empty()) body["totp"] = totp;
    auto r = client().Post("/api/login", body.dump(), "application/json");
    Login l;
    if (!r) return l;
    l.status = r->status;
    l.body = json::parse(r->body, nullptr, false);
    l.set_cookie = r->get_header_value("Set-Cookie");
    l.cookie = l.set_cookie.substr(0, l.set_cookie.find(';'));
    if (l.body.is_object() && l.body.contains("csrf_token")) l.csrf = l.body["csrf_token"];
    return l;
  }

  // One request with a session (cookie + CSRF header); body as JSON for POST/PATCH.
  httplib::Result request(const std::string& method, const std::string& path, const Login& s, const json& body = json::object(),
                          bool with_csrf = true) {
    httplib::Headers h;
    if (!s.cookie.empty()) h.emplace("Cookie", s.cookie);
    if (with_csrf && !s.csrf.empty()) h.emplace("X-CSRF-Token", s.csrf);
    auto c = client();
    if (method == "GET") return c.Get(path, h);
    if (method == "POST") return c.Post(path, h, body.dump(), "application/json");
    if (method == "PATCH") return c.Patch(path, h, body.dump(), "application/json");
    if (method == "PUT") return c.Put(path, h, body.dump(), "application/json");
    if (method == "DELETE") return c.Delete(path, h, body.dump(), "application/json");
    ADD_FAILURE() << "unknown method " << method;
    return c.Get(path, h);
  }

 private:
  std::string db_;
  std::atomic<std::int64_t> now_{1'800'000'000};
  std::unique_ptr<HttpServer> http_;
  std::thread thread_;
  int port_ = 0;
  FirstAdmin admin_;
};

inline json body_of(const httplib::Result& r) { return r ? json::parse(r->body, nullptr, false) : json(); }

}  // namespace sirtkit::server::testing
