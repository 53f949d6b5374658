#include "stats/matching/nearest_neighbour_matching.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>

#include "core/error.h"

namespace sirtkit::stats {

namespace {

// MatchIt 4.5.1's C++ calls abs() on a double difference, which resolves to
// the C library's int abs(int): the difference is truncated toward zero
// before comparison (kosukeimai/MatchIt issue #163, fixed in 4.5.4).
double truncated_abs(double x) { return std::fabs(std::trunc(x)); }

// Skip pointers over positions in distance order: find(p) is the nearest
// position at or beyond p (in one direction) still holding an available
// control, or the end marker; path-compressed.
class Skip {
 public:
  explicit Skip(std::size_t n) : next_(n + 1) { std::iota(next_.begin(), next_.end(), std::size_t{0}); }
  void remove(std::size_t p) { next_[p] = p + 1; }
  std::size_t find(std::size_t p) {
    std::size_t r = p;
    while (next_[r] != r) r = next_[r];
    while (next_[p] != r) {
      const std::size_t q = next_[p];
      next_[p] = r;
      p = q;
    }
    return r;
  }

 private:
  std::vector<std::size_t> next_;
};

// Matches the rows `units` (one exact stratum, or all) into `mm` (per treated row index into out.treated).
void match_set(std::span<const int> treat, std::span<const double> distance, const std::vector<std::size_t>& units,
               const NearestNeighbourOptions& o, const std::vector<std::size_t>& treated_slot,
               std::vector<std::vector<std::size_t>>& mm) {
  const std::size_t n = units.size();
  // sort.list(distance): stable, so equal distances keep data order.
  std::vector<std::size_t> sorted = units;
  std::stable_sort(sorted.begin(), sorted.end(), [&](std::size_t a, std::size_t b) { return distance[a] < distance[b]; });
  std::map<std::size_t, std::size_t> position, local;  // row -> position in `sorted`, in `units`
  for (std::size_t k = 0; k < n; ++k) {
    position[sorted[k]] = k;
    local[units[k]] = k;
  }
  // Right-going skips over positions 0..n-1 (n = none); left-going over mirrored positions.
  Skip right(n), left(n);
  std::size_t available = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (treat[sorted[k]] == 1) {
      right.remove(k);
      left.remove(n - 1 - k);
    } else {
      ++available;
    }
  }
  std::vector<std::size_t> order;  // the treated rows in matching order
  for (std::size_t r : units)
    if (treat[r] == 1) order.push_back(r);
  if (!o.replace)  // m.order = "largest": decreasing distance, ties in data order
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return distance[a] > distance[b]; });
  const int reuse_max = o.replace ? std::numeric_limits<int>::max() : 1;
  std::vector<int> times(n, 0);
  if (available == 0) return;
  for (int round = 0; round < o.ratio; ++round) {
    for (std::size_t row : order) {
      const std::size_t ii = position[row];
      auto& mine = mm[treated_slot[row]];
      const double d = distance[row];
      // A control already matched to this treated unit is skipped. MatchIt 4.5.1
      // compares the control's 0-based index with the stored 1-based ones, so
      // it skips the unit after each earlier match (in the set's data order)
      // and can reuse the same control with replacement.
      auto taken = [&](std::size_t k) {
        if (!o.matchit_451) return std::find(mine.begin(), mine.end(), sorted[k]) != mine.end();
        for (std::size_t m : mine)
          if (local[sorted[k]] == local[m] + 1) return true;
        return false;
      };
      auto gap = [&](double a, double b) { return o.matchit_451 ? truncated_abs(a - b) : std::fabs(a - b); };
      auto in_caliper = [&](std::size_t k) { return !o.caliper || gap(d, distance[sorted[k]]) <= *o.caliper; };
      // Nearest available control below (left) and above (right), skipping this unit's earlier matches.
      std::optional<std::size_t> kl, kr;
      for (std::size_t m = ii == 0 ? n : left.find(n - ii); m < n; m = n - 1 - m == 0 ? n : left.find(m + 1)) {
        const std::size_t k = n - 1 - m;
        if (taken(k)) continue;
        if (in_caliper(k)) kl = k;
        break;
      }
      for (std::size_t k = right.find(ii + 1); k < n; k = right.find(k + 1)) {
        if (taken(k)) continue;
        if (in_caliper(k)) kr = k;
        break;
      }
      std::size_t k;
      if (kl && kr) k = gap(distance[sorted[*kl]], d) <= gap(distance[sorted[*kr]], d) ? *kl : *kr;
      else if (kl) k = *kl;
      else if (kr) k = *kr;
      else continue;
      mine.push_back(sorted[k]);
      if (++times[k] >= reuse_max) {
        right.remove(k);
        left.remove(n - 1 - k);
        if (--available == 0) return;
      }
    }
  }
}

}  // namespace

NearestNeighbourMatch nearest_neighbour_match(std::span<const int> treat, std::span<const double> distance,
                                              std::span<const int> exact, const NearestNeighbourOptions& o) {
  const std::size_t n = treat.size();
  if (distance.size() != n || (!exact.empty() && exact.size() != n))
    throw Error(ErrorCategory::internal, "nearest_neighbour_match: sizes differ");
  if (o.ratio < 1) throw Error(ErrorCategory::internal, "nearest_neighbour_match: ratio < 1");
  NearestNeighbourMatch out;
  std::vector<std::size_t> slot(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (treat[i] == 1) {
      slot[i] = out.treated.size();
      out.treated.push_back(i);
    }
  out.matches.assign(out.treated.size(), {});
  std::map<int, std::vector<std::size_t>> strata;
  for (std::size_t i = 0; i < n; ++i) strata[exact.empty() ? 0 : exact[i]].push_back(i);
  for (const auto& [code, units] : strata) match_set(treat, distance, units, o, slot, out.matches);

  // Weights (MatchIt's weights_matrixC, then the controls scaled to sum to their number).
  out.weights.assign(n, 0.0);
  for (std::size_t t = 0; t < out.treated.size(); ++t) {
    const auto& m = out.matches[t];
    if (m.empty()) continue;
    out.weights[out.treated[t]] += 1;
    for (std::size_t c : m) out.weights[c] += 1.0 / static_cast<double>(m.size());
  }
  double sum_control = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (out.weights[i] <= 0) continue;
    if (treat[i] == 1) ++out.matched_treated;
    else {
      ++out.matched_control;
      sum_control += out.weights[i];
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    if (treat[i] == 0 && out.weights[i] > 0) out.weights[i] *= static_cast<double>(out.matched_control) / sum_control;

  // Subclasses: the matched treated rows' 1-based numbers sorted as text.
  out.subclass.assign(n, 0);
  if (!o.replace) {
    std::vector<std::size_t> with_match;
    for (std::size_t t = 0; t < out.treated.size(); ++t)
      if (!out.matches[t].empty()) with_match.push_back(t);
    std::stable_sort(with_match.begin(), with_match.end(), [&](std::size_t a, std::size_t b) {
      return std::to_string(out.treated[a] + 1) < std::to_string(out.treated[b] + 1);
    });
    for (std::size_t s = 0; s < with_match.size(); ++s) {
      const std::size_t t = with_match[s];
      out.subclass[out.treated[t]] = static_cast<int>(s + 1);
      for (std::size_t c : out.matches[t]) out.subclass[c] = static_cast<int>(s + 1);
    }
  }
  return out;
}

}  // namespace sirtkit::stats
