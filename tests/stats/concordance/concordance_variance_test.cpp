// Standard error of Harrell's concordance (stats/concordance/concordance_variance.h)
// against survival 3.5-3's concordancefit (tests/data/survival/concordance_se.R
// writes the goldens): counting-process (start, stop] rows of the Stanford
// heart data, with strata, clusters and tied scores, and right-censored rows
// with a cluster. Tolerance 1e-10 relative: the counts are integers and the
// variance a sum of their squares.

#include "stats/concordance/concordance_variance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "stats/concordance/concordance_counting.h"
#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

struct Heart {
  std::vector<double> start, stop, age, year_rounded;
  std::vector<int> event, surgery, transplant, id;
};

Heart load_heart() {
  const Frame f = load_frame("heart");
  Heart h;
  for (std::size_t i = 0; i < f.rows(); ++i) {
    h.start.push_back(f.num("start", i));
    h.stop.push_back(f.num("stop", i));
    h.event.push_back(static_cast<int>(f.num("event", i)));
    h.age.push_back(f.num("age", i));
    h.year_rounded.push_back(std::round(f.num("year", i)));  // R's round(): half to even; no year is x.5 here
    h.surgery.push_back(static_cast<int>(f.num("surgery", i)));
    h.transplant.push_back(static_cast<int>(f.num("transplant", i)));
    h.id.push_back(static_cast<int>(f.num("id", i)));
  }
  return h;
}

void expect_golden(const ConcordanceWithSe& r, const nlohmann::json& g, const std::string& name) {
  const auto counts = g[name + "_counts"];
  EXPECT_EQ(r.counts.concordant, counts[0].get<double>()) << name;
  EXPECT_EQ(r.counts.discordant, counts[1].get<double>()) << name;
  EXPECT_EQ(r.counts.tied_x, counts[2].get<double>()) << name;
  // sirtkit's tied_y holds all pairs with tied event times; R splits off those
  // also tied on the score (tied.xy). Neither enters the concordance.
  EXPECT_EQ(r.counts.tied_y, counts[3].get<double>() + counts[4].get<double>()) << name;
  EXPECT_TRUE(near_rel(r.counts.value(), g[name + "_c"], 1e-12)) << name;
  EXPECT_TRUE(near_rel(r.std_err, g[name + "_se"], 1e-10)) << name;
}

TEST(ConcordanceVariance, CountingProcessMatchesR) {
  const Heart h = load_heart();
  const auto g = load_golden("concordance_se");
  expect_golden(concordance_counting_with_std_err(h.start, h.stop, h.event, h.age), g, "heart_counting");
  expect_golden(concordance_counting_with_std_err(h.start, h.stop, h.event, h.age, h.surgery), g, "heart_counting_strata");
  expect_golden(concordance_counting_with_std_err(h.start, h.stop, h.event, h.age, {}, h.id), g, "heart_counting_cluster");
  expect_golden(concordance_counting_with_std_err(h.start, h.stop, h.event, h.year_rounded, h.transplant), g,
                "heart_counting_ties");
}

TEST(ConcordanceVariance, RightCensoredWithClusterMatchesR) {
  const Heart h = load_heart();
  expect_golden(concordance_with_std_err(h.stop, h.event, h.age, {}, h.id), load_golden("concordance_se"), "heart_right_cluster");
}

TEST(ConcordanceVariance, CountingCountsAgreeWithThePairCounter) {
  const Heart h = load_heart();
  const auto a = concordance_counting_with_std_err(h.start, h.stop, h.event, h.year_rounded, h.transplant);
  const auto b = concordance_counting(h.start, h.stop, h.event, h.year_rounded, h.transplant);
  EXPECT_EQ(a.counts.concordant, b.concordant);
  EXPECT_EQ(a.counts.discordant, b.discordant);
  EXPECT_EQ(a.counts.tied_x, b.tied_x);
  EXPECT_EQ(a.counts.tied_y, b.tied_y);
}

