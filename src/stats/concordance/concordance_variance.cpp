#include "stats/concordance/concordance_variance.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/large_vector.h"
#include "stats/numerics/parallel.h"
#include "stats/numerics/radix_sort.h"
#include "stats/concordance/rank_counts.h"

namespace sirtkit::stats {

namespace {

struct Influence {
  std::int64_t concordant = 0, discordant = 0, tied_x = 0;
};

// One event against the `at_risk` rows counted in `tree` (longer times, or tied
// censored ones): a higher score for the shorter time is concordant (reverse = TRUE).
void count_event(const RankCounts<std::int64_t>& tree, std::size_t event_rank, std::int64_t at_risk, Influence& row, Concordance& c) {
  const std::int64_t lo = tree.below(event_rank), eq = tree.at(event_rank);
  row.concordant += lo;
  row.tied_x += eq;
  row.discordant += at_risk - lo - eq;
  c.concordant += lo;
  c.tied_x += eq;
  c.discordant += at_risk - lo - eq;
}

// Score ranks (equal scores share one); returns the number of ranks.
std::size_t score_ranks(std::span<const double> risk_score, std::vector<std::size_t>& rank) {
  const std::size_t n = risk_score.size();
  const LargeVector<std::uint32_t> by_score = radix_order(risk_score);
  rank.assign(n, 0);
  std::size_t ranks = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && risk_score[by_score[k]] != risk_score[by_score[k - 1]]) ++ranks;
    rank[by_score[k]] = ranks;
  }
  return n > 0 ? ranks + 1 : 0;
}

// The infinitesimal-jackknife standard error from the per-row pair counts
// (concordancefit: dfbeta summed within clusters, var = sum dfbeta^2 / 4).
double std_err_from_influence(const std::vector<Influence>& inf, const Concordance& c, std::span<const int> cluster) {
  const double npair = static_cast<double>(c.concordant + c.discordant + c.tied_x);
  if (!(npair > 0)) return std::nan("");
  const double somers_d = static_cast<double>(c.concordant - c.discordant) / npair;
  std::map<int, double> by_cluster;
  double var_d = 0;
  for (std::size_t i = 0; i < inf.size(); ++i) {
    const Influence& r = inf[i];
    const double dfbeta = static_cast<double>(r.concordant - r.discordant) / npair -
                          somers_d / npair * static_cast<double>(r.concordant + r.discordant + r.tied_x);
    if (cluster.empty()) var_d += dfbeta * dfbeta;
    else by_cluster[cluster[i]] += dfbeta;
  }
  for (const auto& [id, d] : by_cluster) var_d += d * d;
  return std::sqrt(var_d / 4);
}

}  // namespace

