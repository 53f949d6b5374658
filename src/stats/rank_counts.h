#pragma once
// Counts of rows by the rank of their score: a Fenwick (binary indexed) tree
// answering "how many below rank r" in O(log m), plus the count at each rank
// (ties in the score, tied.x). The one tree behind every concordance count
// (stats/concordance.cpp, concordance_counting.cpp, concordance_variance.cpp).
// Count: std::int32_t where memory matters (millions of rows), std::int64_t else.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sirtkit::stats {

template <class Count>
class RankCounts {
 public:
  explicit RankCounts(std::size_t ranks) : tree_(ranks + 1, 0), at_rank_(ranks, 0) {}
  void add(std::size_t r, Count v) {
    at_rank_[r] += v;
    for (std::size_t i = r + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += v;
  }
  // Rows with rank < r.
  std::int64_t below(std::size_t r) const {
    std::int64_t s = 0;
    for (std::size_t i = r; i > 0; i -= i & (~i + 1)) s += tree_[i];
    return s;
  }
  std::int64_t at(std::size_t r) const { return at_rank_[r]; }
  // Sets the tree to the given per-rank counts in O(ranks).
  void assign(const std::vector<Count>& counts) {
    std::copy(counts.begin(), counts.end(), at_rank_.begin());
    std::fill(tree_.begin(), tree_.end(), 0);
    for (std::size_t i = 1; i < tree_.size(); ++i) {
      tree_[i] += counts[i - 1];
      const std::size_t parent = i + (i & (~i + 1));
      if (parent < tree_.size()) tree_[parent] += tree_[i];
    }
  }

 private:
  std::vector<Count> tree_, at_rank_;
};

}  // namespace sirtkit::stats
