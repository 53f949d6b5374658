#include "stats/concordance.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "stats/radix_sort.h"

namespace sirtkit::stats {

double Concordance::value() const {
  const double den = static_cast<double>(concordant + discordant + tied_x);
  return den > 0 ? (static_cast<double>(concordant) + 0.5 * static_cast<double>(tied_x)) / den
                 : std::nan("");
}

namespace {

// Rows grouped by stratum (contiguous) with time descending within it when
// presorted_desc is true; otherwise any order.
Concordance count_pairs(std::span<const double> time, std::span<const int> status,
                        std::span<const double> risk_score, std::span<const int> strata, bool presorted_desc) {
  const std::size_t n = time.size();
  if (status.size() != n || risk_score.size() != n || (!strata.empty() && strata.size() != n))
    throw Error(ErrorCategory::internal, "concordance: input columns differ in length");
  // Ranks of the score (equal scores share a rank), from one radix sort.
  const LargeVector<std::uint32_t> by_score = radix_order(risk_score);
  LargeVector<std::uint32_t> rank(n);
  std::uint32_t m = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && risk_score[by_score[k]] != risk_score[by_score[k - 1]]) ++m;
    rank[by_score[k]] = m;
  }
  ++m;
  struct Item {
    int stratum;
    double time;
    std::uint32_t rank;
    int status;
  };
  LargeVector<Item> items(n);
  for (std::size_t i = 0; i < n; ++i)
    items[i] = {strata.empty() ? 0 : strata[i], time[i], rank[i], status[i] != 0 ? 1 : 0};
  // Process by stratum, time descending.
  if (!presorted_desc)
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return a.stratum != b.stratum ? a.stratum < b.stratum : a.time > b.time;
    });

  // Fenwick tree of counts by rank, plus the count at each rank (tied.x).
  std::vector<std::int32_t> tree(m + 1, 0), at_rank(m, 0);
  auto add = [&](std::uint32_t r, std::int32_t v) {
    at_rank[r] += v;
    for (std::size_t i = r + 1; i <= m; i += i & (~i + 1)) tree[i] += v;
  };
  auto below = [&](std::uint32_t r) {  // count with rank < r
    std::int64_t s = 0;
    for (std::size_t i = r; i > 0; i -= i & (~i + 1)) s += tree[i];
    return s;
  };

  Concordance c;
  std::size_t start = 0;
  while (start < n) {
    std::size_t end = start;
    while (end < n && items[end].stratum == items[start].stratum) ++end;
    std::int64_t in_tree = 0;
    for (std::size_t i = start; i < end;) {
      std::size_t j = i;
      while (j < end && items[j].time == items[i].time) ++j;
      std::int64_t deaths = 0;
      // Censored at this time are at risk for the deaths at this time.
      for (std::size_t k = i; k < j; ++k)
        if (!items[k].status) { add(items[k].rank, 1); ++in_tree; }
        else ++deaths;
      for (std::size_t k = i; k < j; ++k) {
        if (!items[k].status) continue;
        const std::int64_t lo = below(items[k].rank);
        const std::int64_t eq = at_rank[items[k].rank];
        c.concordant += lo;
        c.tied_x += eq;
        c.discordant += in_tree - lo - eq;
      }
      c.tied_y += deaths * (deaths - 1) / 2;
      for (std::size_t k = i; k < j; ++k)
        if (items[k].status) { add(items[k].rank, 1); ++in_tree; }
      i = j;
    }
    if (end < n)
      for (std::size_t k = start; k < end; ++k) add(items[k].rank, -1);  // clear for the next stratum
    start = end;
  }
  return c;
}

}  // namespace

Concordance concordance(std::span<const double> time, std::span<const int> status,
                        std::span<const double> risk_score, std::span<const int> strata) {
  return count_pairs(time, status, risk_score, strata, false);
}

Concordance concordance_presorted(std::span<const double> time, std::span<const int> status,
                                  std::span<const double> risk_score, std::span<const int> strata) {
  return count_pairs(time, status, risk_score, strata, true);
}

}  // namespace sirtkit::stats
