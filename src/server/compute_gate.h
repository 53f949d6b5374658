#pragma once
// At most N computations at once, the others waiting their turn in arrival
// order: the what-ifs of the planning workspace (issue 14). The server has a
// worker thread per open connection (ServerConfig::http_threads), so 50 users
// moving sliders start 50 what-ifs together; on 2 cores they then share the
// cores in slices and evict each other's voxels from the caches, and each
// answer waits for the slices of all the others. Through the gate each
// what-if runs to its end on a core, and a request's wait is the work queued
// before it (first come, first served: no request overtaken).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace sirtkit::server {

class ComputeGate {
 public:
  // `slots` >= 1 computations at once (e.g. std::thread::hardware_concurrency()).
  explicit ComputeGate(std::size_t slots);
  ComputeGate(const ComputeGate&) = delete;
  ComputeGate& operator=(const ComputeGate&) = delete;

  // Held while computing: waits for a slot on construction, gives it to the
  // longest waiting thread (or back to the gate) on destruction.
  class Pass {
   public:
    explicit Pass(ComputeGate& gate);
    ~Pass();
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

   private:
    ComputeGate& gate_;
  };

  std::size_t slots() const { return slots_; }
  // Threads waiting for a slot now.
  std::size_t waiting();

 private:
  struct Waiter {
    std::condition_variable wake;
    bool admitted = false;
  };
  void enter();
  void leave();

  const std::size_t slots_;
  std::mutex mutex_;
  std::size_t free_;
  std::deque<Waiter*> waiting_;  // oldest first
};

}  // namespace sirtkit::server
