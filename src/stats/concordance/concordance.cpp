#include "stats/concordance/concordance.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/large_vector.h"
#include "stats/numerics/parallel.h"
#include "stats/numerics/radix_sort.h"
#include "stats/concordance/rank_counts.h"

namespace sirtkit::stats {

double Concordance::value() const {
  const double den = static_cast<double>(concordant + discordant + tied_x);
  return den > 0 ? (static_cast<double>(concordant) + 0.5 * static_cast<double>(tied_x)) / den
                 : std::nan("");
}

namespace {

// The pair counts of the rows k = b..e-1 in the visiting order that `row(k)`
// describes: strata contiguous (new_stratum marks each one's first row), time
// descending within each. The tree holds the rows seen so far in the stratum,
// i.e. those with longer times; the rows of b's stratum before b are put in
// first.
template <class Counts, class Row>
Concordance count_range(std::size_t b, std::size_t e, std::uint32_t ranks, const Row& row) {
  Counts tree(ranks);
  std::size_t stratum_begin = b;
  while (stratum_begin > 0 && !row(stratum_begin).new_stratum) --stratum_begin;
  if (stratum_begin < b) {
    std::vector<std::int32_t> counts(ranks, 0);
    for (std::size_t k = stratum_begin; k < b; ++k) ++counts[row(k).rank];
    tree.assign(counts);
  }
  std::int64_t in_tree = static_cast<std::int64_t>(b - stratum_begin);
  Concordance c;
  for (std::size_t i = b; i < e;) {
    if (i > b && row(i).new_stratum) {  // clear the tree for the next stratum
      for (std::size_t k = stratum_begin; k < i; ++k) tree.add(row(k).rank, -1);
      stratum_begin = i;
      in_tree = 0;
    }
    const double t = row(i).time;
    std::size_t j = i + 1;
    while (j < e && !row(j).new_stratum && row(j).time == t) ++j;
    std::int64_t deaths = 0;
    // Censored at this time are at risk for the deaths at this time.
    for (std::size_t k = i; k < j; ++k)
      if (!row(k).event) { tree.add(row(k).rank, 1); ++in_tree; }
      else ++deaths;
    for (std::size_t k = i; k < j; ++k) {
      if (!row(k).event) continue;
      const std::uint32_t r = row(k).rank;
      const std::int64_t lo = tree.below(r);
      const std::int64_t eq = tree.at(r);
      c.concordant += lo;
      c.tied_x += eq;
      c.discordant += in_tree - lo - eq;
    }
    c.tied_y += deaths * (deaths - 1) / 2;
    for (std::size_t k = i; k < j; ++k)
      if (row(k).event) { tree.add(row(k).rank, 1); ++in_tree; }
    i = j;
  }
  return c;
}

// All n rows, cut into `threads` ranges that start at a tied-time group and
// are counted in parallel. With as many ranks as rows (every score distinct)
// the counts per rank are 0 or 1, kept as bits (DistinctRankCounts).
template <class Row>
Concordance count_pairs(std::size_t n, std::uint32_t ranks, int threads, const Row& row) {
  const std::size_t parts = std::max<std::size_t>(1, std::min<std::size_t>(std::max(threads, 1), n / 50000));
  std::vector<std::size_t> bounds{0};
  for (std::size_t c = 1; c < parts; ++c) {
    std::size_t k = std::max(c * n / parts, bounds.back() + 1);
    while (k < n && !row(k).new_stratum && row(k).time == row(k - 1).time) ++k;
    if (k < n) bounds.push_back(k);
  }
  bounds.push_back(n);
  std::vector<Concordance> part(bounds.size() - 1);
  run_parts(part.size(), [&](std::size_t c) {
    part[c] = ranks == n ? count_range<DistinctRankCounts>(bounds[c], bounds[c + 1], ranks, row)
                         : count_range<RankCounts<std::int32_t>>(bounds[c], bounds[c + 1], ranks, row);
  });
  Concordance total;
  for (const auto& c : part) {
    total.concordant += c.concordant;
    total.discordant += c.discordant;
    total.tied_x += c.tied_x;
    total.tied_y += c.tied_y;
  }
  return total;
}

struct RowView {
  double time;
  bool event;
  std::uint32_t rank;
  bool new_stratum;
};

void check_lengths(std::size_t n, std::size_t a, std::size_t b, std::size_t strata) {
  if (a != n || b != n || (strata != 0 && strata != n))
    throw Error(ErrorCategory::internal, "concordance: input columns differ in length");
}

}  // namespace

Concordance concordance(std::span<const double> time, std::span<const int> status,
                        std::span<const double> risk_score, std::span<const int> strata, int threads) {
  const std::size_t n = time.size();
  check_lengths(n, status.size(), risk_score.size(), strata.size());
  LargeVector<std::uint32_t> rank;
  const std::uint32_t ranks = radix_ranks(risk_score, rank, threads);
  struct Item {
    int stratum;
    double time;
    std::uint32_t rank;
    bool event;
  };
  std::vector<Item> items(n);
  for (std::size_t i = 0; i < n; ++i) items[i] = {strata.empty() ? 0 : strata[i], time[i], rank[i], status[i] != 0};
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.stratum != b.stratum ? a.stratum < b.stratum : a.time > b.time;
  });
  return count_pairs(n, ranks, threads, [&](std::size_t k) {
    return RowView{items[k].time, items[k].event, items[k].rank, k == 0 || items[k].stratum != items[k - 1].stratum};
  });
}

Concordance concordance_sorted(std::span<const double> time, std::span<const int> status,
                               std::span<const double> risk_score, std::span<const char> stratum_end, int threads) {
  const std::size_t n = time.size();
  check_lengths(n, status.size(), risk_score.size(), stratum_end.size());
  LargeVector<std::uint32_t> rank;
  const std::uint32_t ranks = radix_ranks(risk_score, rank, threads);
  // Visit the rows backwards: time descending, strata last to first.
  return count_pairs(n, ranks, threads, [&](std::size_t k) {
    const std::size_t i = n - 1 - k;
    return RowView{time[i], status[i] != 0, rank[i], stratum_end[i] != 0};
  });
}

}  // namespace sirtkit::stats
