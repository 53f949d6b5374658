#pragma once

// One Newton-Raphson evaluation of the Cox partial likelihood (right-censored
// data, Efron or Breslow ties): log-likelihood, score and information, as
// coxfit6_iter of R's survival package (coxfit6.c) computes them.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "core/large_vector.h"
#include "stats/cox/cox_model.h"
#include "stats/cox/cox_sorted_data.h"

namespace sirtkit::stats {

// Work buffers reused across iterations, and the row ranges (chunks) the
// passes are split into, each starting at a tied-time group.
struct CoxIterationScratch {
  std::vector<std::size_t> bounds;  // chunk c covers rows [bounds[c], bounds[c + 1])
  int threads = 1;                  // the chunks are shared out among this many threads
  LargeVector<double> eta, risk;
  LargeVector<double> weight;  // per row: the hazard increment of its time, then r_i H_i (the information's weight)
  LargeVector<double> step;    // per row: the hazard its time adds for later rows (on the time's last row), else 0
};

// Rows per chunk: below twice this, one chunk (threads would cost more than
// they save).
inline constexpr std::size_t kRowsPerChunk = 10000;

// Splits the rows into n / rows_per_chunk chunks (at least one), whatever the
// thread count: each chunk's sums are formed alone and added in chunk order,
// so the results do not depend on `threads`, only on the data.
CoxIterationScratch make_cox_scratch(const SortedData& d, int threads, std::size_t rows_per_chunk = kRowsPerChunk);

// Returns the log-likelihood at beta; sets u (score) and imat (information).
double cox_iteration(const SortedData& d, Ties ties, const Eigen::VectorXd& beta, Eigen::VectorXd& u,
                     Eigen::MatrixXd& imat, CoxIterationScratch& sc);

}  // namespace sirtkit::stats
