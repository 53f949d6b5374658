#include "stats/concordance/concordance_counting.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "stats/concordance/rank_counts.h"

namespace sirtkit::stats {

Concordance concordance_counting(std::span<const double> start, std::span<const double> stop,
                                 std::span<const int> status, std::span<const double> risk_score,
                                 std::span<const int> strata) {
  const std::size_t n = stop.size();
  if (start.size() != n || status.size() != n || risk_score.size() != n || (!strata.empty() && strata.size() != n))
    throw Error(ErrorCategory::internal, "concordance_counting: input columns differ in length");
  auto stratum = [&](std::size_t i) { return strata.empty() ? 0 : strata[i]; };
  // Ranks of the score; equal scores share a rank.
  std::vector<std::size_t> by_score(n);
  std::iota(by_score.begin(), by_score.end(), std::size_t{0});
  std::sort(by_score.begin(), by_score.end(), [&](std::size_t a, std::size_t b) { return risk_score[a] < risk_score[b]; });
  std::vector<std::uint32_t> rank(n);
  std::uint32_t m = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && risk_score[by_score[k]] != risk_score[by_score[k - 1]]) ++m;
    rank[by_score[k]] = m;
  }
  ++m;
  RankCounts<std::int32_t> tree(m);
  // Three orders by (stratum, key ascending): entries by start, exits by stop,
  // events by stop.
  auto ordered = [&](std::span<const double> key, bool events_only) {
    std::vector<std::size_t> o;
    for (std::size_t i = 0; i < n; ++i)
      if (!events_only || status[i]) o.push_back(i);
    std::stable_sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) {
      return stratum(a) != stratum(b) ? stratum(a) < stratum(b) : key[a] < key[b];
    });
    return o;
  };
  const auto by_start = ordered(start, false), by_stop = ordered(stop, false), events = ordered(stop, true);
  std::vector<char> in_tree(n, 0);
  std::int64_t count = 0;
  auto remove = [&](std::size_t i) {
    if (!in_tree[i]) return;
    in_tree[i] = 0;
    tree.add(rank[i], -1);
    --count;
  };
  Concordance c;
  std::size_t enter = 0, leave = 0;
  for (std::size_t e = 0; e < events.size();) {
    const int s = stratum(events[e]);
    const double t = stop[events[e]];
    std::size_t f = e;
    while (f < events.size() && stratum(events[f]) == s && stop[events[f]] == t) ++f;
    // Rows of earlier strata leave; rows of this stratum with start < t enter,
    // those with stop < t leave. The tree then holds the risk set at t.
    while (leave < n && (stratum(by_stop[leave]) < s || (stratum(by_stop[leave]) == s && stop[by_stop[leave]] < t)))
      remove(by_stop[leave++]);
    while (enter < n && (stratum(by_start[enter]) < s || (stratum(by_start[enter]) == s && start[by_start[enter]] < t))) {
      const std::size_t i = by_start[enter++];
      if (stratum(i) == s && stop[i] >= t) {
        in_tree[i] = 1;
        tree.add(rank[i], 1);
        ++count;
      }
    }
    // The events at t are compared with the rest of the risk set, not with
    // each other (tied.y); they leave the risk set afterwards (stop = t).
    for (std::size_t k = e; k < f; ++k) remove(events[k]);
    for (std::size_t k = e; k < f; ++k) {
      const std::uint32_t r = rank[events[k]];
      const std::int64_t lo = tree.below(r), eq = tree.at(r);
      c.concordant += lo;
      c.tied_x += eq;
      c.discordant += count - lo - eq;
    }
    const auto d = static_cast<std::int64_t>(f - e);
    c.tied_y += d * (d - 1) / 2;
    e = f;
  }
  return c;
}

}  // namespace sirtkit::stats
