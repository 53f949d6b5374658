// Concordance pair counts against a brute-force O(n^2) count of the
// definition (concordancefit, survival 3.5-3): random data with tied times,
// tied scores, censorings at death times and strata, through both entry
// points (any row order; rows sorted by stratum and time as cox_fit has them).

#include "stats/concordance/concordance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

namespace sirtkit::stats {
namespace {

struct Data {
  std::vector<double> time, score;
  std::vector<int> status, strata;
};

Data simulated(int n, int strata_count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Data d;
  for (int i = 0; i < n; ++i) {
    d.time.push_back(static_cast<double>(rng() % 40));   // many tied times
    d.score.push_back(static_cast<double>(rng() % 25));  // many tied scores
    d.status.push_back(rng() % 3 != 0 ? 1 : 0);
    d.strata.push_back(static_cast<int>(rng() % static_cast<std::uint64_t>(strata_count)));
  }
  return d;
}

Concordance brute_force(const Data& d) {
  Concordance c;
  const std::size_t n = d.time.size();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j || d.strata[i] != d.strata[j] || !d.status[i]) continue;
      if (d.time[i] == d.time[j] && d.status[j]) {
        if (i < j) ++c.tied_y;
        continue;
      }
      const bool j_longer = d.time[j] > d.time[i] || (d.time[j] == d.time[i] && !d.status[j]);
      if (!j_longer) continue;
      if (d.score[i] > d.score[j]) ++c.concordant;
      else if (d.score[i] < d.score[j]) ++c.discordant;
      else ++c.tied_x;
    }
  return c;
}

void expect_counts(const Concordance& got, const Concordance& want) {
  EXPECT_EQ(got.concordant, want.concordant);
  EXPECT_EQ(got.discordant, want.discordant);
  EXPECT_EQ(got.tied_x, want.tied_x);
  EXPECT_EQ(got.tied_y, want.tied_y);
}

TEST(Concordance, MatchesPairCountWithTiesAndStrata) {
  for (int strata : {1, 4}) {
    const Data d = simulated(1500, strata, 20 + strata);
    const Concordance want = brute_force(d);
    ASSERT_GT(want.tied_x, 0);
    ASSERT_GT(want.tied_y, 0);
    expect_counts(concordance(d.time, d.status, d.score, strata > 1 ? d.strata : std::vector<int>{}), want);
  }
}

// Every score distinct (a linear predictor of continuous covariates): the
// counts are kept as bits (DistinctRankCounts); tied times and strata remain.
TEST(Concordance, DistinctScoresMatchPairCount) {
  for (int strata : {1, 4}) {
    Data d = simulated(1500, strata, 50 + strata);
    for (std::size_t i = 0; i < d.score.size(); ++i) d.score[i] = std::sin(static_cast<double>(i) * 1.7) * 10.0;
    const Concordance want = brute_force(d);
    ASSERT_EQ(want.tied_x, 0);
    ASSERT_GT(want.tied_y, 0);
    expect_counts(concordance(d.time, d.status, d.score, strata > 1 ? d.strata : std::vector<int>{}), want);
  }
}

TEST(Concordance, SortedRowsGiveTheSameCounts) {
  const Data d = simulated(1500, 4, 31);
  std::vector<std::size_t> order(d.time.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return d.strata[a] != d.strata[b] ? d.strata[a] < d.strata[b] : d.time[a] < d.time[b];
  });
  std::vector<double> time, score;
  std::vector<int> status;
  std::vector<char> stratum_end;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    time.push_back(d.time[i]);
    score.push_back(d.score[i]);
    status.push_back(d.status[i]);
    stratum_end.push_back(k + 1 == order.size() || d.strata[order[k + 1]] != d.strata[i]);
  }
  expect_counts(concordance_sorted(time, status, score, stratum_end), brute_force(d));
}

TEST(Concordance, ParallelRangesGiveTheSameCounts) {
  // 200,000 rows: two to four ranges, starting inside strata (their earlier
  // rows put in first) and inside runs of tied times (moved to the run's start).
  for (int strata : {1, 3}) {
    const Data d = simulated(200000, strata, 40 + strata);
    const std::vector<int> st = strata > 1 ? d.strata : std::vector<int>{};
    const Concordance one = concordance(d.time, d.status, d.score, st, 1);
    for (int threads : {2, 3, 4}) expect_counts(concordance(d.time, d.status, d.score, st, threads), one);
  }
  // The same with every score distinct (the bit counts): a score 0..n-1 per
  // row, in an order unrelated to the times.
  for (int strata : {1, 3}) {
    Data d = simulated(200000, strata, 60 + strata);
    for (std::size_t i = 0; i < d.score.size(); ++i) d.score[i] = static_cast<double>((i * 7919) % d.score.size());
    const std::vector<int> st = strata > 1 ? d.strata : std::vector<int>{};
    const Concordance one = concordance(d.time, d.status, d.score, st, 1);
    EXPECT_EQ(one.tied_x, 0);
    for (int threads : {2, 3, 4}) expect_counts(concordance(d.time, d.status, d.score, st, threads), one);
  }
}

}  // namespace
}  // namespace sirtkit::stats
