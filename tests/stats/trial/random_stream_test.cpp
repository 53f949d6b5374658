// The seeded stream of randomisation against an independent computation of the documented
// construction (Python: hashlib.blake2b(label, digest_size=32, key=seed) for the subkey, then
// the ChaCha20 keystream of cryptography 38 under nonce 0, read as little-endian uint64),
// and against the all-zero-key ChaCha20 block (RFC 7539 §A.1 test vector 1, whose state
// equals the original 64-bit-nonce variant's at counter 0).

#include "stats/trial/random_stream.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "../expect_bad_input.h"

namespace sirtkit::stats {
namespace {

RandomSeed counting_seed() {
  RandomSeed s;
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::uint8_t>(i);
  return s;
}

TEST(RandomStream, ChaCha20ZeroKeyVector) {
  // RFC 7539 A.1 #1 keystream: 76 b8 e0 ad a0 f1 3d 90 40 5d 6a e5 53 86 bd 28 ...
  RandomStream s = RandomStream::from_chacha20_key(RandomSeed{});
  EXPECT_EQ(s.next_u64(), 0x903df1a0ade0b876ULL);
  EXPECT_EQ(s.next_u64(), 0x28bd8653e56a5d40ULL);
}

TEST(RandomStream, LabelledStreamMatchesIndependentComputation) {
  // python3: sub = blake2b(b"sirtkit/randomise/v1/blocks/site=R01;sex=M", digest_size=32, key=bytes(range(32)))
  RandomStream s(counting_seed(), "sirtkit/randomise/v1/blocks/site=R01;sex=M");
  EXPECT_EQ(s.next_u64(), 0x4c42ebcaa4eaee84ULL);
  EXPECT_EQ(s.next_u64(), 0xc9a4d6ea5ef37346ULL);
  EXPECT_EQ(s.next_u64(), 0xc58cb6ceac466895ULL);
  for (int i = 3; i < 64; ++i) s.next_u64();
  // Words 64-66 come from the second refill (ChaCha20 block counter 8 onwards).
  EXPECT_EQ(s.next_u64(), 0xa2dcda1a2379967eULL);
  EXPECT_EQ(s.next_u64(), 0x5e5793b36bfc99d5ULL);
  EXPECT_EQ(s.next_u64(), 0xdc0875d4c87ea5deULL);
}

TEST(RandomStream, SameSeedAndLabelRepeatOthersDiffer) {
  RandomStream a(counting_seed(), "x"), b(counting_seed(), "x"), c(counting_seed(), "y");
  RandomSeed other = counting_seed();
  other[31] ^= 1;
  RandomStream d(other, "x");
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 100; ++i) {
    const auto va = a.next_u64();
    EXPECT_EQ(va, b.next_u64());
    same_c += va == c.next_u64();
    same_d += va == d.next_u64();
  }
  EXPECT_EQ(same_c, 0);
  EXPECT_EQ(same_d, 0);
}

TEST(RandomStream, BelowIsUniform) {
  // 60,000 draws of below(6): Pearson chi-square on 5 df below its 0.999 quantile 20.515.
  RandomStream s(counting_seed(), "uniformity");
  std::array<int, 6> counts{};
  for (int i = 0; i < 60000; ++i) {
    const auto v = s.below(6);
    ASSERT_LT(v, 6u);
    ++counts[v];
  }
  double chi2 = 0;
  for (int c : counts) chi2 += (c - 10000.0) * (c - 10000.0) / 10000.0;
  EXPECT_LT(chi2, 20.515);
  double mean = 0;
  for (int i = 0; i < 20000; ++i) {
    const double u = s.unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    mean += u;
  }
  // Mean of 20,000 U(0,1): SD sqrt(1/12/20000) = 0.00204; 4 SD.
  EXPECT_NEAR(mean / 20000, 0.5, 4 * 0.00204);
}

TEST(RandomStream, SeedHexRoundTripAndRefusals) {
  const RandomSeed s = counting_seed();
  const std::string hex = random_seed_hex(s);
  EXPECT_EQ(hex, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  EXPECT_EQ(parse_random_seed(hex, "scheme.toml"), s);
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(parse_random_seed(upper, "scheme.toml"), s);
  EXPECT_BAD_INPUT(parse_random_seed("1234", "scheme.toml"), "scheme.toml", "seed", "64 hexadecimal digits");
  std::string bad = hex;
  bad[10] = 'g';
  try {
    parse_random_seed(bad, "scheme.toml");
    ADD_FAILURE() << "accepted a non-hex seed";
  } catch (const Error& e) {
    // The concealed seed never appears in a message.
    EXPECT_EQ(std::string(e.what()).find("0001020304"), std::string::npos) << e.what();
  }
  EXPECT_NE(fresh_random_seed(), fresh_random_seed());
  // python3: hashlib.sha256(bytes(range(32))).hexdigest()
  EXPECT_EQ(random_seed_sha256_hex(s), "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
}

}  // namespace
}  // namespace sirtkit::stats
