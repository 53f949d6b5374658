// Under TLS (httplib::SSLServer) the session cookie carries Secure and every
// answer Strict-Transport-Security; a self-signed certificate made by the
// openssl command for this test.

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "core/error.h"
#include "server_fixture.h"

namespace sirtkit::server {
namespace {

TEST(Tls, SecureCookieAndHstsOverHttps) {
  const auto dir = registry::testing::scratch_dir();
  const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key + " -out " + cert +
                          " -days 1 -subj /CN=127.0.0.1 > /dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl could not make a test certificate";
  testing::TestServer s(registry::Dialect::sqlite, "", cert, key);
  ASSERT_TRUE(s.http().tls());
  EXPECT_EQ(s.http().address().rfind("https://127.0.0.1:", 0), 0u);
  httplib::SSLClient c("127.0.0.1", s.port());
  c.enable_server_certificate_verification(false);
  const std::string body = nlohmann::json{{"username", "admin"}, {"password", s.admin().password}}.dump();
  auto r = c.Post("/api/login", body, "application/json");
  for (int i = 0; i < 100 && !r; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    r = c.Post("/api/login", body, "application/json");
  }
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_EQ(r->get_header_value("Strict-Transport-Security"), "max-age=31536000");
  // Plain HTTP to the TLS port gets no answer.
  httplib::Client plain("127.0.0.1", s.port());
  plain.set_read_timeout(2);
  auto p = plain.Get("/api/me");
  EXPECT_TRUE(!p || p->status != 401);
}

TEST(Tls, HalfAPairOrAMissingFileIsRefusedBeforeListening) {
  ServerConfig c;
  c.db = testing::fresh_registry(registry::Dialect::sqlite);
  pipelines::registry_load_demo(c.db);
  c.tls_cert = "only-cert.pem";
  EXPECT_THROW({ HttpServer h(c); }, Error);
  c.tls_key = "/nonexistent/key.pem";
  try {
    HttpServer h(c);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::io);
  }
}

}  // namespace
}  // namespace sirtkit::server
