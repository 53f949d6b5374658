// StorePool (server/store_pool.h): a released connection goes to the request
// that has waited longest, and a pool of one serves every waiter in turn.

#include "server/store_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

namespace sirtkit::server {
namespace {

void wait_for_waiters(StorePool& pool, std::size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (pool.waiting() < n && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(pool.waiting(), n);
}

TEST(StorePool, AReleasedConnectionGoesToTheLongestWaiter) {
  const auto db = std::filesystem::temp_directory_path() / ("sirtkit-store-pool-" + std::to_string(::getpid()) + ".sqlite");
  std::filesystem::remove(db);
  registry::open_store(db.string(), true);
  {
    StorePool pool(db.string(), 1);
    std::mutex m;
    std::vector<int> order;
    std::vector<std::thread> threads;
    {
      auto held = pool.acquire();
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          auto lease = pool.acquire();
          std::lock_guard lock(m);
          order.push_back(t);
        });
        wait_for_waiters(pool, static_cast<std::size_t>(t) + 1);  // thread t waits before t + 1 starts
      }
      EXPECT_TRUE(order.empty());
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
    EXPECT_EQ(pool.waiting(), 0u);
    auto again = pool.acquire();  // the one connection came back
    EXPECT_EQ(*again->scalar("SELECT 1"), "1");
  }
  std::filesystem::remove(db);
}

}  // namespace
}  // namespace sirtkit::server
