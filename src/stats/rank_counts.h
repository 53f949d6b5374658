#pragma once
// Counts of rows by the rank of their score: "how many below rank r" and the
// count at each rank (ties in the score, tied.x). The one structure behind
// every concordance count (stats/concordance.cpp, concordance_counting.cpp,
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

}  // namespace sirtkit::stats
