// A `sirtkit serve` killed with SIGKILL loses no committed write (issue 13,
// "a killed server loses no committed write"): the server runs as a child
// process, four clients add lab values as fast as it answers, the server is
// killed without warning in the middle, and a new server over the same
// registry must hold every value whose POST was answered 201 (SQLite in
// rollback-journal mode with synchronous=FULL commits durably before the
// answer is sent).

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "run_sirtkit.h"
#include "serve_child.h"

namespace {

using nlohmann::json;
using sirtkit::cli_test::Served;

struct Session {
  httplib::Headers headers;
};

Session login(int port, const std::string& password) {
  httplib::Client c("127.0.0.1", port);
  auto r = c.Post("/api/login", json{{"username", "admin"}, {"password", password}}.dump(), "application/json");
  Session s;
  if (!r || r->status != 200) return s;
  const std::string set = r->get_header_value("Set-Cookie");
  s.headers = {{"Cookie", set.substr(0, set.find(';'))}, {"X-CSRF-Token", json::parse(r->body)["csrf_token"].get<std::string>()}};
  return s;
}

TEST(ServeKill, SigkillAfterAnsweredWritesLosesNone) {
  const auto dir = sirtkit::cli_test::fresh_dir("serve_kill");
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "kill.sqlite").string();
  Served s = sirtkit::cli_test::start({"--db", db, "--demo", "--port", "0"});
  ASSERT_GT(s.port, 0) << s.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(s.out, m, std::regex(R"(password\s+(\S{20}))"))) << s.out;
  const std::string password = m[1];
  const Session session = login(s.port, password);
  ASSERT_FALSE(session.headers.empty());
  httplib::Client c("127.0.0.1", s.port);
  auto created = c.Post("/api/patients", session.headers, json{{"site", "Rennes"}, {"index_date", "2024-01-10"}}.dump(), "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const long long id = json::parse(created->body)["id"];
  const std::string path = "/api/patients/" + std::to_string(id) + "/labs";

  std::mutex mu;
  std::set<int> acknowledged;  // study days of the labs answered 201
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&, w] {
      httplib::Client cw("127.0.0.1", s.port);
      cw.set_read_timeout(5);
      for (int day = 1 + w; !stop; day += 4) {
        auto r = cw.Post(path, session.headers, json{{"day", day}, {"test", "sodium"}, {"value", 140}, {"unit", "mmol/L"}}.dump(), "application/json");
        if (!r) break;  // the server is gone
        if (r->status == 201) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.insert(day);
        }
      }
    });
  // Kill once a few dozen writes are answered, while the others are in flight.
  for (int i = 0; i < 600; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (acknowledged.size() >= 40) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(s.pid, SIGKILL);
  stop = true;
  for (auto& t : writers) t.join();
  int status = 0;
  waitpid(s.pid, &status, 0);
  close(s.out_fd);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  ASSERT_GE(acknowledged.size(), 10u);

  // A new server over the same file: every answered write is there.
  Served again = sirtkit::cli_test::start({"--db", db, "--port", "0"});
  ASSERT_GT(again.port, 0) << again.out;
  const Session s2 = login(again.port, password);
  httplib::Client c2("127.0.0.1", again.port);
  auto rec = c2.Get("/api/patients/" + std::to_string(id), s2.headers);
  ASSERT_TRUE(rec);
  ASSERT_EQ(rec->status, 200);
  // The parsed record is kept in a variable: a range-for over a member of a
  // temporary would iterate a destroyed object.
  const json record = json::parse(rec->body);
  std::set<int> stored;
  for (const auto& lab : record["labs"]) stored.insert(lab["day"].get<int>());
  for (int day : acknowledged) EXPECT_TRUE(stored.count(day)) << "answered 201 but lost: day " << day;
  EXPECT_GE(stored.size(), acknowledged.size());
  RecordProperty("acknowledged_before_kill", static_cast<int>(acknowledged.size()));
  EXPECT_EQ(sirtkit::cli_test::stop(again, SIGTERM), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
