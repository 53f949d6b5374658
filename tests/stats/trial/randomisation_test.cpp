// Randomisation over 10,000 simulated patients (issue 15, "how it will be checked"):
// balance within strata for permuted blocks, the allocation ratio within a binomial
// interval, minimisation's marginal balance against simple randomisation, the preferred
// arm's frequency under minimisation with p < 1, replay from the seed, different seeds.
// Every run is deterministic (fixed seeds): a failure is a property that does not hold,
// never chance. The intervals are 99.9 % Clopper-Pearson (stats/comparison/proportion_ci.h).

#include "stats/trial/randomisation.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <numeric>
#include <map>

#include "../expect_bad_input.h"
#include "stats/comparison/proportion_ci.h"

namespace sirtkit::stats {
namespace {

constexpr int n_patients = 10000;

RandomSeed seed_of(std::uint8_t b) {
  RandomSeed s;
  s.fill(b);
  return s;
}

// Three sites (50/30/20 %), sex (60/40 %), BCLC A/B/C (30/40/30 %).
std::vector<RandomisationFactor> trial_factors() {
  return {{"site", {"R01", "R02", "R03"}, 1}, {"sex", {"M", "F"}, 1}, {"bclc", {"A", "B", "C"}, 1}};
}

std::vector<std::vector<int>> simulated_patients(int n, std::uint8_t seed_byte = 99) {
  RandomStream g(seed_of(seed_byte), "test patients");
  auto pick = [&](std::initializer_list<int> percent) {
    int u = static_cast<int>(g.below(100)), level = 0;
    for (int p : percent) {
      if (u < p) return level;
      u -= p;
      ++level;
    }
    return level - 1;
  };
  std::vector<std::vector<int>> out;
  for (int i = 0; i < n; ++i) out.push_back({pick({50, 30, 20}), pick({60, 40}), pick({30, 40, 30})});
  return out;
}

RandomisationScheme scheme(RandomisationMethod m, std::vector<int> ratio = {1, 1}, std::vector<int> block_sizes = {4, 6}) {
  RandomisationScheme s;
  s.arms = ratio.size() == 2 ? std::vector<std::string>{"A", "B"} : std::vector<std::string>{"A", "B", "C"};
  s.ratio = std::move(ratio);
  s.method = m;
  s.factors = trial_factors();
  s.block_sizes = std::move(block_sizes);
  s.seed = seed_of(7);
  validate_scheme(s, "test");
  return s;
}

bool interval_holds(int x, int n, double p) {
  const auto ci = clopper_pearson_interval(x, n, 0.999);
  return ci.lower <= p && p <= ci.upper;
}

TEST(Randomisation, BlocksKeepEveryStratumWithinHalfTheLargestBlock) {
  const RandomisationScheme s = scheme(RandomisationMethod::permuted_blocks);
  RandomisationState st = start_randomisation(s);
  std::map<std::string, long long> diff;  // n_A − n_B per stratum
  std::map<int, int> block_sizes;
  long long largest = 0;
  int balanced_at_block_end = 0, block_ends = 0;
  for (const auto& levels : simulated_patients(n_patients)) {
    const Allocation a = allocate(s, st, levels);
    long long& d = diff[a.stratum];
    d += a.arm == 0 ? 1 : -1;
    // At every step: |n_A − n_B| <= half the largest block size (6 / 2).
    ASSERT_LE(std::llabs(d), 3) << "stratum " << a.stratum << " allocation " << a.number;
    largest = std::max(largest, std::llabs(d));
    if (a.position == a.block_size) {
      ++block_ends;
      balanced_at_block_end += d == 0;
      ++block_sizes[a.block_size];
    }
  }
  EXPECT_EQ(diff.size(), 18u);  // 3 sites × 2 sexes × 3 BCLC stages
  EXPECT_EQ(balanced_at_block_end, block_ends);
  EXPECT_EQ(largest, 3);  // a block of 6 opening with three of one arm does occur
  // Block sizes drawn uniformly from {4, 6}.
  ASSERT_EQ(block_sizes.size(), 2u);
  EXPECT_TRUE(interval_holds(block_sizes[4], block_ends, 0.5)) << block_sizes[4] << " of " << block_ends;
}

TEST(Randomisation, BlocksWithRatioTwoToOne) {
  const RandomisationScheme s = scheme(RandomisationMethod::permuted_blocks, {2, 1}, {3, 6});
  RandomisationState st = start_randomisation(s);
  std::map<std::string, std::pair<long long, long long>> n;
  for (const auto& levels : simulated_patients(n_patients)) {
    const Allocation a = allocate(s, st, levels);
    auto& [na, nb] = n[a.stratum];
    (a.arm == 0 ? na : nb) += 1;
    // Within a block of b places (2b/3 A, b/3 B): |n_A − 2 n_B| <= 2b/3 <= 4.
    ASSERT_LE(std::llabs(na - 2 * nb), 4);
    if (a.position == a.block_size) ASSERT_EQ(na, 2 * nb) << "block end in " << a.stratum;
  }
}

TEST(Randomisation, SimpleRandomisationFollowsTheRatio) {
  for (const std::vector<int>& ratio : {std::vector<int>{1, 1}, std::vector<int>{2, 1}, std::vector<int>{2, 2, 1}}) {
    const RandomisationScheme s = scheme(RandomisationMethod::simple, ratio);
    const auto allocs = replay_allocations(s, simulated_patients(n_patients));
    std::vector<int> per_arm(ratio.size(), 0);
    for (const Allocation& a : allocs) ++per_arm[static_cast<std::size_t>(a.arm)];
    const double total = std::accumulate(ratio.begin(), ratio.end(), 0.0);
    for (std::size_t k = 0; k < ratio.size(); ++k)
      EXPECT_TRUE(interval_holds(per_arm[k], n_patients, ratio[k] / total)) << "arm " << k << ": " << per_arm[k];
  }
}

// Σ over every factor level of |n_A − n_B| after all patients, and the largest value
// any level reached along the way.
std::pair<long long, long long> marginal_imbalance(const RandomisationScheme& s, const std::vector<std::vector<int>>& patients) {
  RandomisationState st = start_randomisation(s);
  long long worst = 0;
  for (const auto& levels : patients) {
    allocate(s, st, levels);
    for (std::size_t i = 0; i < levels.size(); ++i) {
      const auto& c = st.counts[i][static_cast<std::size_t>(levels[i])];
      worst = std::max(worst, std::llabs(c[0] - c[1]));
    }
  }
  long long sum = 0;
  for (const auto& factor : st.counts)
    for (const auto& level : factor) sum += std::llabs(level[0] - level[1]);
  return {sum, worst};
}

TEST(Randomisation, MinimisationBalancesMarginsBetterThanSimple) {
  const auto patients = simulated_patients(n_patients);
  for (ImbalanceMeasure m : {ImbalanceMeasure::range, ImbalanceMeasure::variance, ImbalanceMeasure::sd}) {
    RandomisationScheme mini = scheme(RandomisationMethod::minimisation);
    mini.imbalance = m;
    const auto [mini_sum, mini_worst] = marginal_imbalance(mini, patients);
    const auto [simple_sum, simple_worst] = marginal_imbalance(scheme(RandomisationMethod::simple), patients);
    SCOPED_TRACE(imbalance_measure_name(m));
    // Simple randomisation's margins drift like a random walk (|n_A − n_B| of order
    // sqrt(n) = 30-70 for 1,000-6,000 patients per level); minimisation holds them near 0.
    EXPECT_LT(mini_sum * 5, simple_sum) << mini_sum << " vs " << simple_sum;
    EXPECT_LT(mini_worst * 3, simple_worst) << mini_worst << " vs " << simple_worst;
  }
}

TEST(Randomisation, MinimisationChoosesThePreferredArmWithProbabilityP) {
  for (double p : {0.8, 0.65}) {
    RandomisationScheme s = scheme(RandomisationMethod::minimisation);
    s.p_preferred = p;
    const auto allocs = replay_allocations(s, simulated_patients(n_patients));
    int decided = 0, preferred = 0, ties = 0, ties_a = 0;
    for (const Allocation& a : allocs) {
      if (a.scores.empty()) continue;  // the first patient, drawn with the ratio
      if (a.scores[0] == a.scores[1]) {
        ++ties;
        ties_a += a.arm == 0;
        continue;
      }
      const int best = a.scores[0] < a.scores[1] ? 0 : 1;
      ++decided;
      preferred += a.arm == best;
      EXPECT_DOUBLE_EQ(a.probabilities[static_cast<std::size_t>(best)], p);
    }
    SCOPED_TRACE(p);
    EXPECT_GT(decided, 1000);
    EXPECT_GT(ties, 1000);
    EXPECT_TRUE(interval_holds(preferred, decided, p)) << preferred << " of " << decided;
    EXPECT_TRUE(interval_holds(ties_a, ties, 0.5)) << ties_a << " of " << ties;
  }
}

TEST(Randomisation, MinimisationWithPOneIsDeterministic) {
  // Taves' minimisation (p = 1): the arm with the smaller G, always.
  RandomisationScheme s = scheme(RandomisationMethod::minimisation);
  s.p_preferred = 1;
  for (const Allocation& a : replay_allocations(s, simulated_patients(2000)))
    if (!a.scores.empty() && a.scores[0] != a.scores[1]) EXPECT_EQ(a.arm, a.scores[0] < a.scores[1] ? 0 : 1);
}

TEST(Randomisation, MinimisationWithUnequalRatio) {
  // Counts divided by the ratio (Minirand): margins track 2:1 and so does the total.
  const RandomisationScheme s = scheme(RandomisationMethod::minimisation, {2, 1});
  const auto patients = simulated_patients(n_patients);
  RandomisationState st = start_randomisation(s);
  for (const auto& levels : patients) allocate(s, st, levels);
  EXPECT_TRUE(interval_holds(static_cast<int>(st.arm_totals[0]), n_patients, 2.0 / 3)) << st.arm_totals[0];
  for (const auto& factor : st.counts)
    for (const auto& level : factor) EXPECT_LE(std::llabs(level[0] - 2 * level[1]), 12);
}

TEST(Randomisation, ReplayFromTheSeedIsIdenticalAndSeedsDiffer) {
  const auto patients = simulated_patients(n_patients);
  for (RandomisationMethod m : {RandomisationMethod::simple, RandomisationMethod::permuted_blocks, RandomisationMethod::minimisation}) {
    SCOPED_TRACE(randomisation_method_name(m));
    const RandomisationScheme s = scheme(m);
    RandomisationState st = start_randomisation(s);
    std::vector<int> live;
    for (const auto& levels : patients) live.push_back(allocate(s, st, levels).arm);
    const auto replayed = replay_allocations(s, patients);
    int different = 0;
    RandomisationScheme other = s;
    other.seed = seed_of(8);
    const auto other_allocs = replay_allocations(other, patients);
    for (int i = 0; i < n_patients; ++i) {
      ASSERT_EQ(replayed[static_cast<std::size_t>(i)].arm, live[static_cast<std::size_t>(i)]);
      different += other_allocs[static_cast<std::size_t>(i)].arm != live[static_cast<std::size_t>(i)];
    }
    // Two independent sequences disagree about half the time (0.8·0.2·2 = 0.32 at least
    // under minimisation when the preferred arm is shared).
    EXPECT_GT(different, n_patients / 4);
  }
}

TEST(Randomisation, OneStratumListDoesNotDependOnTheOthers) {
  // The list of a stratum comes from its own labelled stream: interleaving other strata's
  // patients does not change it (an auditor can check one site alone).
  const RandomisationScheme s = scheme(RandomisationMethod::permuted_blocks);
  const auto patients = simulated_patients(3000);
  const std::vector<int> target = {0, 1, 2};
  std::vector<int> interleaved, alone;
  RandomisationState st = start_randomisation(s);
  for (const auto& levels : patients) {
    const Allocation a = allocate(s, st, levels);
    if (levels == target) interleaved.push_back(a.arm);
  }
  RandomisationState st2 = start_randomisation(s);
  for (std::size_t i = 0; i < interleaved.size(); ++i) alone.push_back(allocate(s, st2, target).arm);
  EXPECT_GT(interleaved.size(), 50u);
  EXPECT_EQ(interleaved, alone);
}

TEST(Randomisation, FirstPatientsDrawnWithTheRatio) {
  RandomisationScheme s = scheme(RandomisationMethod::minimisation);
  s.random_first = 20;
  const auto allocs = replay_allocations(s, simulated_patients(30));
  for (int i = 0; i < 30; ++i) EXPECT_EQ(allocs[static_cast<std::size_t>(i)].scores.empty(), i < 20) << i;
}

TEST(Randomisation, LevelsAndStrataByName) {
  const RandomisationScheme s = scheme(RandomisationMethod::permuted_blocks);
  EXPECT_EQ(factor_level_indices(s, {"R02", "F", "C"}, "cmd"), (std::vector<int>{1, 1, 2}));
  EXPECT_EQ(stratum_name(s, {1, 1, 2}), "site=R02;sex=F;bclc=C");
  EXPECT_BAD_INPUT(factor_level_indices(s, {"R02", "X", "C"}, "cmd"), "cmd", "factor sex", "X", "one of M, F");
  EXPECT_BAD_INPUT(factor_level_indices(s, {"R02", "F"}, "cmd"), "2 given", "3 factors");
}

TEST(Randomisation, RefusesInconsistentSchemes) {
  RandomisationScheme s = scheme(RandomisationMethod::permuted_blocks);
  auto with = [&](auto change) {
    RandomisationScheme t = s;
    change(t);
    return t;
  };
  EXPECT_BAD_INPUT(validate_scheme(with([](auto& t) { t.arms = {"A"}; t.ratio = {1}; }), "s.toml"), "s.toml", "arms", "2 to 16");
  EXPECT_BAD_INPUT(validate_scheme(with([](auto& t) { t.arms = {"A", "A"}; }), "s.toml"), "arms", "A", "distinct");
  EXPECT_BAD_INPUT(validate_scheme(with([](auto& t) { t.ratio = {1, 0}; }), "s.toml"), "ratio", "0");
  EXPECT_BAD_INPUT(validate_scheme(with([](auto& t) { t.ratio = {1}; }), "s.toml"), "ratio", "one number per arm");
  EXPECT_BAD_INPUT(validate_scheme(with([](auto& t) { t.block_sizes = {4, 5}; }), "s.toml"), "block_sizes", "5", "multiple");
  EXPECT_BAD_INPUT(validate_scheme(with([](auto& t) { t.ratio = {2, 1}; }), "s.toml"), "block_sizes", "4", "sum 3");
  EXPECT_BAD_INPUT(validate_scheme(with([](auto& t) { t.block_sizes = {}; }), "s.toml"), "block_sizes", "at least one");
  EXPECT_BAD_INPUT(validate_scheme(with([](auto& t) { t.factors[1].levels = {"M", "M"}; }), "s.toml"), "factor sex levels", "M");
  EXPECT_BAD_INPUT(validate_scheme(with([](auto& t) { t.factors[1].name = "site"; }), "s.toml"), "factor", "site", "distinct");
  EXPECT_BAD_INPUT(validate_scheme(with([](auto& t) { t.factors[0].levels = {}; }), "s.toml"), "factor site levels", "(none)");
  RandomisationScheme m = with([](auto& t) { t.method = RandomisationMethod::minimisation; });
  m.p_preferred = 0.4;
  EXPECT_BAD_INPUT(validate_scheme(m, "s.toml"), "p", "0.4", "1/arms = 0.5");
  m.p_preferred = 1.2;
  EXPECT_BAD_INPUT(validate_scheme(m, "s.toml"), "p", "1.2");
  m.p_preferred = 0.8;
  m.factors[2].weight = 0;
  EXPECT_BAD_INPUT(validate_scheme(m, "s.toml"), "factor bclc weight", "0", "> 0");
  m.factors.clear();
  EXPECT_BAD_INPUT(validate_scheme(m, "s.toml"), "factors", "at least one factor");
  EXPECT_BAD_INPUT(parse_randomisation_method("urn", "s.toml"), "method", "urn", "simple, blocks or minimisation");
}

}  // namespace
}  // namespace sirtkit::stats
