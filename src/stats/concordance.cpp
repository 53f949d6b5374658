#include "stats/concordance.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/large_vector.h"
#include "stats/radix_sort.h"

namespace sirtkit::stats {

double Concordance::value() const {
  const double den = static_cast<double>(concordant + discordant + tied_x);
  return den > 0 ? (static_cast<double>(concordant) + 0.5 * static_cast<double>(tied_x)) / den
                 : std::nan("");
}

namespace {

// Ranks of the score (equal scores share a rank, 0-based) from one radix
// sort; returns the number of distinct scores.
std::uint32_t score_ranks(std::span<const double> risk_score, LargeVector<std::uint32_t>& rank) {
  const std::size_t n = risk_score.size();
  const LargeVector<std::uint32_t> by_score = radix_order(risk_score);
  rank.resize(n);
  std::uint32_t m = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && risk_score[by_score[k]] != risk_score[by_score[k - 1]]) ++m;
    rank[by_score[k]] = m;
  }
  return n > 0 ? m + 1 : 0;
}

// The pair counts over rows visited in the order k = 0..n-1 that `row(k)`
// describes: strata contiguous (new_stratum marks each one's first row), time
// descending within each. A Fenwick tree of counts by score rank holds the
// rows seen so far in the stratum, i.e. those with longer times.
template <class Row>
Concordance count_pairs(std::size_t n, std::uint32_t ranks, Row row) {
  std::vector<std::int32_t> tree(ranks + 1, 0), at_rank(ranks, 0);
  auto add = [&](std::uint32_t r, std::int32_t v) {
    at_rank[r] += v;
    for (std::size_t i = r + 1; i <= ranks; i += i & (~i + 1)) tree[i] += v;
  };
  auto below = [&](std::uint32_t r) {  // count with rank < r
    std::int64_t s = 0;
    for (std::size_t i = r; i > 0; i -= i & (~i + 1)) s += tree[i];
    return s;
  };
  Concordance c;
  std::size_t start = 0;
  while (start < n) {
    std::size_t end = start + 1;
    while (end < n && !row(end).new_stratum) ++end;
    std::int64_t in_tree = 0;
    for (std::size_t i = start; i < end;) {
      const double t = row(i).time;
      std::size_t j = i;
      while (j < end && row(j).time == t) ++j;
      std::int64_t deaths = 0;
      // Censored at this time are at risk for the deaths at this time.
      for (std::size_t k = i; k < j; ++k)
        if (!row(k).event) { add(row(k).rank, 1); ++in_tree; }
        else ++deaths;
      for (std::size_t k = i; k < j; ++k) {
        if (!row(k).event) continue;
        const std::uint32_t r = row(k).rank;
        const std::int64_t lo = below(r);
        const std::int64_t eq = at_rank[r];
        c.concordant += lo;
        c.tied_x += eq;
        c.discordant += in_tree - lo - eq;
      }
      c.tied_y += deaths * (deaths - 1) / 2;
      for (std::size_t k = i; k < j; ++k)
        if (row(k).event) { add(row(k).rank, 1); ++in_tree; }
      i = j;
    }
    if (end < n)
      for (std::size_t k = start; k < end; ++k) add(row(k).rank, -1);  // clear for the next stratum
    start = end;
  }
  return c;
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
                        std::span<const double> risk_score, std::span<const int> strata) {
  const std::size_t n = time.size();
  check_lengths(n, status.size(), risk_score.size(), strata.size());
  LargeVector<std::uint32_t> rank;
  const std::uint32_t ranks = score_ranks(risk_score, rank);
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
  return count_pairs(n, ranks, [&](std::size_t k) {
    return RowView{items[k].time, items[k].event, items[k].rank, k == 0 || items[k].stratum != items[k - 1].stratum};
  });
}

Concordance concordance_sorted(std::span<const double> time, std::span<const int> status,
                               std::span<const double> risk_score, std::span<const char> stratum_end) {
  const std::size_t n = time.size();
  check_lengths(n, status.size(), risk_score.size(), stratum_end.size());
  LargeVector<std::uint32_t> rank;
  const std::uint32_t ranks = score_ranks(risk_score, rank);
  // Visit the rows backwards: time descending, strata last to first.
  return count_pairs(n, ranks, [&](std::size_t k) {
    const std::size_t i = n - 1 - k;
    return RowView{time[i], status[i] != 0, rank[i], stratum_end[i] != 0};
  });
}

}  // namespace sirtkit::stats
