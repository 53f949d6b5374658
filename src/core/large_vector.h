#pragma once
// std::vector for the large work arrays of the n = 1e6..1e7 paths (the
// survival engine), whose resize() default-initialises: an array about to be
// overwritten is not zero-filled first (assign(n, v) and push_back still set
// values). Filling a new 80 MB array took 52 ms with std::vector and 37 ms
// with this on the 2-core development VM.
//
// Advising the arrays as transparent huge pages (madvise MADV_HUGEPAGE) was
// tried and made a 1e6-row Cox fit slower there (0.53-0.59 s against
// 0.48-0.51 s): fresh huge pages of the VM are slow to fault in.

#include <type_traits>
#include <utility>
#include <vector>

namespace sirtkit {

template <class T>
struct DefaultInitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  using std::allocator<T>::allocator;

  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

template <class T>
using LargeVector = std::vector<T, DefaultInitAllocator<T>>;

}  // namespace sirtkit
