#include "stats/concordance/rank_counts.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace sirtkit::stats {
namespace {

// Against plain counting: random adds and removals over rank counts that
// are not a multiple of the block, below() and at() at every rank, after
// assign() too.
template <class Count>
void check_against_plain_counts(std::size_t ranks, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, ranks - 1);
  RankCounts<Count> tree(ranks);
  std::vector<Count> plain(ranks, 0);
  auto check = [&] {
    std::int64_t below = 0;
    for (std::size_t r = 0; r < ranks; ++r) {
      ASSERT_EQ(tree.below(r), below) << "rank " << r << " of " << ranks;
      ASSERT_EQ(tree.at(r), plain[r]) << "rank " << r;
      below += plain[r];
    }
  };
  for (int op = 0; op < 3000; ++op) {
    const std::size_t r = pick(rng);
    const Count v = plain[r] > 0 && rng() % 3 == 0 ? -1 : 1;
    tree.add(r, v);
    plain[r] += v;
  }
  check();
  std::vector<Count> counts(ranks);
  for (auto& c : counts) c = static_cast<Count>(rng() % 4);
  tree.assign(counts);
  plain = counts;
  check();
  for (int op = 0; op < 500; ++op) {
    const std::size_t r = pick(rng);
    tree.add(r, 2);
    plain[r] += 2;
  }
  check();
}

TEST(SetBits, CountsTheBitsOfAWordOneByOne) {
  std::mt19937_64 rng(11);
  std::vector<std::uint64_t> words{0, ~std::uint64_t{0}, 1, std::uint64_t{1} << 63, 0x5555555555555555u, 0xF0F0F0F0F0F0F0F0u};
  for (int k = 0; k < 1000; ++k) words.push_back(rng() & rng());  // sparse and dense words
  for (std::uint64_t w : words) {
    int bits = 0;
    for (int b = 0; b < 64; ++b) bits += static_cast<int>((w >> b) & 1);
    ASSERT_EQ(set_bits(w), bits) << std::hex << w;
  }
}

TEST(RankCounts, CountsBelowAndAtEachRankAsPlainCountingDoes) {
  for (std::size_t ranks : {1u, 2u, 63u, 64u, 65u, 127u, 1000u, 4097u}) {
    check_against_plain_counts<std::int32_t>(ranks, ranks);
    check_against_plain_counts<std::int64_t>(ranks, ranks + 1);
  }
}

// The bit form for distinct scores: each rank holds 0 or 1 row. Random
// insertions and removals, below() and at() at every rank, after assign()
// too; rank counts around the 64-bit word, the 1,024-rank block, the
// 32,768-rank group and the 1,048,576-rank super-group.
TEST(DistinctRankCounts, CountsBelowAndAtEachRankAsPlainCountingDoes) {
  for (std::size_t ranks : {1u, 2u, 63u, 64u, 65u, 1000u, 1023u, 1024u, 1025u, 4097u, 32767u, 32768u, 32769u, 100000u,
                            1048577u, 2200000u}) {
    std::mt19937_64 rng(ranks);
    std::uniform_int_distribution<std::size_t> pick(0, ranks - 1);
    DistinctRankCounts bits(ranks);
    std::vector<std::int32_t> plain(ranks, 0);
    auto check = [&] {
      std::int64_t below = 0;
      for (std::size_t r = 0; r < ranks; ++r) {
        ASSERT_EQ(bits.below(r), below) << "rank " << r << " of " << ranks;
        ASSERT_EQ(bits.at(r), plain[r]) << "rank " << r;
        below += plain[r];
      }
    };
    for (int op = 0; op < 3000; ++op) {
      const std::size_t r = pick(rng);
      const std::int32_t v = plain[r] ? -1 : 1;
      bits.add(r, v);
      plain[r] += v;
    }
    check();
    for (auto& c : plain) c = static_cast<std::int32_t>(rng() % 2);
    bits.assign(plain);
    check();
    for (std::size_t r = 0; r < ranks; r += 3)
      if (!plain[r]) {
        bits.add(r, 1);
        plain[r] = 1;
      }
    check();
  }
}

}  // namespace
}  // namespace sirtkit::stats
