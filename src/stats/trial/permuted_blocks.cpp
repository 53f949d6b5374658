#include "stats/trial/permuted_blocks.h"

#include <numeric>
#include <utility>

#include "core/error.h"

namespace sirtkit::stats {

std::vector<int> permuted_block(RandomStream& stream, const std::vector<int>& ratio, const std::vector<int>& block_sizes) {
  const int per_cycle = std::accumulate(ratio.begin(), ratio.end(), 0);
  if (block_sizes.empty() || per_cycle < 1) throw Error(ErrorCategory::internal, "permuted_block: no block size or ratio");
  const int size = block_sizes[stream.below(block_sizes.size())];
  if (size < 1 || size % per_cycle != 0) throw Error(ErrorCategory::internal, "permuted_block: size not a multiple of the ratio");
  std::vector<int> block;
  block.reserve(static_cast<std::size_t>(size));
  for (std::size_t k = 0; k < ratio.size(); ++k) block.insert(block.end(), static_cast<std::size_t>(size / per_cycle * ratio[k]), static_cast<int>(k));
  for (std::size_t i = block.size() - 1; i >= 1; --i) std::swap(block[i], block[stream.below(i + 1)]);
  return block;
}

}  // namespace sirtkit::stats