TEST(ConcordanceVariance, IntervalsFromBeforeTheFirstTimeAreRightCensoredData) {
  // (start, stop] with every start below every time is right-censored data:
  // the same pairs, so the same influence and the same standard error.
  const Heart h = load_heart();
  const std::vector<double> from_before(h.stop.size(), -1.0);
  const auto a = concordance_counting_with_std_err(from_before, h.stop, h.event, h.age, h.surgery);
  const auto b = concordance_with_std_err(h.stop, h.event, h.age, h.surgery);
  EXPECT_EQ(a.counts.concordant, b.counts.concordant);
  EXPECT_EQ(a.counts.tied_y, b.counts.tied_y);
  EXPECT_NEAR(a.std_err, b.std_err, 1e-14);
  EXPECT_GT(a.std_err, 0.01);
}

TEST(ConcordanceVariance, NoComparablePairIsNaN) {
  const std::vector<double> start{0, 0}, stop{1, 2};
  const std::vector<int> status{0, 0};
  const std::vector<double> score{1, 2};
  EXPECT_TRUE(std::isnan(concordance_counting_with_std_err(start, stop, status, score).std_err));
}

}  // namespace
}  // namespace sirtkit::stats

namespace sirtkit::stats {
namespace {

// Above 20,000 rows the two sweeps run on two threads over rows copied in
// (stratum, time) order: the counts and the standard error must equal the
// definition in concordance_variance.h evaluated pair by pair (tied times,
// tied scores and two strata included).
TEST(ConcordanceVariance, LargeInputEqualsThePairByPairDefinition) {
  const std::size_t n = 20010;
  std::vector<double> time(n), score(n);
  std::vector<int> status(n), stratum(n);
  std::uint64_t state = 12345;
  auto next = [&] {  // a fixed linear congruential sequence
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (std::size_t i = 0; i < n; ++i) {
    time[i] = std::floor(next() * 3000);  // about 7 rows per time: tied times
    status[i] = next() < 0.6 ? 1 : 0;
    score[i] = std::floor(next() * 500) / 7;  // tied scores
    stratum[i] = static_cast<int>(next() * 4);
  }
  const ConcordanceWithSe r = concordance_with_std_err(time, status, score, stratum);

  std::vector<std::int64_t> conc(n, 0), disc(n, 0), tied(n, 0);
  std::int64_t c = 0, d = 0, tx = 0, ty = 0;
  std::vector<std::vector<std::size_t>> by_stratum(4);  // each stratum's rows by time
  for (std::size_t i = 0; i < n; ++i) by_stratum[static_cast<std::size_t>(stratum[i])].push_back(i);
  for (auto& rows : by_stratum)
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
  for (std::size_t i = 0; i < n; ++i) {
    if (!status[i]) continue;
    const auto& rows = by_stratum[static_cast<std::size_t>(stratum[i])];
    const auto from = std::lower_bound(rows.begin(), rows.end(), time[i], [&](std::size_t r, double t) { return time[r] < t; });
    for (auto it = from; it != rows.end(); ++it) {  // rows of its stratum with times >= its own
      const std::size_t j = *it;
      if (j == i) continue;
      if (time[j] == time[i] && status[j]) {
        if (j > i) ++ty;
        continue;
      }
      if (!(time[j] > time[i] || (time[j] == time[i] && !status[j]))) continue;
      if (score[i] > score[j]) { ++conc[i]; ++conc[j]; ++c; }
      else if (score[i] == score[j]) { ++tied[i]; ++tied[j]; ++tx; }
      else { ++disc[i]; ++disc[j]; ++d; }
    }
  }
  EXPECT_EQ(r.counts.concordant, c);
  EXPECT_EQ(r.counts.discordant, d);
  EXPECT_EQ(r.counts.tied_x, tx);
  EXPECT_EQ(r.counts.tied_y, ty);
  const double npair = static_cast<double>(c + d + tx), somers = static_cast<double>(c - d) / npair;
  double var = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dfbeta = static_cast<double>(conc[i] - disc[i]) / npair -
                          somers / npair * static_cast<double>(conc[i] + disc[i] + tied[i]);
    var += dfbeta * dfbeta;
  }
  EXPECT_TRUE(near_rel(r.std_err, std::sqrt(var / 4), 1e-10));
  EXPECT_GT(tx, 0);
  EXPECT_GT(ty, 0);
}

}  // namespace
}  // namespace sirtkit::stats
