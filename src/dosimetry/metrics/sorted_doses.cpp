#include "dosimetry/metrics/sorted_doses.h"

#include <array>
#include <bit>
#include <cstdint>
#include <utility>

namespace sirtkit::dosimetry {
namespace {

// Ascending floats give ascending keys: the sign bit flipped for x >= +0,
// every bit flipped for x <= -0 (so -0 sorts just before +0, equal in value).
std::uint32_t key_of(float x) {
  const auto b = std::bit_cast<std::uint32_t>(x);
  return b ^ ((b >> 31) ? 0xFFFFFFFFu : 0x80000000u);
}

float float_of(std::uint32_t k) { return std::bit_cast<float>(k ^ ((k >> 31) ? 0x80000000u : 0xFFFFFFFFu)); }

constexpr int kDigitBits = 11;
constexpr std::uint32_t kDigits = 1u << kDigitBits;
constexpr int kPasses = 3;  // 11 + 11 + 10 bits

}  // namespace

bool sort_doses_ascending(std::span<const float> doses, std::vector<float>& sorted) {
  const std::size_t n = doses.size();
  sorted.resize(n);
  if (n == 0) return true;
  // Scratch kept per thread: a what-if sorts every VOI, and fresh buffers of
  // this size are mapped and faulted in anew on each allocation.
  thread_local std::vector<std::uint32_t> keys, other;
  keys.resize(n);
  other.resize(n);
  std::array<std::array<std::uint32_t, kDigits>, kPasses> count{};
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(doses[i]);
    if ((bits & 0x7F800000u) == 0x7F800000u) return false;  // exponent all ones: infinite or NaN
    const std::uint32_t k = key_of(doses[i]);
    keys[i] = k;
    for (int p = 0; p < kPasses; ++p) ++count[p][(k >> (p * kDigitBits)) & (kDigits - 1)];
  }
  for (int p = 0; p < kPasses; ++p) {
    const std::uint32_t first = (keys[0] >> (p * kDigitBits)) & (kDigits - 1);
    if (count[p][first] == n) continue;  // every key has this digit: the pass would keep the order
    std::uint32_t at = 0;
    for (std::uint32_t& c : count[p]) at += std::exchange(c, at);  // start of each digit's run
    std::uint32_t* start = count[p].data();
    const std::uint32_t* from = keys.data();
    std::uint32_t* to = other.data();
    const int shift = p * kDigitBits;
    for (std::size_t i = 0; i < n; ++i) to[start[(from[i] >> shift) & (kDigits - 1)]++] = from[i];
    keys.swap(other);
  }
  for (std::size_t i = 0; i < n; ++i) sorted[i] = float_of(keys[i]);
  return true;
}

}  // namespace sirtkit::dosimetry