ConcordanceWithSe concordance_with_std_err(std::span<const double> time_in, std::span<const int> status_in,
                                           std::span<const double> risk_score, std::span<const int> strata,
                                           std::span<const int> cluster, std::span<const std::uint32_t> time_order) {
  const std::size_t n = time_in.size();
  if (status_in.size() != n || risk_score.size() != n || (!strata.empty() && strata.size() != n) ||
      (!cluster.empty() && cluster.size() != n) || (!time_order.empty() && time_order.size() != n))
    throw Error(ErrorCategory::internal, "concordance_with_std_err: input columns differ in length");
  std::vector<std::size_t> rank_in;
  const std::size_t ranks = score_ranks(risk_score, rank_in);
  // Rows by stratum, then time ascending (stable), copied in that order so
  // the sweeps read memory in sequence.
  LargeVector<std::uint32_t> order =
      time_order.empty() ? radix_order(time_in) : LargeVector<std::uint32_t>(time_order.begin(), time_order.end());
  if (!strata.empty())
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return strata[a] < strata[b]; });
  LargeVector<double> time(n);
  LargeVector<std::uint32_t> rank(n);
  LargeVector<char> status(n), stratum_start(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t r = order[k];
    time[k] = time_in[r];
    rank[k] = static_cast<std::uint32_t>(rank_in[r]);
    status[k] = status_in[r] != 0;
    stratum_start[k] = k == 0 || (!strata.empty() && strata[r] != strata[order[k - 1]]);
  }
  std::vector<std::size_t>().swap(rank_in);  // released

  // Each row's pair counts as the shorter member (down the times) and as the
  // longer one (up the times): independent sweeps, on two threads when large.
  std::vector<Influence> as_shorter(n), as_longer_inf(n);
  ConcordanceWithSe out;
  Concordance& c = out.counts;
  auto down = [&] {
    for (std::size_t s1 = n; s1 > 0;) {
      std::size_t s0 = s1 - 1;
      while (!stratum_start[s0]) --s0;
      // Each event against the rows with longer times (and the censorings at
      // its own time) already in the tree.
      RankCounts<std::int64_t> tree(ranks);
      std::int64_t in_tree = 0;
      for (std::size_t j = s1; j > s0;) {
        std::size_t i = j;
        const double t = time[j - 1];
        while (i > s0 && time[i - 1] == t) --i;
        std::int64_t deaths = 0;
        for (std::size_t k = i; k < j; ++k)
          if (!status[k]) { tree.add(rank[k], 1); ++in_tree; }
          else ++deaths;
        for (std::size_t k = i; k < j; ++k)
          if (status[k]) count_event(tree, rank[k], in_tree, as_shorter[k], c);
        c.tied_y += deaths * (deaths - 1) / 2;
        for (std::size_t k = i; k < j; ++k)
          if (status[k]) { tree.add(rank[k], 1); ++in_tree; }
        j = i;
      }
      s1 = s0;
    }
  };
  auto up = [&] {
    // Each row against the earlier events (and, for a censoring, the events
    // at its own time).
    for (std::size_t s0 = 0; s0 < n;) {
      std::size_t s1 = s0 + 1;
      while (s1 < n && !stratum_start[s1]) ++s1;
      RankCounts<std::int64_t> deaths_tree(ranks);
      std::int64_t deaths_in = 0;
      for (std::size_t i = s0; i < s1;) {
        std::size_t j = i;
        const double t = time[i];
        while (j < s1 && time[j] == t) ++j;
        auto as_longer = [&](std::size_t k) {
          const std::int64_t lo = deaths_tree.below(rank[k]), eq = deaths_tree.at(rank[k]);
          as_longer_inf[k].concordant += deaths_in - lo - eq;  // the event has the higher score
          as_longer_inf[k].tied_x += eq;
          as_longer_inf[k].discordant += lo;
        };
        for (std::size_t k = i; k < j; ++k)
          if (status[k]) as_longer(k);
        for (std::size_t k = i; k < j; ++k)
          if (status[k]) { deaths_tree.add(rank[k], 1); ++deaths_in; }
        for (std::size_t k = i; k < j; ++k)
          if (!status[k]) as_longer(k);
        i = j;
      }
      s0 = s1;
    }
  };
  if (n >= 20000 && std::thread::hardware_concurrency() > 1) {
    run_parts(2, [&](std::size_t part) { part == 0 ? down() : up(); });
  } else {
    down();
    up();
  }
  // Back to input order (clusters are given per input row).
  std::vector<Influence> inf(n);
  for (std::size_t k = 0; k < n; ++k) {
    Influence& r = inf[order[k]];
    r.concordant = as_shorter[k].concordant + as_longer_inf[k].concordant;
    r.discordant = as_shorter[k].discordant + as_longer_inf[k].discordant;
    r.tied_x = as_shorter[k].tied_x + as_longer_inf[k].tied_x;
  }
  out.std_err = std_err_from_influence(inf, c, cluster);
  return out;
}

