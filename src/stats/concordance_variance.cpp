#include "stats/concordance_variance.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "core/error.h"

namespace sirtkit::stats {

namespace {

// Counts by score rank: how many below rank r, and how many at r.
class RankTree {
 public:
  explicit RankTree(std::size_t ranks) : tree_(ranks + 1, 0), at_(ranks, 0) {}
  void add(std::size_t r, std::int64_t v) {
    at_[r] += v;
    for (std::size_t i = r + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += v;
  }
  std::int64_t below(std::size_t r) const {
    std::int64_t s = 0;
    for (std::size_t i = r; i > 0; i -= i & (~i + 1)) s += tree_[i];
    return s;
  }
  std::int64_t at(std::size_t r) const { return at_[r]; }

 private:
  std::vector<std::int64_t> tree_, at_;
};

struct Influence {
  std::int64_t concordant = 0, discordant = 0, tied_x = 0;
};

}  // namespace

ConcordanceWithSe concordance_with_std_err(std::span<const double> time, std::span<const int> status,
                                           std::span<const double> risk_score, std::span<const int> strata) {
  const std::size_t n = time.size();
  if (status.size() != n || risk_score.size() != n || (!strata.empty() && strata.size() != n))
    throw Error(ErrorCategory::internal, "concordance_with_std_err: input columns differ in length");
  // Score ranks (equal scores share one).
  std::vector<std::size_t> by_score(n);
  std::iota(by_score.begin(), by_score.end(), 0);
  std::sort(by_score.begin(), by_score.end(), [&](std::size_t a, std::size_t b) { return risk_score[a] < risk_score[b]; });
  std::vector<std::size_t> rank(n);
  std::size_t ranks = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && risk_score[by_score[k]] != risk_score[by_score[k - 1]]) ++ranks;
    rank[by_score[k]] = ranks;
  }
  if (n > 0) ++ranks;
  // Rows by stratum, then time ascending.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  auto stratum = [&](std::size_t i) { return strata.empty() ? 0 : strata[i]; };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return stratum(a) != stratum(b) ? stratum(a) < stratum(b) : time[a] < time[b];
  });

  std::vector<Influence> inf(n);
  ConcordanceWithSe out;
  Concordance& c = out.counts;
  for (std::size_t s0 = 0; s0 < n;) {
    std::size_t s1 = s0;
    while (s1 < n && stratum(order[s1]) == stratum(order[s0])) ++s1;
    // Down the times: each event against the rows with longer times (and the
    // censorings at its own time) already in the tree.
    {
      RankTree tree(ranks);
      std::int64_t in_tree = 0;
      for (std::size_t j = s1; j > s0;) {
        std::size_t i = j;
        const double t = time[order[j - 1]];
        while (i > s0 && time[order[i - 1]] == t) --i;
        std::int64_t deaths = 0;
        for (std::size_t k = i; k < j; ++k)
          if (!status[order[k]]) { tree.add(rank[order[k]], 1); ++in_tree; }
          else ++deaths;
        for (std::size_t k = i; k < j; ++k) {
          const std::size_t row = order[k];
          if (!status[row]) continue;
          const std::int64_t lo = tree.below(rank[row]), eq = tree.at(rank[row]);
          // Higher score for the shorter time: concordant (reverse = TRUE).
          inf[row].concordant += lo;
          inf[row].tied_x += eq;
          inf[row].discordant += in_tree - lo - eq;
          c.concordant += lo;
          c.tied_x += eq;
          c.discordant += in_tree - lo - eq;
        }
        c.tied_y += deaths * (deaths - 1) / 2;
        for (std::size_t k = i; k < j; ++k)
          if (status[order[k]]) { tree.add(rank[order[k]], 1); ++in_tree; }
        j = i;
      }
    }
    // Up the times: each row against the earlier events (and, for a
    // censoring, the events at its own time).
    {
      RankTree deaths_tree(ranks);
      std::int64_t deaths_in = 0;
      for (std::size_t i = s0; i < s1;) {
        std::size_t j = i;
        const double t = time[order[i]];
        while (j < s1 && time[order[j]] == t) ++j;
        auto as_longer = [&](std::size_t row) {
          const std::int64_t lo = deaths_tree.below(rank[row]), eq = deaths_tree.at(rank[row]);
          inf[row].concordant += deaths_in - lo - eq;  // the event has the higher score
          inf[row].tied_x += eq;
          inf[row].discordant += lo;
        };
        for (std::size_t k = i; k < j; ++k)
          if (status[order[k]]) as_longer(order[k]);
        for (std::size_t k = i; k < j; ++k)
          if (status[order[k]]) { deaths_tree.add(rank[order[k]], 1); ++deaths_in; }
        for (std::size_t k = i; k < j; ++k)
          if (!status[order[k]]) as_longer(order[k]);
        i = j;
      }
    }
    s0 = s1;
  }
  const double npair = static_cast<double>(c.concordant + c.discordant + c.tied_x);
  if (!(npair > 0)) {
    out.std_err = std::nan("");
    return out;
  }
  const double somers_d = static_cast<double>(c.concordant - c.discordant) / npair;
  double var_d = 0;
  for (const auto& r : inf) {
    const double dfbeta = static_cast<double>(r.concordant - r.discordant) / npair -
                          somers_d / npair * static_cast<double>(r.concordant + r.discordant + r.tied_x);
    var_d += dfbeta * dfbeta;
  }
  out.std_err = std::sqrt(var_d / 4);
  return out;
}

}  // namespace sirtkit::stats
