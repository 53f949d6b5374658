#pragma once
// Randomisation of a trial: the scheme (arms, allocation ratio, method, factors, seed),
// the state built from the allocations made so far, and the next allocation. Three methods:
//
//  - simple: each patient drawn with the allocation ratio (a comparator; no balance);
//  - permuted blocks (stats/trial/permuted_blocks.h), stratified by every factor of the scheme
//    (site is a factor like any other): one list per stratum, extended a block at a time;
//  - minimisation (stats/trial/minimisation.h, Pocock-Simon as in Minirand) over the scheme's
//    factors with their weights, preferred-arm probability p, and the first
//    `random_first` patients drawn with the ratio.
//
// Every draw comes from a RandomStream of the scheme's seed (stats/trial/random_stream.h) under a
// label naming what it decides, so the allocations are a function of the seed and the
// sequence of patients (their factor levels, in order) and nothing else:
//   simple        "sirtkit/randomise/v1/simple/<n>"       n = 1-based allocation number
//   minimisation  "sirtkit/randomise/v1/minimisation/<n>" one word per allocation
//   blocks        "sirtkit/randomise/v1/blocks/<stratum>" the stratum's list, block after block;
//                 <stratum> = "name=level;name=level" over the factors in scheme order
// An arm drawn with the ratio uses below(Σratio) (exact); a minimisation draw uses unit()
// against the cumulative probabilities in arm order.

#include <map>
#include <string>
#include <vector>

#include "stats/trial/minimisation.h"
#include "stats/trial/random_stream.h"

namespace sirtkit::stats {

enum class RandomisationMethod { simple, permuted_blocks, minimisation };
// "simple", "blocks" (or "permuted_blocks"), "minimisation" (or "minimization"); bad input otherwise.
RandomisationMethod parse_randomisation_method(const std::string& text, const std::string& where);
const char* randomisation_method_name(RandomisationMethod m);  // "simple", "blocks", "minimisation"

struct RandomisationFactor {
  std::string name;                 // e.g. "site", "sex", "bclc"
  std::vector<std::string> levels;  // every level a patient may have, e.g. {"A", "B", "C"}
  double weight = 1;                // minimisation weight w_i (> 0)
};

struct RandomisationScheme {
  std::vector<std::string> arms;  // at least two, distinct
  std::vector<int> ratio;         // allocation ratio, one positive integer per arm (e.g. {2, 1})
  RandomisationMethod method = RandomisationMethod::permuted_blocks;
  std::vector<RandomisationFactor> factors;
  std::vector<int> block_sizes;   // blocks: each a multiple of Σratio, drawn uniformly per block
  ImbalanceMeasure imbalance = ImbalanceMeasure::range;  // minimisation
  double p_preferred = 0.8;       // minimisation: probability of the arm(s) with the smallest G
  int random_first = 1;           // minimisation: the first patients drawn with the ratio
  RandomSeed seed{};
};

// Refuses an inconsistent scheme (bad input naming `where` and the field): fewer than two
// arms, duplicate arms, a ratio that is not one positive integer per arm, blocks without
// sizes or with a size not a multiple of Σratio, a factor without levels or with duplicate
// levels, a weight <= 0, p outside [1/arms, 1], random_first < 0. Sizes are bounded to keep
// the state small: at most 16 arms, block size <= 1000, ratio entries <= 100.
void validate_scheme(const RandomisationScheme& scheme, const std::string& where);

// The level index of each factor for level names given in factor order; bad input naming
// `where`, the factor and the level (levels are codes such as "M", never patient text).
std::vector<int> factor_level_indices(const RandomisationScheme& scheme, const std::vector<std::string>& levels,
                                      const std::string& where);

// The stratum name of a patient: "site=R01;sex=M" (empty without factors).
std::string stratum_name(const RandomisationScheme& scheme, const std::vector<int>& levels);

struct Allocation {
  long long number = 0;              // 1-based position in the sequence
  int arm = 0;                       // index into scheme.arms
  std::vector<double> probabilities; // of each arm at this step, as the method set them
  // blocks
  std::string stratum;
  int block = 0;                     // 1-based block number within the stratum
  int block_size = 0;
  int position = 0;                  // 1-based position within the block
  // minimisation (empty while drawn with the ratio)
  std::vector<double> scores;        // G_k of each arm
};

// Everything the next allocation depends on, rebuilt from the seed and the sequence.
struct RandomisationState {
  long long allocated = 0;
  std::vector<long long> arm_totals;
  // counts[i][level][arm]: allocated patients with that level of factor i on that arm
  std::vector<std::vector<std::vector<long long>>> counts;
  struct StratumList {
    RandomStream stream;
    std::vector<int> block;  // the current block
    std::size_t next = 0;    // position of the next allocation in `block`
    int blocks = 0;          // blocks drawn so far
  };
  std::map<std::string, StratumList> strata;
};

RandomisationState start_randomisation(const RandomisationScheme& scheme);

// Allocates the next patient with factor levels `levels` (indices, one per factor) and
// updates the state. The scheme must have passed validate_scheme.
Allocation allocate(const RandomisationScheme& scheme, RandomisationState& state, const std::vector<int>& levels);

// Allocates a whole sequence from the start (the auditor's replay).
std::vector<Allocation> replay_allocations(const RandomisationScheme& scheme, const std::vector<std::vector<int>>& sequence);

}  // namespace sirtkit::stats
