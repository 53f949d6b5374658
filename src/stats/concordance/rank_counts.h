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
// one bit per rank, and a Fenwick tree over blocks of 512 ranks (one cache
// line of bits). A million ranks take 125 KB of bits and an 8 KB tree, which
// stay in cache, where the counts per rank of RankCounts take 4 MB; below(r)
// adds the blocks before r's and the bits of r's block below r (set_bits).
// add(r, v) takes v = +1 on a clear bit or -1 on a set one only.
class DistinctRankCounts {
 public:
  static constexpr std::size_t kBlockWords = 8;
  static constexpr std::size_t kBlock = 64 * kBlockWords;
  explicit DistinctRankCounts(std::size_t ranks)
      : bits_((ranks + kBlock - 1) / kBlock * kBlockWords, 0), tree_((ranks + kBlock - 1) / kBlock + 1, 0) {}
  void add(std::size_t r, std::int32_t v) {
    bits_[r / 64] ^= std::uint64_t{1} << (r % 64);
    for (std::size_t i = r / kBlock + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += v;
  }
  std::int64_t below(std::size_t r) const {
    const std::size_t block = r / kBlock;
    std::int64_t s = 0;
    for (std::size_t i = block; i > 0; i -= i & (~i + 1)) s += tree_[i];
    const std::uint64_t* w = &bits_[block * kBlockWords];
    for (std::size_t k = 0; k < (r % kBlock) / 64; ++k) s += set_bits(w[k]);
    const std::size_t bit = r % 64;
    if (bit) s += set_bits(bits_[r / 64] & ((std::uint64_t{1} << bit) - 1));
    return s;
  }
  std::int64_t at(std::size_t r) const { return static_cast<std::int64_t>((bits_[r / 64] >> (r % 64)) & 1); }
  // Sets the counts (each 0 or 1) to the given per-rank counts in O(ranks).
  void assign(const std::vector<std::int32_t>& counts) {
    std::fill(bits_.begin(), bits_.end(), 0);
    std::fill(tree_.begin(), tree_.end(), 0);
    for (std::size_t r = 0; r < counts.size(); ++r)
      if (counts[r]) {
        bits_[r / 64] |= std::uint64_t{1} << (r % 64);
        tree_[r / kBlock + 1] += 1;
      }
    for (std::size_t i = 1; i < tree_.size(); ++i) {
      const std::size_t parent = i + (i & (~i + 1));
      if (parent < tree_.size()) tree_[parent] += tree_[i];
    }
  }

 private:
  std::vector<std::uint64_t> bits_;
  std::vector<std::int32_t> tree_;  // Fenwick tree over the blocks' totals (1-based)
};

}  // namespace sirtkit::stats
