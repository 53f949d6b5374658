// `sirtkit serve` as a user starts it: --demo creates the registry with the
// demo cohort and prints the address and a one-time admin password; the
// password works (production Argon2id cost); SIGTERM and SIGINT stop it with
// exit code 0; a second start prints no new password and keeps the data.

#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "run_sirtkit.h"
#include "serve_child.h"

namespace {

using sirtkit::cli_test::Served;
using sirtkit::cli_test::start;
using sirtkit::cli_test::stop;

TEST(ServeCommand, DemoStartsWithOneTimeAdminAndStopsCleanlyOnSignals) {
  const auto dir = sirtkit::cli_test::fresh_dir("serve_cli");
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "demo.sqlite").string();
  Served s = start({"--db", db, "--demo", "--port", "0"});
  ASSERT_GT(s.port, 0) << s.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(s.out, m, std::regex(R"(password\s+(\S{20}))"))) << s.out;
  const std::string password = m[1];
  EXPECT_NE(s.out.find("56 patients"), std::string::npos) << s.out;

  httplib::Client c("127.0.0.1", s.port);
  const auto t0 = std::chrono::steady_clock::now();
  auto login = c.Post("/api/login", nlohmann::json{{"username", "admin"}, {"password", password}}.dump(), "application/json");
  const double login_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  RecordProperty("login_ms_argon2id_interactive", std::to_string(login_ms));
  const std::string set = login->get_header_value("Set-Cookie");
  httplib::Headers h{{"Cookie", set.substr(0, set.find(';'))}};
  auto list = c.Get("/api/patients", h);
  ASSERT_TRUE(list);
  EXPECT_EQ(nlohmann::json::parse(list->body)["total"], 56);
  auto page = c.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200) << "web/ copied beside the program";
  EXPECT_EQ(stop(s, SIGTERM), 0);

  // Second start: same data, no new admin password; SIGINT stops it too.
  Served again = start({"--db", db, "--demo", "--port", "0"});
  ASSERT_GT(again.port, 0) << again.out;
  EXPECT_EQ(again.out.find("password"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("already holds 56 patients"), std::string::npos) << again.out;
  httplib::Client c2("127.0.0.1", again.port);
  auto relog = c2.Post("/api/login", nlohmann::json{{"username", "admin"}, {"password", password}}.dump(), "application/json");
  ASSERT_TRUE(relog);
  EXPECT_EQ(relog->status, 200);
  EXPECT_EQ(stop(again, SIGINT), 0);
  std::filesystem::remove_all(dir);
}

TEST(ServeCommand, RefusesARegistryThatDoesNotExistAndHalfATlsPair) {
  const auto r = sirtkit::cli_test::run("serve --db /nonexistent/x.sqlite --port 0");
  EXPECT_EQ(r.code, 4) << r.out;
  const auto dir = sirtkit::cli_test::fresh_dir("serve_cli_tls");
  std::filesystem::create_directories(dir);
  const auto init = sirtkit::cli_test::run("registry init " + (dir / "r.sqlite").string());
  ASSERT_EQ(init.code, 0) << init.out;
  const auto t = sirtkit::cli_test::run("serve --db " + (dir / "r.sqlite").string() + " --port 0 --tls-cert cert.pem");
  EXPECT_EQ(t.code, 2) << t.out;
  EXPECT_NE(t.out.find("--tls-key"), std::string::npos) << t.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
