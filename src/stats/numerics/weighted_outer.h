#pragma once
// The lower triangle of sum_r w_r x_r x_r' over rows of a row-major matrix:
// the p x p sums of the Cox information (stats/cox/cox_iteration.cpp).

#include <algorithm>
#include <cstddef>

#include <Eigen/Dense>

#include "stats/numerics/fixed_columns.h"

namespace sirtkit::stats {

// Lower triangle of sum += sum over rows b..e-1 of w_r x_r x_r' (X row-major
// with p columns; P = p fixed at compile time, or 0: stats/numerics/fixed_columns.h).
// Up to 32 columns: four rows at a time straight into the lower triangle,
// twice as fast here as Eigen's blocked rank-k update (whose packing and
// 4 x 4 blocks cost more than they save at p = 10); wider designs take that
// update, on rows scaled by sqrt(w) (w >= 0).
template <int P>
void accumulate_weighted_outer(const double* X, const double* w, std::size_t b, std::size_t e, int p_given,
                               Eigen::MatrixXd& sum) {
  const int p = columns<P>(p_given);
  const auto pz = static_cast<std::size_t>(p);
  if (p <= 32) {
    double* s = sum.data();  // column-major: column j holds rows j..p-1 of the lower triangle
    std::size_t r = b;
    for (; r + 4 <= e; r += 4) {
      const double* x0 = X + r * pz;
      const double* x1 = x0 + pz;
      const double* x2 = x1 + pz;
      const double* x3 = x2 + pz;
      for (std::size_t j = 0; j < pz; ++j) {
        const double a0 = w[r] * x0[j], a1 = w[r + 1] * x1[j], a2 = w[r + 2] * x2[j], a3 = w[r + 3] * x3[j];
        double* col = s + j * pz;
        for (std::size_t i = j; i < pz; ++i) col[i] += a0 * x0[i] + a1 * x1[i] + a2 * x2[i] + a3 * x3[i];
      }
    }
    for (; r < e; ++r) {
      const double* x0 = X + r * pz;
      for (std::size_t j = 0; j < pz; ++j) {
        const double a0 = w[r] * x0[j];
        double* col = s + j * pz;
        for (std::size_t i = j; i < pz; ++i) col[i] += a0 * x0[i];
      }
    }
    return;
  }
  using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  constexpr std::size_t kBlock = 256;
  RowMajorMatrix scaled(static_cast<Eigen::Index>(kBlock), p);
  for (std::size_t r0 = b; r0 < e; r0 += kBlock) {
    const auto rows = static_cast<Eigen::Index>(std::min(kBlock, e - r0));
    const Eigen::Map<const RowMajorMatrix> xb(X + r0 * pz, rows, p);
    const Eigen::Map<const Eigen::VectorXd> wb(w + r0, rows);
    scaled.topRows(rows).noalias() = wb.cwiseSqrt().asDiagonal() * xb;
    sum.selfadjointView<Eigen::Lower>().rankUpdate(scaled.topRows(rows).transpose());
  }
}

}  // namespace sirtkit::stats
