#include "server/compute_gate.h"

#include "core/error.h"

namespace sirtkit::server {

ComputeGate::ComputeGate(std::size_t slots) : slots_(slots), free_(slots) {
  if (slots == 0) throw Error(ErrorCategory::internal, "ComputeGate: no slot");
}

void ComputeGate::enter() {
  std::unique_lock lock(mutex_);
  if (free_ > 0 && waiting_.empty()) {
    --free_;
    return;
  }
  Waiter me;
  waiting_.push_back(&me);
  me.wake.wait(lock, [&] { return me.admitted; });
}

void ComputeGate::leave() {
  std::lock_guard lock(mutex_);
  if (waiting_.empty()) {
    ++free_;
    return;
  }
  // The slot passes straight to the oldest waiter: no thread arriving now takes it first.
  Waiter* next = waiting_.front();
  waiting_.pop_front();
  next->admitted = true;
  next->wake.notify_one();
}

std::size_t ComputeGate::waiting() {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

ComputeGate::Pass::Pass(ComputeGate& gate) : gate_(gate) { gate_.enter(); }
ComputeGate::Pass::~Pass() { gate_.leave(); }

}  // namespace sirtkit::server
