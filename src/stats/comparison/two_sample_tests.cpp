#include "stats/comparison/two_sample_tests.h"

#include <algorithm>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "core/error.h"
#include "core/format.h"
#include "stats/numerics/distributions.h"

namespace sirtkit::stats {
namespace {

void check_finite(std::span<const double> v, const char* test, const char* group) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]))
      fail_input(test, std::string(group) + " value " + std::to_string(i + 1), num(v[i]), "a finite number");
}

double mean_of(std::span<const double> v) {
  long double s = 0;
  for (double x : v) s += x;
  return static_cast<double>(s / v.size());
}

double variance_of(std::span<const double> v, double mean) {  // n − 1 denominator, two passes
  long double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return static_cast<double>(ss / (v.size() - 1));
}

// Number of ways the Mann-Whitney count of x reaches each value 0..m·n when
// the m + n values are distinct: the coefficients of the Gaussian binomial
// [m + n choose m]_q (R's cwilcox, src/nmath/wilcox.c). Doubles, as R keeps them.
std::vector<double> mann_whitney_counts(int m, int n) {
  // c[j][u]: subsets of size j of the first t ranks with Σ rank − j(j+1)/2 = u.
  const int max_u = m * n;
  std::vector<std::vector<double>> c(static_cast<std::size_t>(m) + 1, std::vector<double>(static_cast<std::size_t>(max_u) + 1, 0.0));
  c[0][0] = 1;
  for (int t = 1; t <= m + n; ++t) {
    // Adding rank t as the j-th chosen element adds t − j to u.
    for (int j = std::min(t, m); j >= 1; --j) {
      const int shift = t - j;
      if (shift > n) continue;
      auto& dst = c[static_cast<std::size_t>(j)];
      const auto& src = c[static_cast<std::size_t>(j) - 1];
      for (int u = max_u; u >= shift; --u) dst[static_cast<std::size_t>(u)] += src[static_cast<std::size_t>(u - shift)];
    }
  }
  return c[static_cast<std::size_t>(m)];
}

}  // namespace

std::vector<double> average_ranks(std::span<const double> v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double r = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;  // mean of ranks i+1..j+1
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = r;
    i = j + 1;
  }
  return rank;
}

