#pragma once
// Counts of rows by the rank of their score: "how many below rank r" and the
// count at each rank (ties in the score, tied.x). The one structure behind
// every concordance count (stats/concordance/concordance.cpp, concordance_counting.cpp,
// concordance_variance.cpp).
// Count: std::int32_t where memory matters (millions of rows), std::int64_t else.
//
// Two levels, for the cache: the count at each rank, and a Fenwick (binary
// indexed) tree over blocks of 64 ranks. below(r) adds the blocks before r's
// (O(log(m / 64)) steps in a tree of m / 64 entries, which stays in cache) and
// the counts of r's block below r (one contiguous run of at most 63). A
// Fenwick tree over the ranks themselves (the form before) walked about 20
// entries scattered over megabytes for each call at a million distinct scores.
// Integer counts: the same answers either way.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sirtkit::stats {

template <class Count>
class RankCounts {
 public:
  static constexpr std::size_t kBlock = 64;
  explicit RankCounts(std::size_t ranks) : at_rank_(ranks, 0), tree_((ranks + kBlock - 1) / kBlock + 1, 0) {}
  void add(std::size_t r, Count v) {
    at_rank_[r] += v;
    for (std::size_t i = r / kBlock + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += v;
  }
  // Rows with rank < r.
  std::int64_t below(std::size_t r) const {
    const std::size_t block = r / kBlock;
    std::int64_t s = 0;
    for (std::size_t i = block; i > 0; i -= i & (~i + 1)) s += tree_[i];
    const Count* c = at_rank_.data();
    for (std::size_t k = block * kBlock; k < r; ++k) s += c[k];
    return s;
  }
  std::int64_t at(std::size_t r) const { return at_rank_[r]; }
  // Sets the counts to the given per-rank counts in O(ranks).
  void assign(const std::vector<Count>& counts) {
    std::copy(counts.begin(), counts.end(), at_rank_.begin());
    std::fill(tree_.begin(), tree_.end(), 0);
    for (std::size_t r = 0; r < counts.size(); ++r) tree_[r / kBlock + 1] += counts[r];
    for (std::size_t i = 1; i < tree_.size(); ++i) {
      const std::size_t parent = i + (i & (~i + 1));
      if (parent < tree_.size()) tree_[parent] += tree_[i];
    }
  }

 private:
  std::vector<Count> at_rank_;
  std::vector<Count> tree_;  // Fenwick tree over the blocks' totals (1-based)
};

// The number of bits set in v, by SWAR sums (Warren, Hacker's Delight, 2nd
// ed., fig. 5-2). std::popcount compiles to a call to libgcc's __popcountdi2
// for baseline x86-64, which has no popcnt instruction; this stays inline.
constexpr int set_bits(std::uint64_t v) {
  v = v - ((v >> 1) & 0x5555555555555555u);
  v = (v & 0x3333333333333333u) + ((v >> 2) & 0x3333333333333333u);
  v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0Fu;
  return static_cast<int>((v * 0x0101010101010101u) >> 56);
}

// The same interface when every rank holds at most one row (all scores
// distinct, the usual case for a linear predictor of continuous covariates):
// one bit per rank, and counts of the bits set before each word, block and
// group at four levels: per 64-bit word, in the earlier words of its block of
// kBlockWords words; per block, in the earlier blocks of its group of
// kGroupBlocks blocks; per group, in the earlier groups of its super-group of
// kSuperGroups groups; per super-group, in all earlier ones. below(r) is four
// reads and one bit count; add(r, v) adds v to the later entries of r's
// block, group and super-group and to the later super-groups: loops of fixed
// length without a branch, which the compiler packs into vector instructions.
// A million ranks take 125 KB of bits and 33 KB of counts, which stay in
// cache (the counts per rank of RankCounts take 4 MB). The form before, a
// Fenwick tree over 512-rank blocks and a loop over the words of a block,
// ended each walk and loop with a mispredicted branch: counting the pairs of
// 1e6 rows took 30 ms, this 21.5 ms (2-core development VM, one thread).
// add(r, v) takes v = +1 on a clear bit or -1 on a set one only.
class DistinctRankCounts {
 public:
  static constexpr std::size_t kBlockWords = 16;   // 1,024 ranks a block
  static constexpr std::size_t kGroupBlocks = 32;  // 32,768 ranks a group
  static constexpr std::size_t kSuperGroups = 32;  // 1,048,576 ranks a super-group
  static constexpr std::size_t kBlock = 64 * kBlockWords;
  static constexpr std::size_t kGroup = kBlock * kGroupBlocks;
  static constexpr std::size_t kSuper = kGroup * kSuperGroups;
  explicit DistinctRankCounts(std::size_t ranks)
      : bits_(levels(ranks, kBlock) * kBlockWords, 0),
        in_block_(bits_.size(), 0),
        in_group_(levels(ranks, kGroup) * kGroupBlocks, 0),
        in_super_(levels(ranks, kSuper) * kSuperGroups, 0),
        before_super_(levels(ranks, kSuper), 0) {}
  void add(std::size_t r, std::int32_t v) {
    const std::size_t word = r / 64, block = r / kBlock, group = r / kGroup, super = r / kSuper;
    bits_[word] ^= std::uint64_t{1} << (r % 64);
    const auto v16 = static_cast<std::int16_t>(v);
    add_after(&in_block_[block * kBlockWords], word % kBlockWords, kBlockWords, v16);
    add_after(&in_group_[group * kGroupBlocks], block % kGroupBlocks, kGroupBlocks, v16);
    add_after(&in_super_[super * kSuperGroups], group % kSuperGroups, kSuperGroups, v);
    add_after(before_super_.data(), super, before_super_.size(), v);
  }
  std::int64_t below(std::size_t r) const {
    const std::size_t word = r / 64;
    return std::int64_t{before_super_[r / kSuper]} + in_super_[r / kGroup] + in_group_[r / kBlock] + in_block_[word] +
           set_bits(bits_[word] & ((std::uint64_t{1} << (r % 64)) - 1));
  }
  std::int64_t at(std::size_t r) const { return static_cast<std::int64_t>((bits_[r / 64] >> (r % 64)) & 1); }
  // Sets the counts (each 0 or 1) to the given per-rank counts in O(ranks).
  void assign(const std::vector<std::int32_t>& counts) {
    std::fill(bits_.begin(), bits_.end(), 0);
    for (std::size_t r = 0; r < counts.size(); ++r)
      if (counts[r]) bits_[r / 64] |= std::uint64_t{1} << (r % 64);
    std::int32_t total = 0;  // bits set in the earlier words
    for (std::size_t w = 0; w < bits_.size(); ++w) {
      const std::size_t b = w / kBlockWords, g = b / kGroupBlocks, s = g / kSuperGroups;
      if (w % (kSuper / 64) == 0) before_super_[s] = total;
      if (w % (kGroup / 64) == 0) in_super_[g] = total - before_super_[s];
      if (w % kBlockWords == 0) in_group_[b] = static_cast<std::int16_t>(total - before_super_[s] - in_super_[g]);
      in_block_[w] = static_cast<std::int16_t>(total - before_super_[s] - in_super_[g] - in_group_[b]);
      total += set_bits(bits_[w]);
    }
  }

