#pragma once
// k-sample log-rank and Fleming-Harrington G-rho tests, computed as R's
// survival::survdiff (survival 3.5-3, src/survdiff2.c and R/survdiff.R):
//   - weight at each death time: S(t-)^rho, S the left-continuous pooled
//     Kaplan-Meier within the stratum (Harrington & Fleming 1982);
//     rho = 0 log-rank (Mantel-Haenszel), rho = 1 Peto-Peto modification of
//     the Gehan-Wilcoxon test
//   - O_k = sum w d_k; E_k = sum w d n_k / n;
//     V_jj += w^2 d n_j (n - d) / (n (n - 1)), V_jk -= that * n_k / n
//   - chi2 = (O - E)' V^-1 (O - E) over groups with E > 0 dropping the first;
//     df = (#groups with E > 0) - 1. Strata: O, E, V summed over strata.
//   - timefix: float near-ties merged as aeqSurv (survdiff default).

#include <cstdint>
#include <span>
#include <vector>

namespace sirtkit::stats {

struct LogRankResult {
  double rho = 0;
  std::vector<std::int64_t> n;   // observations per group
  std::vector<double> observed;  // weighted observed events per group (summed over strata)
  std::vector<double> expected;
  std::vector<double> variance;  // k x k, row-major
  double chisq = 0;
  int df = 0;
  double p_value = 1;
  // No test (chisq, p NaN): fewer than two groups with an expected count > 0
  // (R's survdiff prints Chisq = 0 on 0 df), or a variance matrix that R's
  // solve() refuses as singular (reciprocal condition number < machine
  // epsilon, e.g. every event at one time with no one left at risk).
  enum class Untestable { no, one_group_expected, singular_variance };
  Untestable untestable = Untestable::no;
};

// group: codes 0..k-1 (k = number of groups); strata: empty, or codes 0..s-1.
LogRankResult log_rank(std::span<const double> time, std::span<const int> status,
                       std::span<const int> group, int n_groups, double rho = 0,
                       std::span<const int> strata = {}, bool timefix = true);

// Test for trend across ordered groups (Collett 2015, §2.6.4; Peto & Peto
// 1972): U = sum_k s_k (O_k - E_k), var U = s' V s, chi2 = U^2 / var U on 1 df,
// from a log-rank (or G-rho) result and one score per group (e.g. 1, 2, 3).
struct TrendTest {
  double u = 0, variance = 0, chisq = 0, p_value = 1;
};
TrendTest log_rank_trend(const LogRankResult& result, std::span<const double> scores);

}  // namespace sirtkit::stats
