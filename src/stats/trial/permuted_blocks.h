#pragma once
// Permuted blocks with random block sizes (Rosenberger WF, Lachin JM. Randomization in
// Clinical Trials, 2nd ed., Wiley 2016, §3.5 and §3.6 "random allocation rule" and
// "variable block sizes"): each block holds the arms in the allocation ratio, its size is
// drawn uniformly from a stated set, and its order is a uniformly random permutation
// (Fisher-Yates, Knuth TAOCP vol. 2 §3.4.2 Algorithm P) of that multiset.

#include <vector>

#include "stats/trial/random_stream.h"

namespace sirtkit::stats {

// One block: arm indices in allocation order. Draws, from `stream`, the index of the block
// size in `block_sizes` (below(size of the set)), then the permutation (for i = size − 1
// down to 1: swap position i with below(i + 1)), from the multiset holding arm k
// size / Σratio × ratio[k] times, in arm order. Every block size must be a positive
// multiple of Σratio (checked by validate_scheme; internal error here).
std::vector<int> permuted_block(RandomStream& stream, const std::vector<int>& ratio, const std::vector<int>& block_sizes);

}  // namespace sirtkit::stats