 private:
  // Blocks, groups or super-groups (of `size` ranks) that hold the ranks, at least one.
  static std::size_t levels(std::size_t ranks, std::size_t size) { return std::max<std::size_t>(1, (ranks + size - 1) / size); }
  // counts[k] += v for every k in (at, size): v masked by the sign of at - k
  // (all ones when k > at) instead of a comparison, which the compiler turned
  // into a loop from at + 1 (a branch per call); this way the loop has a
  // fixed length and becomes a few packed additions. size < 2^15 for 16-bit
  // counts (each level's size above; 4,096 super-groups of 2^20 ranks cover
  // every 32-bit rank).
  template <class Count>
  static void add_after(Count* __restrict counts, std::size_t at, std::size_t size, Count v) {
    const auto a = static_cast<Count>(at);
    for (std::size_t k = 0; k < size; ++k) {
      const auto later = static_cast<Count>(static_cast<Count>(a - static_cast<Count>(k)) >> (8 * sizeof(Count) - 1));
      counts[k] = static_cast<Count>(counts[k] + (v & later));
    }
  }
  std::vector<std::uint64_t> bits_;
  std::vector<std::int16_t> in_block_;      // per word: bits set in the earlier words of its block (< 1,024)
  std::vector<std::int16_t> in_group_;      // per block: bits set in the earlier blocks of its group (< 32,768)
  std::vector<std::int32_t> in_super_;      // per group: bits set in the earlier groups of its super-group
  std::vector<std::int32_t> before_super_;  // per super-group: bits set in all earlier ones
};

}  // namespace sirtkit::stats
