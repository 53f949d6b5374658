// Concurrent logins and reads on both stores: the pooled connections and the
// SERIALIZABLE transactions of PostgreSQL must not turn parallel requests
// into errors, and every login leaves its session and its audit event.

#include <gtest/gtest.h>

#include <thread>

#include "server_fixture.h"

namespace sirtkit::server {
namespace {

class Concurrency : public ::testing::TestWithParam<registry::Dialect> {};
INSTANTIATE_TEST_SUITE_P(Stores, Concurrency, ::testing::Values(registry::Dialect::sqlite, registry::Dialect::postgres),
                         registry::testing::store_name);

TEST_P(Concurrency, ParallelLoginsAndReadsAllSucceed) {
  testing::TestServer s(GetParam());
  const int threads = 8, rounds = 5;
  for (int t = 0; t < threads; ++t) s.add_user("user" + std::to_string(t), Role::investigator, {"Rennes"}, "a password for tests");
  std::vector<std::thread> pool;
  std::atomic<int> ok{0};
  std::vector<std::string> failures(threads);
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int r = 0; r < rounds; ++r) {
        const auto l = s.login("user" + std::to_string(t), "a password for tests");
        if (l.status != 200) {
          failures[t] += "login " + std::to_string(l.status) + " " + l.body.dump() + "; ";
          continue;
        }
        auto p = s.request("GET", "/api/patients", l);
        if (!p || p->status != 200) {
          failures[t] += "patients " + (p ? std::to_string(p->status) + " " + p->body : std::string("no answer")) + "; ";
          continue;
        }
        ++ok;
      }
    });
  for (auto& th : pool) th.join();
  for (int t = 0; t < threads; ++t) EXPECT_TRUE(failures[t].empty()) << "thread " << t << ": " << failures[t];
  EXPECT_EQ(ok.load(), threads * rounds);
  auto lease = s.http().state().pool().acquire();
  EXPECT_EQ(*lease->scalar("SELECT COUNT(*) FROM auth_events WHERE event = 'login' AND username LIKE 'user%'"), std::to_string(threads * rounds));
  EXPECT_EQ(*lease->scalar("SELECT COUNT(*) FROM sessions"), std::to_string(threads * rounds));
}

}  // namespace
}  // namespace sirtkit::server
