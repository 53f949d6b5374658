// The what-ifs' gate (server/compute_gate.h): never more than its slots at
// once, and waiting threads let in in the order they came.
#include "server/compute_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace sirtkit::server {
namespace {

using namespace std::chrono_literals;

TEST(ComputeGate, NeverMoreThanItsSlotsAtOnce) {
  ComputeGate gate(2);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        const ComputeGate::Pass pass(gate);
        const int now = ++inside;
        for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(200us);
        --inside;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(most.load(), 2);  // both slots used, never a third
  EXPECT_EQ(inside.load(), 0);
}

TEST(ComputeGate, WaitersAreLetInInTheOrderTheyCame) {
  ComputeGate gate(1);
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> threads;
  {
    const ComputeGate::Pass held(gate);  // every thread below must wait
    for (int t = 0; t < 6; ++t) {
      threads.emplace_back([&, t] {
        const ComputeGate::Pass pass(gate);
        std::lock_guard lock(order_mutex);
        order.push_back(t);
      });
      // The next thread starts only once this one waits in the queue.
      while (gate.waiting() < static_cast<std::size_t>(t + 1)) std::this_thread::sleep_for(1ms);
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(ComputeGate, ASlotIsFreedWhenThePassEnds) {
  ComputeGate gate(1);
  { const ComputeGate::Pass pass(gate); }
  std::atomic<bool> entered{false};
  std::thread t([&] {
    const ComputeGate::Pass pass(gate);
    entered = true;
  });
  t.join();
  EXPECT_TRUE(entered.load());
  EXPECT_EQ(gate.waiting(), 0u);
}

}  // namespace
}  // namespace sirtkit::server
