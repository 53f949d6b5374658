#pragma once
// The random numbers of randomisation: unpredictable without the seed, and
// reproducible from it so that an auditor can replay every allocation.
//
// Construction (docs/randomisation.md states it for re-implementation):
//   seed      32 bytes (64 hex digits), drawn by libsodium randombytes_buf at scheme creation;
//   subkey    BLAKE2b-256 keyed by the seed over the stream's label
//             (libsodium crypto_generichash, key = seed, message = label);
//   stream    ChaCha20 keystream under the subkey with nonce 0 and block counter 0, 1, 2, ...
//             (libsodium crypto_stream_chacha20, the original 64-bit-nonce variant);
//   integers  consecutive 8-byte little-endian words of the keystream.
// Each label names one independent stream ("sirtkit/randomise/v1/blocks/site=A;sex=M"),
// so the list of one stratum does not depend on the order patients arrive in the others.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sirtkit::stats {

using RandomSeed = std::array<std::uint8_t, 32>;

// 64 hexadecimal digits (either case); bad input naming `where` otherwise. The value
// is never repeated in the message (it is the concealed seed).
RandomSeed parse_random_seed(std::string_view hex, const std::string& where);
std::string random_seed_hex(const RandomSeed& seed);  // 64 lower-case hex digits
RandomSeed fresh_random_seed();                        // 256 bits from the operating system's CSPRNG
// SHA-256 of the 32 seed bytes, 64 hex digits: published with the scheme as a commitment
// that the seed revealed to an auditor is the one the allocations were drawn from.
std::string random_seed_sha256_hex(const RandomSeed& seed);

class RandomStream {
 public:
  RandomStream(const RandomSeed& seed, std::string_view label);
  // The bare ChaCha20 keystream of `key` (no label derivation): for test vectors.
  static RandomStream from_chacha20_key(const RandomSeed& key);

  std::uint64_t next_u64();
  // Uniform in [0, n) by rejection (no modulo bias); n >= 1.
  std::uint64_t below(std::uint64_t n);
  // Uniform in [0, 1) on the 2^-53 grid (the top 53 bits of one word).
  double unit();

 private:
  RandomStream() = default;
  void refill();

  RandomSeed key_{};
  std::uint64_t next_block_ = 0;  // ChaCha20 block counter of the next refill
  std::array<std::uint8_t, 512> buffer_{};
  std::size_t used_ = 512;  // bytes of buffer_ consumed
};

}  // namespace sirtkit::stats
