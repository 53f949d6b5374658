#include "stats/survival/log_rank.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "stats/numerics/distributions.h"
#include "stats/numerics/radix_sort.h"
#include "stats/survival/time_fix.h"

namespace sirtkit::stats {

namespace {

struct Obs {
  double time;
  int strat;
  int group;
  int status;
};

// survdiff sorts by strata, then time: sort by time (where the near-tie rule
// applies to all times at once; a stable radix sort), then stably by stratum.
std::vector<Obs> sorted_observations(std::span<const double> time, std::span<const int> status,
                                     std::span<const int> group, std::span<const int> strata, bool timefix) {
  const std::size_t n = time.size();
  const auto order = radix_order(time);
  std::vector<Obs> obs(n);
  for (std::size_t k2 = 0; k2 < n; ++k2) {
    const std::size_t i = order[k2];
    obs[k2] = {time[i], strata.empty() ? 0 : strata[i], group[i], status[i] != 0 ? 1 : 0};
  }
  if (timefix) {
    std::vector<double> t(n);
    for (std::size_t i = 0; i < n; ++i) t[i] = obs[i].time;
    if (aeq_sorted_times(t))
      for (std::size_t i = 0; i < n; ++i) obs[i].time = t[i];
  }
  if (!strata.empty())
    std::stable_sort(obs.begin(), obs.end(), [](const Obs& a, const Obs& b) { return a.strat < b.strat; });
  return obs;
}

// Left-continuous pooled KM within the stratum rows [start, end) (survdiff2.c).
void stratum_left_km(const std::vector<Obs>& obs, std::size_t start, std::size_t end, std::vector<double>& kaplan) {
  kaplan.assign(end - start, 1.0);
  double km = 1.0;
  for (std::size_t i = start; i < end;) {
    const double nrisk = static_cast<double>(end - i);
    double deaths = 0;
    std::size_t j = i;
    for (; j < end && obs[j].time == obs[i].time; ++j) {
      kaplan[j - start] = km;
      deaths += obs[j].status;
    }
    km = km * (nrisk - deaths) / nrisk;
    i = j;
  }
}

// One stratum's rows [start, end): observed and expected per group and the
// k x k variance (row-major), walking backwards over distinct times and adding
// each tied set to the risk set.
void add_stratum(const std::vector<Obs>& obs, std::size_t start, std::size_t end, int k, double rho,
                 const std::vector<double>& kaplan, LogRankResult& r, std::vector<double>& var) {
  std::vector<double> risk(k, 0.0);
  for (std::size_t ii = end; ii > start;) {
    const std::size_t last = ii - 1;
    const double w = rho == 0 ? 1.0 : std::pow(kaplan[last - start], rho);
    double deaths = 0;
    std::size_t j = last + 1;
    while (j > start && obs[j - 1].time == obs[last].time) {
      --j;
      const Obs& o = obs[j];
      deaths += o.status;
      risk[o.group] += 1;
      r.observed[o.group] += o.status * w;
    }
    ii = j;
    const double nrisk = static_cast<double>(end - j);
    if (deaths > 0) {
      for (int g = 0; g < k; ++g) r.expected[g] += w * deaths * risk[g] / nrisk;
      if (nrisk == 1) continue;  // a single subject: no variance
      const double w2 = w * w;
      for (int a = 0; a < k; ++a) {
        const double tmp = w2 * deaths * risk[a] * (nrisk - deaths) / (nrisk * (nrisk - 1));
        var[static_cast<std::size_t>(a) * k + a] += tmp;
        for (int b = 0; b < k; ++b) var[static_cast<std::size_t>(a) * k + b] -= tmp * risk[b] / nrisk;
      }
    }
  }
}

// R/survdiff.R: keep groups with E > 0, drop the first of them, solve.
void set_chisq(LogRankResult& r, int k) {
  const std::vector<double>& var = r.variance;
  std::vector<int> keep;
  for (int g = 0; g < k; ++g) if (r.expected[g] > 0) keep.push_back(g);
  if (keep.size() < 2) {
    r.chisq = r.p_value = std::numeric_limits<double>::quiet_NaN();
    r.df = 0;
    r.untestable = LogRankResult::Untestable::one_group_expected;
    return;
  }
  const int m = static_cast<int>(keep.size()) - 1;
  Eigen::MatrixXd v(m, m);
  Eigen::VectorXd d(m);
  for (int a = 0; a < m; ++a) {
    d(a) = r.observed[keep[a + 1]] - r.expected[keep[a + 1]];
    for (int b = 0; b < m; ++b) v(a, b) = var[static_cast<std::size_t>(keep[a + 1]) * k + keep[b + 1]];
  }
  r.df = m;
  // R's solve.default: dgesv fails on an exactly zero pivot, and the result is
  // refused when the reciprocal condition number is below .Machine$double.eps.
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(v);
  const double rcond = lu.rcond();
  if (!(rcond >= std::numeric_limits<double>::epsilon())) {
    r.chisq = r.p_value = std::numeric_limits<double>::quiet_NaN();
    r.untestable = LogRankResult::Untestable::singular_variance;
    return;
  }
  const Eigen::VectorXd sol = lu.solve(d);
  r.chisq = sol.dot(d);
  r.p_value = chisq_upper_p(r.chisq, m);
}

}  // namespace

LogRankResult log_rank(std::span<const double> time, std::span<const int> status,
                       std::span<const int> group, int n_groups, double rho,
                       std::span<const int> strata, bool timefix) {
  const std::size_t n = time.size();
  if (status.size() != n || group.size() != n || (!strata.empty() && strata.size() != n))
    throw Error(ErrorCategory::internal, "log_rank: input columns differ in length");
  const int k = n_groups;
  if (k < 1) throw Error(ErrorCategory::internal, "log_rank: no groups");
  for (std::size_t i = 0; i < n; ++i)
    if (group[i] < 0 || group[i] >= k) throw Error(ErrorCategory::internal, "log_rank: group code out of range");
  const std::vector<Obs> obs = sorted_observations(time, status, group, strata, timefix);

  LogRankResult r;
  r.rho = rho;
  r.n.assign(k, 0);
  r.observed.assign(k, 0.0);
  r.expected.assign(k, 0.0);
  std::vector<double> var(static_cast<std::size_t>(k) * k, 0.0);
  std::vector<double> kaplan;
  for (const auto& o : obs) r.n[o.group] += 1;
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start;
    while (end < n && obs[end].strat == obs[start].strat) ++end;
    if (rho != 0) stratum_left_km(obs, start, end, kaplan);  // only if rho != 0
    add_stratum(obs, start, end, k, rho, kaplan, r, var);
    start = end;
  }
  r.variance = var;
  set_chisq(r, k);
  return r;
}

TrendTest log_rank_trend(const LogRankResult& r, std::span<const double> scores) {
  const std::size_t k = r.observed.size();
  if (scores.size() != k) throw Error(ErrorCategory::internal, "log_rank_trend: one score per group needed");
  TrendTest t;
  for (std::size_t a = 0; a < k; ++a) {
    t.u += scores[a] * (r.observed[a] - r.expected[a]);
    for (std::size_t b = 0; b < k; ++b) t.variance += scores[a] * r.variance[a * k + b] * scores[b];
  }
  if (!(t.variance > 0)) fail_input("trend test", "scores", "(constant)", "scores that differ between groups");
  t.chisq = t.u * t.u / t.variance;
  t.p_value = chisq_upper_p(t.chisq, 1);
  return t;
}

}  // namespace sirtkit::stats
