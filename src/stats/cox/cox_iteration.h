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

// Work buffers reused across iterations, and the row ranges the passes are
// split into (one per thread, each starting at a tied-time group).
struct CoxIterationScratch {
  std::vector<std::size_t> bounds;  // chunk c covers rows [bounds[c], bounds[c + 1])
  LargeVector<double> eta, risk, weight;
  std::vector<std::vector<double>> h_full, h_dead;  // per chunk, per death time, backward order
};

// Splits the rows into `threads` ranges for the parallel passes; one range
// below 20,000 rows, where threads cost more than they save.
CoxIterationScratch make_cox_scratch(const SortedData& d, int threads);

// Returns the log-likelihood at beta; sets u (score) and imat (information).
double cox_iteration(const SortedData& d, Ties ties, const Eigen::VectorXd& beta, Eigen::VectorXd& u,
                     Eigen::MatrixXd& imat, CoxIterationScratch& sc);

}  // namespace sirtkit::stats