// wilcox.test.default, two-sample, mu = 0 (R src/library/stats/R/wilcox.test.R;
// Wilcoxon 1945, Mann & Whitney 1947). Normal approximation: tie-corrected
// variance n_x n_y / 12 · ((N + 1) − Σ(t³ − t) / (N (N − 1))) (Lehmann 1975 §1.4).
WilcoxonResult wilcoxon_rank_sum(std::span<const double> x, std::span<const double> y, const WilcoxonOptions& o) {
  if (x.empty()) fail_input("wilcoxon test", "group x", "0 values", "at least 1 value per group");
  if (y.empty()) fail_input("wilcoxon test", "group y", "0 values", "at least 1 value per group");
  check_finite(x, "wilcoxon test", "group x");
  check_finite(y, "wilcoxon test", "group y");
  WilcoxonResult r;
  r.n_x = static_cast<int>(x.size());
  r.n_y = static_cast<int>(y.size());
  std::vector<double> all(x.begin(), x.end());
  all.insert(all.end(), y.begin(), y.end());
  const auto rank = average_ranks(all);
  double rank_sum_x = 0;
  for (std::size_t i = 0; i < x.size(); ++i) rank_sum_x += rank[i];
  const double nx = r.n_x, ny = r.n_y;
  r.w = rank_sum_x - nx * (nx + 1) / 2;

  // Tie groups: sizes of runs of equal values (R: table(r)).
  std::vector<double> sorted = all;
  std::sort(sorted.begin(), sorted.end());
  double tie_term = 0;  // Σ (t³ − t)
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[i]) ++j;
    const double t = static_cast<double>(j - i + 1);
    tie_term += t * t * t - t;
    if (t > 1) r.ties = true;
    i = j + 1;
  }

  const bool want_exact = o.exact == WilcoxonExact::always || (o.exact == WilcoxonExact::automatic && r.n_x < 50 && r.n_y < 50);
  if (want_exact && !r.ties) {
    r.exact = true;
    r.z = std::numeric_limits<double>::quiet_NaN();
    const auto counts = mann_whitney_counts(r.n_x, r.n_y);
    double total = 0;
    for (double c : counts) total += c;  // = choose(m + n, m)
    const int w = static_cast<int>(std::lround(r.w));
    double tail = 0;
    if (r.w > nx * ny / 2) {  // pwilcox(W − 1, lower.tail = FALSE) = P(U >= W)
      for (std::size_t u = static_cast<std::size_t>(w); u < counts.size(); ++u) tail += counts[u];
    } else {  // pwilcox(W) = P(U <= W)
      for (int u = 0; u <= w; ++u) tail += counts[static_cast<std::size_t>(u)];
    }
    r.p_value = std::min(1.0, 2 * tail / total);
    return r;
  }
  const double z0 = r.w - nx * ny / 2;
  const double sigma = std::sqrt((nx * ny / 12) * ((nx + ny + 1) - tie_term / ((nx + ny) * (nx + ny - 1))));
  r.continuity_correction = o.continuity_correction ? (z0 > 0 ? 0.5 : z0 < 0 ? -0.5 : 0.0) : 0.0;  // sign(z) * 0.5
  r.z = (z0 - r.continuity_correction) / sigma;
  const boost::math::normal nd;
  if (!std::isfinite(r.z)) {  // all values tied: sigma = 0, R gives NaN
    r.p_value = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  r.p_value = 2 * std::min(boost::math::cdf(nd, r.z), boost::math::cdf(boost::math::complement(nd, r.z)));
  r.continuity_correction = std::fabs(r.continuity_correction);
  return r;
}

// t.test.default, two-sample (R src/library/stats/R/t.test.R); Welch (1947)
// df = se⁴ / (se_x⁴/(n_x − 1) + se_y⁴/(n_y − 1)).
TTestResult t_test(std::span<const double> x, std::span<const double> y, bool equal_variance, double conf_level) {
  if (x.size() < 2) fail_input("t test", "group x", std::to_string(x.size()) + " values", "at least 2 values per group");
  if (y.size() < 2) fail_input("t test", "group y", std::to_string(y.size()) + " values", "at least 2 values per group");
  if (!(conf_level > 0 && conf_level < 1)) fail_input("t test", "conf_level", num(conf_level), "a level strictly between 0 and 1");
  check_finite(x, "t test", "group x");
  check_finite(y, "t test", "group y");
  TTestResult r;
  r.n_x = static_cast<int>(x.size());
  r.n_y = static_cast<int>(y.size());
  r.equal_variance = equal_variance;
  r.conf_level = conf_level;
  r.mean_x = mean_of(x);
  r.mean_y = mean_of(y);
  const double vx = variance_of(x, r.mean_x), vy = variance_of(y, r.mean_y);
  r.sd_x = std::sqrt(vx);
  r.sd_y = std::sqrt(vy);
  const double nx = r.n_x, ny = r.n_y;
  if (equal_variance) {
    r.df = nx + ny - 2;
    const double v = ((nx - 1) * vx + (ny - 1) * vy) / r.df;
    r.std_error = std::sqrt(v * (1 / nx + 1 / ny));
  } else {
    const double sx = std::sqrt(vx / nx), sy = std::sqrt(vy / ny);
    r.std_error = std::sqrt(sx * sx + sy * sy);
    r.df = std::pow(r.std_error, 4) / (std::pow(sx, 4) / (nx - 1) + std::pow(sy, 4) / (ny - 1));
  }
  if (r.std_error < 10 * DBL_EPSILON * std::max(std::fabs(r.mean_x), std::fabs(r.mean_y)) || r.std_error == 0)
    fail_input("t test", "values", "essentially constant", "data that vary (R: \"data are essentially constant\")");
  r.difference = r.mean_x - r.mean_y;
  r.statistic = r.difference / r.std_error;
  const boost::math::students_t td(r.df);
  r.p_value = 2 * boost::math::cdf(td, -std::fabs(r.statistic));
  const double q = boost::math::quantile(td, 1 - (1 - conf_level) / 2);
  r.ci_low = (r.statistic - q) * r.std_error;  // R: mu + (tstat ± q) · stderr
  r.ci_high = (r.statistic + q) * r.std_error;
  return r;
}

