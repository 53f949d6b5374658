#include "server/store_pool.h"

#include "core/error.h"

namespace sirtkit::server {

StorePool::StorePool(const std::string& location, std::size_t size) : location_(location) {
  if (size == 0) throw Error(ErrorCategory::internal, "StorePool of size 0");
  for (std::size_t i = 0; i < size; ++i) stores_.push_back(registry::open_store(location, false));
}

StorePool::Lease StorePool::acquire() {
  std::unique_lock lock(mutex_);
  if (waiters_.empty() && !stores_.empty()) {
    auto s = std::move(stores_.back());
    stores_.pop_back();
    return Lease(*this, std::move(s));
  }
  Waiter me;
  waiters_.push_back(&me);
  me.ready_cv.wait(lock, [&] { return me.store != nullptr; });
  return Lease(*this, std::move(me.store));
}

void StorePool::release(std::unique_ptr<registry::Store> store) {
  // A connection left inside a transaction (an exception between begin and
  // commit that escaped the Transaction guard) is rolled back before reuse.
  if (store->in_transaction()) {
    try {
      store->rollback();
    } catch (...) {
    }
  }
  std::lock_guard lock(mutex_);
  if (waiters_.empty()) {
    stores_.push_back(std::move(store));
    return;
  }
  // Handed over and woken under the lock: the waiter (and its condition
  // variable, on its stack) cannot leave acquire() before the lock is released.
  Waiter* next = waiters_.front();
  waiters_.pop_front();
  next->store = std::move(store);
  next->ready_cv.notify_one();
}

std::size_t StorePool::waiting() {
  std::lock_guard lock(mutex_);
  return waiters_.size();
}

StorePool::Lease::~Lease() {
  if (store_) pool_->release(std::move(store_));
}

}  // namespace sirtkit::server
