#pragma once
// The rows of a right-censored Cox model as coxph.fit hands them to
// coxfit6.c: sorted by (stratum, time), covariates centred and scaled.

#include <cstdint>
#include <span>

#include <Eigen/Dense>

#include "core/large_vector.h"

namespace sirtkit::stats {

struct SortedData {
  int n = 0, p = 0;
  LargeVector<double> time;
  LargeVector<int> status;
  LargeVector<char> stratum_end;  // 1 if last row of its stratum
  LargeVector<double> x;          // n * p, row-major: (x - means) * scale
  LargeVector<double> weight;     // case weights in sorted order; empty = every weight 1
  LargeVector<std::uint32_t> original_row;
  Eigen::VectorXd means, scale;   // per column; 0 and 1 for columns all in {-1, 0, 1}
  std::int64_t nevent = 0;
};

// Stable order by (stratum, time), as order(strata, time) in coxph.fit, with
// float near-ties merged first (aeqSurv) when timefix is set. `threads`
// splits the covariate copy. `weights` (empty or one per row, > 0): case
// weights, which also weight the centring mean and scale as coxfit6.c does.
SortedData sort_and_scale(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x,
                          std::span<const int> strata, bool timefix, int threads,
                          std::span<const double> weights = {});

// The case weight of sorted row i (1 when the fit is unweighted).
inline double case_weight(const SortedData& d, std::size_t i) { return d.weight.empty() ? 1.0 : d.weight[i]; }

}  // namespace sirtkit::stats
