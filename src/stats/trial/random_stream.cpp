#include "stats/trial/random_stream.h"

#include <sodium.h>

#include "core/error.h"

namespace sirtkit::stats {
namespace {

void init_sodium() {
  static const int rc = sodium_init();  // 0 first time, 1 already done, -1 failure
  if (rc < 0) throw Error(ErrorCategory::internal, "libsodium could not be initialised");
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

RandomSeed parse_random_seed(std::string_view hex, const std::string& where) {
  RandomSeed seed{};
  if (hex.size() != 2 * seed.size())
    fail_input(where, "seed", "(" + std::to_string(hex.size()) + " characters, not shown)", "64 hexadecimal digits (256 bits)");
  for (std::size_t i = 0; i < seed.size(); ++i) {
    const int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) fail_input(where, "seed", "(not shown)", "64 hexadecimal digits (0-9, a-f)");
    seed[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return seed;
}

std::string random_seed_hex(const RandomSeed& seed) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::uint8_t b : seed) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

RandomSeed fresh_random_seed() {
  init_sodium();
  RandomSeed seed;
  randombytes_buf(seed.data(), seed.size());
  return seed;
}

std::string random_seed_sha256_hex(const RandomSeed& seed) {
  init_sodium();
  RandomSeed digest;
  static_assert(crypto_hash_sha256_BYTES == 32);
  crypto_hash_sha256(digest.data(), seed.data(), seed.size());
  return random_seed_hex(digest);
}

RandomStream::RandomStream(const RandomSeed& seed, std::string_view label) {
  init_sodium();
  static_assert(crypto_generichash_KEYBYTES_MIN <= 32 && crypto_generichash_KEYBYTES_MAX >= 32);
  static_assert(crypto_stream_chacha20_KEYBYTES == 32);
  crypto_generichash(key_.data(), key_.size(), reinterpret_cast<const unsigned char*>(label.data()), label.size(), seed.data(),
                     seed.size());
}

RandomStream RandomStream::from_chacha20_key(const RandomSeed& key) {
  init_sodium();
  RandomStream s;
  s.key_ = key;
  return s;
}

void RandomStream::refill() {
  static_assert(crypto_stream_chacha20_NONCEBYTES == 8);
  const std::array<unsigned char, crypto_stream_chacha20_NONCEBYTES> nonce{};
  buffer_.fill(0);
  // Keystream = ChaCha20(key, nonce 0) XOR zeros, starting at block `next_block_` (64 bytes each).
  crypto_stream_chacha20_xor_ic(buffer_.data(), buffer_.data(), buffer_.size(), nonce.data(), next_block_, key_.data());
  next_block_ += buffer_.size() / 64;
  used_ = 0;
}

std::uint64_t RandomStream::next_u64() {
  if (used_ + 8 > buffer_.size()) refill();
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | buffer_[used_ + static_cast<std::size_t>(i)];
  used_ += 8;
  return v;
}

std::uint64_t RandomStream::below(std::uint64_t n) {
  if (n == 0) throw Error(ErrorCategory::internal, "RandomStream::below(0)");
  // Accept words below the largest multiple of n that fits in 2^64.
  const std::uint64_t reject_from = n * (UINT64_MAX / n);  // words >= this are redrawn
  for (;;) {
    const std::uint64_t v = next_u64();
    if (v < reject_from) return v % n;
  }
}

double RandomStream::unit() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

}  // namespace sirtkit::stats
