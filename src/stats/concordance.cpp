#include "stats/concordance.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/error.h"

namespace sirtkit::stats {

double Concordance::value() const {
  const double den = static_cast<double>(concordant + discordant + tied_x);
  return den > 0 ? (static_cast<double>(concordant) + 0.5 * static_cast<double>(tied_x)) / den
                 : std::nan("");
}

Concordance concordance(std::span<const double> time, std::span<const int> status,
                        std::span<const double> risk_score, std::span<const int> strata) {
  const std::size_t n = time.size();
  if (status.size() != n || risk_score.size() != n || (!strata.empty() && strata.size() != n))
    throw Error(ErrorCategory::internal, "concordance: input columns differ in length");
  // Ranks of the score (equal scores share a rank).
  std::vector<double> sorted(risk_score.begin(), risk_score.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  const std::size_t m = sorted.size();
  std::vector<std::uint32_t> rank(n);
  for (std::size_t i = 0; i < n; ++i)
    rank[i] = static_cast<std::uint32_t>(std::lower_bound(sorted.begin(), sorted.end(), risk_score[i]) -
                                         sorted.begin());

  // Process by stratum, time descending.
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const int sa = strata.empty() ? 0 : strata[a], sb = strata.empty() ? 0 : strata[b];
    if (sa != sb) return sa < sb;
    return time[a] > time[b];
  });

  std::vector<std::int64_t> tree(m + 1, 0);
  auto add = [&](std::uint32_t r, std::int64_t v) {
    for (std::size_t i = r + 1; i <= m; i += i & (~i + 1)) tree[i] += v;
  };
  auto prefix = [&](std::uint32_t r) {  // count with rank < r
    std::int64_t s = 0;
    for (std::size_t i = r; i > 0; i -= i & (~i + 1)) s += tree[i];
    return s;
  };

  Concordance c;
  std::size_t start = 0;
  while (start < n) {
    const int s0 = strata.empty() ? 0 : strata[order[start]];
    std::size_t end = start;
    while (end < n && (strata.empty() ? 0 : strata[order[end]]) == s0) ++end;
    std::int64_t in_tree = 0;
    for (std::size_t i = start; i < end;) {
      std::size_t j = i;
      while (j < end && time[order[j]] == time[order[i]]) ++j;
      std::int64_t deaths = 0;
      for (std::size_t k = i; k < j; ++k)
        if (status[order[k]] == 0) { add(rank[order[k]], 1); ++in_tree; }
        else ++deaths;
      for (std::size_t k = i; k < j; ++k) {
        if (status[order[k]] == 0) continue;
        const std::uint32_t r = rank[order[k]];
        const std::int64_t below = prefix(r);
        const std::int64_t upto = prefix(r + 1);
        c.concordant += below;
        c.tied_x += upto - below;
        c.discordant += in_tree - upto;
      }
      c.tied_y += deaths * (deaths - 1) / 2;
      for (std::size_t k = i; k < j; ++k)
        if (status[order[k]] != 0) { add(rank[order[k]], 1); ++in_tree; }
      i = j;
    }
    // clear the stratum's entries
    for (std::size_t k = start; k < end; ++k) add(rank[order[k]], -1);
    start = end;
  }
  return c;
}

}  // namespace sirtkit::stats