// kruskal.test.default (R src/library/stats/R/kruskal.test.R; Kruskal & Wallis 1952):
// H = (12/(n(n+1)) Σ R_i²/n_i − 3(n+1)) / (1 − Σ(t³ − t)/(n³ − n)).
KGroupTestResult kruskal_wallis(const std::vector<std::vector<double>>& groups) {
  std::vector<double> all;
  std::vector<std::size_t> group_of;
  std::size_t nonempty = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    check_finite(groups[g], "kruskal-wallis test", ("group " + std::to_string(g + 1)).c_str());
    if (!groups[g].empty()) ++nonempty;
    for (double v : groups[g]) {
      all.push_back(v);
      group_of.push_back(g);
    }
  }
  if (nonempty < 2) fail_input("kruskal-wallis test", "groups", std::to_string(nonempty), "at least 2 groups with values");
  const auto rank = average_ranks(all);
  std::vector<double> rank_sum(groups.size(), 0);
  for (std::size_t i = 0; i < all.size(); ++i) rank_sum[group_of[i]] += rank[i];
  const double n = static_cast<double>(all.size());
  double s = 0;
  for (std::size_t g = 0; g < groups.size(); ++g)
    if (!groups[g].empty()) s += rank_sum[g] * rank_sum[g] / static_cast<double>(groups[g].size());
  std::vector<double> sorted = all;
  std::sort(sorted.begin(), sorted.end());
  double ties = 0;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[i]) ++j;
    const double t = static_cast<double>(j - i + 1);
    ties += t * t * t - t;
    i = j + 1;
  }
  KGroupTestResult r;
  r.statistic = (12 * s / (n * (n + 1)) - 3 * (n + 1)) / (1 - ties / (n * n * n - n));
  r.df1 = static_cast<double>(nonempty) - 1;
  r.p_value = chisq_upper_p(r.statistic, r.df1);
  return r;
}

// oneway.test(var.equal = TRUE) (R src/library/stats/R/oneway.test.R):
// F = (Σ n_i (m_i − m)² / (k − 1)) / (Σ (n_i − 1) v_i / (n − k)).
KGroupTestResult one_way_anova(const std::vector<std::vector<double>>& groups) {
  if (groups.size() < 2) fail_input("anova", "groups", std::to_string(groups.size()), "at least 2 groups");
  double n = 0;
  long double total = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].size() < 2)
      fail_input("anova", "group " + std::to_string(g + 1), std::to_string(groups[g].size()) + " values", "at least 2 values per group");
    check_finite(groups[g], "anova", ("group " + std::to_string(g + 1)).c_str());
    n += static_cast<double>(groups[g].size());
    for (double v : groups[g]) total += v;
  }
  const double grand = static_cast<double>(total / n);
  const double k = static_cast<double>(groups.size());
  double between = 0, within = 0;
  for (const auto& g : groups) {
    const double m = mean_of(g);
    between += static_cast<double>(g.size()) * (m - grand) * (m - grand);
    within += (static_cast<double>(g.size()) - 1) * variance_of(g, m);
  }
  if (within == 0) fail_input("anova", "values", "constant within every group", "data that vary within groups");
  KGroupTestResult r;
  r.df1 = k - 1;
  r.df2 = n - k;
  r.statistic = (between / r.df1) / (within / r.df2);
  r.p_value = boost::math::cdf(boost::math::complement(boost::math::fisher_f(r.df1, r.df2), r.statistic));
  return r;
}

}  // namespace sirtkit::stats
