#include "stats/matching/covariate_balance.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sirtkit::stats {

namespace {

// MatchIt's wvar(): weights normalised to sum 1; p (1 - p) for a binary
// variable, else sum w (x - m)^2 / (1 - sum w^2).
double wvar(std::span<const double> x, std::span<const int> treat, int arm, std::span<const double> w, bool binary) {
  double sw = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (treat[i] == arm) sw += w.empty() ? 1.0 : w[i];
  double m = 0, sw2 = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (treat[i] == arm) {
      const double wi = (w.empty() ? 1.0 : w[i]) / sw;
      m += wi * x[i];
      sw2 += wi * wi;
    }
  if (binary) return m * (1 - m);
  double ss = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (treat[i] == arm) {
      const double wi = (w.empty() ? 1.0 : w[i]) / sw;
      ss += wi * (x[i] - m) * (x[i] - m);
    }
  return ss / (1 - sw2);
}

double weighted_mean(std::span<const double> x, std::span<const int> treat, int arm, std::span<const double> w) {
  double s = 0, sw = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (treat[i] == arm) {
      const double wi = w.empty() ? 1.0 : w[i];
      s += wi * x[i];
      sw += wi;
    }
  return s / sw;
}

// MatchIt's pooled_sd(contribution = "proportional") with unit weights: the
// fallback when the chosen SD is 0.
double pooled_sd_proportional(std::span<const double> x, std::span<const int> treat, bool binary) {
  const double n = static_cast<double>(x.size());
  double v = 0;
  for (int arm : {0, 1}) {
    double sx = 0, ni = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (treat[i] == arm) {
        sx += x[i];
        ni += 1;
      }
    if (binary) {
      if (ni > 0) v += sx * (1 - sx / ni) / n;
    } else if (ni > 0) {
      const double m = sx / ni;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (treat[i] == arm) v += (x[i] - m) * (x[i] - m) / n;
    }
  }
  return binary ? std::sqrt(v) : std::sqrt(v / (1 - 1 / n));
}

// MatchIt's qqsum(standardize = TRUE): weights normalised within each arm,
// units sorted by x (ties in data order), |F_T - F_C| after the last unit of
// each distinct value.
void ecdf_distance(std::span<const double> x, std::span<const int> treat, std::span<const double> w, double& mean,
                   double& max) {
  double sw[2] = {0, 0};
  for (std::size_t i = 0; i < x.size(); ++i) sw[treat[i]] += w.empty() ? 1.0 : w[i];
  std::vector<std::size_t> ord(x.size());
  std::iota(ord.begin(), ord.end(), std::size_t{0});
  std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  double cum = 0, total = 0;
  std::size_t count = 0;
  max = 0;
  const int first_arm = ord.empty() ? 0 : treat[ord[0]];
  for (std::size_t k = 0; k < ord.size(); ++k) {
    const std::size_t i = ord[k];
    const double wi = (w.empty() ? 1.0 : w[i]) / sw[treat[i]];
    cum += treat[i] == first_arm ? -wi : wi;
    if (k + 1 == ord.size() || x[ord[k + 1]] != x[i]) {
      const double d = std::fabs(cum);
      total += d;
      ++count;
      max = std::max(max, d);
    }
  }
  mean = total / static_cast<double>(count);
}

}  // namespace

BalanceRow balance_row(std::span<const double> x, std::span<const int> treat, std::span<const double> weights,
                       SdDenominator denominator, std::span<const MatchedPair> pairs) {
  BalanceRow r;
  bool binary = true;
  for (double v : x) binary = binary && (v == 0 || v == 1);
  std::size_t nonzero[2] = {0, 0};
  for (std::size_t i = 0; i < x.size(); ++i)
    if (weights.empty() || weights[i] != 0) ++nonzero[treat[i]];
  const bool too_small = nonzero[1] < 2 && nonzero[0] < 2;
  r.mean_treated = weighted_mean(x, treat, 1, weights);
  r.mean_control = weighted_mean(x, treat, 0, weights);
  const double mdiff = r.mean_treated - r.mean_control;
  double pair_mean = BalanceRow::na;
  if (!pairs.empty()) {
    double s = 0;
    for (const auto& p : pairs) s += std::fabs(x[p.treated] - x[p.control]);
    pair_mean = s / static_cast<double>(pairs.size());
  }
  if (std::fabs(mdiff) > std::sqrt(std::numeric_limits<double>::epsilon())) {
    if (!too_small) {
      const std::span<const double> unit;
      double sd = denominator == SdDenominator::treated
                      ? std::sqrt(wvar(x, treat, 1, unit, binary))
                      : std::sqrt((wvar(x, treat, 1, unit, binary) + wvar(x, treat, 0, unit, binary)) / 2);
      if (!std::isfinite(sd) || sd < std::sqrt(std::numeric_limits<double>::epsilon()))
        sd = pooled_sd_proportional(x, treat, binary);
      r.smd = mdiff / sd;
      if (!pairs.empty()) r.pair_distance = std::fabs(pair_mean) > 1e-8 ? pair_mean / sd : pair_mean;
    }
  } else {
    r.smd = mdiff;
    r.pair_distance = pair_mean;
  }
  if (binary) {
    r.ecdf_mean = r.ecdf_max = std::fabs(mdiff);
  } else if (!too_small) {
    r.variance_ratio = wvar(x, treat, 1, weights, false) / wvar(x, treat, 0, weights, false);
    ecdf_distance(x, treat, weights, r.ecdf_mean, r.ecdf_max);
  }
  return r;
}

}  // namespace sirtkit::stats
