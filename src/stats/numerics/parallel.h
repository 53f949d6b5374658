#pragma once
// Plain std::thread fan-out for the O(n) passes of the survival engine: one
// thread per part, the caller's thread taking part 0, joined before return.

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace sirtkit::stats {

// Runs fn(part) for part in [0, parts), each on its own thread.
template <class Fn>
void run_parts(std::size_t parts, Fn&& fn) {
  std::vector<std::thread> pool;
  for (std::size_t c = 1; c < parts; ++c) pool.emplace_back([&fn, c] { fn(c); });
  fn(std::size_t{0});
  for (auto& t : pool) t.join();
}

// Runs fn(begin, end) over [0, n) cut into `parts` near-equal ranges.
template <class Fn>
void run_ranges(std::size_t n, std::size_t parts, Fn&& fn) {
  parts = std::max<std::size_t>(1, std::min(parts, n));
  run_parts(parts, [&](std::size_t c) { fn(c * n / parts, (c + 1) * n / parts); });
}

}  // namespace sirtkit::stats