ConcordanceWithSe concordance_counting_with_std_err(std::span<const double> start, std::span<const double> stop,
                                                    std::span<const int> status, std::span<const double> risk_score,
                                                    std::span<const int> strata, std::span<const int> cluster) {
  const std::size_t n = stop.size();
  if (start.size() != n || status.size() != n || risk_score.size() != n || (!strata.empty() && strata.size() != n) ||
      (!cluster.empty() && cluster.size() != n))
    throw Error(ErrorCategory::internal, "concordance_counting_with_std_err: input columns differ in length");
  std::vector<std::size_t> rank;
  const std::size_t ranks = score_ranks(risk_score, rank);
  auto stratum = [&](std::size_t i) { return strata.empty() ? 0 : strata[i]; };
  std::map<int, std::vector<std::size_t>> rows_of;
  for (std::size_t i = 0; i < n; ++i) rows_of[stratum(i)].push_back(i);

  std::vector<Influence> inf(n);
  ConcordanceWithSe out;
  Concordance& c = out.counts;
  for (const auto& [s, rows] : rows_of) {
    // Each event as the shorter member: against the risk set at its time.
    std::vector<std::size_t> by_start = rows, by_stop = rows, events;
    for (std::size_t i : rows)
      if (status[i]) events.push_back(i);
    auto order_by = [](std::vector<std::size_t>& v, std::span<const double> key) {
      std::stable_sort(v.begin(), v.end(), [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
    };
    order_by(by_start, start);
    order_by(by_stop, stop);
    order_by(events, stop);
    RankCounts<std::int64_t> risk(ranks);
    std::vector<char> in_risk(n, 0);
    std::int64_t at_risk = 0;
    auto leave = [&](std::size_t i) {
      if (!in_risk[i]) return;
      in_risk[i] = 0;
      risk.add(rank[i], -1);
      --at_risk;
    };
    std::size_t enter = 0, exit = 0;
    std::vector<double> event_times;  // distinct, ascending
    for (std::size_t e = 0; e < events.size();) {
      const double t = stop[events[e]];
      std::size_t f = e;
      while (f < events.size() && stop[events[f]] == t) ++f;
      event_times.push_back(t);
      while (exit < by_stop.size() && stop[by_stop[exit]] < t) leave(by_stop[exit++]);
      while (enter < by_start.size() && start[by_start[enter]] < t) {
        const std::size_t i = by_start[enter++];
        if (stop[i] >= t) {
          in_risk[i] = 1;
          risk.add(rank[i], 1);
          ++at_risk;
        }
      }
      for (std::size_t k = e; k < f; ++k) leave(events[k]);  // events at t are tied.y with each other
      for (std::size_t k = e; k < f; ++k) {
        const std::size_t i = events[k];
        count_event(risk, rank[i], at_risk, inf[i], c);
      }
      const auto d = static_cast<std::int64_t>(f - e);
      c.tied_y += d * (d - 1) / 2;
      e = f;
    }
    // Each row as the longer member: the events at the times in (start, stop]
    // ((start, stop) for an event row), as the difference of two prefix
    // queries over the event times. k = number of event-time groups counted.
    struct Query {
      std::size_t k, row;
      int sign;
    };
    std::vector<Query> queries;
    for (std::size_t j : rows) {
      const auto k_start = static_cast<std::size_t>(std::upper_bound(event_times.begin(), event_times.end(), start[j]) - event_times.begin());
      const auto k_stop = static_cast<std::size_t>(
          (status[j] ? std::lower_bound(event_times.begin(), event_times.end(), stop[j])
                     : std::upper_bound(event_times.begin(), event_times.end(), stop[j])) - event_times.begin());
      if (k_stop <= k_start) continue;
      queries.push_back({k_start, j, -1});
      queries.push_back({k_stop, j, +1});
    }
    std::sort(queries.begin(), queries.end(), [](const Query& a, const Query& b) { return a.k < b.k; });
    RankCounts<std::int64_t> dead(ranks);
    std::int64_t deaths = 0;
    std::size_t group = 0, e = 0;
    for (const Query& q : queries) {
      while (group < q.k) {  // add the events of the next event time
        const double t = event_times[group++];
        for (; e < events.size() && stop[events[e]] == t; ++e) {
          dead.add(rank[events[e]], 1);
          ++deaths;
        }
      }
      const std::size_t j = q.row;
      const std::int64_t lo = dead.below(rank[j]), eq = dead.at(rank[j]);
      inf[j].concordant += q.sign * (deaths - lo - eq);  // the event has the higher score
      inf[j].tied_x += q.sign * eq;
      inf[j].discordant += q.sign * lo;
    }
  }
  out.std_err = std_err_from_influence(inf, c, cluster);
  return out;
}

}  // namespace sirtkit::stats
