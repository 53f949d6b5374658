#include "server/store_pool.h"

#include "core/error.h"

namespace sirtkit::server {

StorePool::StorePool(const std::string& location, std::size_t size) : location_(location) {
  if (size == 0) throw Error(ErrorCategory::internal, "StorePool of size 0");
  for (std::size_t i = 0; i < size; ++i) stores_.push_back(registry::open_store(location, false));
}

StorePool::Lease StorePool::acquire() {
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  free_.wait(lock, [&] { return ticket == serving_ && !stores_.empty(); });
  ++serving_;
  auto s = std::move(stores_.back());
  stores_.pop_back();
  const bool more = !stores_.empty();
  lock.unlock();
  if (more) free_.notify_all();  // the next ticket may take another free connection
  return Lease(*this, std::move(s));
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
  {
    std::lock_guard lock(mutex_);
    stores_.push_back(std::move(store));
  }
  free_.notify_all();  // only the waiter whose turn it is proceeds
}

StorePool::Lease::~Lease() {
  if (store_) pool_->release(std::move(store_));
}

}  // namespace sirtkit::server
