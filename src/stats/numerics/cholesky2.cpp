#include "stats/numerics/cholesky2.h"

#include <cmath>

namespace sirtkit::stats {

// cholesky2.c (survival): LDL' of a symmetric matrix; pivots below
// toler * max(diag) are set to 0 (aliased columns). D on the diagonal, L in the
// strict lower triangle. Returns rank (negated if not non-negative definite).
int cholesky2(Eigen::MatrixXd& a, double toler) {
  const int n = static_cast<int>(a.rows());
  int nonneg = 1;
  double eps = 0;
  for (int i = 0; i < n; ++i) {
    if (a(i, i) > eps) eps = a(i, i);
    for (int j = i + 1; j < n; ++j) a(j, i) = a(i, j);
  }
  eps = eps == 0 ? toler : eps * toler;
  int rank = 0;
  for (int i = 0; i < n; ++i) {
    const double pivot = a(i, i);
    if (!std::isfinite(pivot) || pivot < eps) {
      a(i, i) = 0;
      if (pivot < -8 * eps) nonneg = -1;
    } else {
      ++rank;
      for (int j = i + 1; j < n; ++j) {
        const double temp = a(j, i) / pivot;
        a(j, i) = temp;
        a(j, j) -= temp * temp * pivot;
        for (int k = j + 1; k < n; ++k) a(k, j) -= temp * a(k, i);
      }
    }
  }
  return rank * nonneg;
}

// chsolve2.c: solve with the cholesky2 factor; aliased components get 0.
void chsolve2(const Eigen::MatrixXd& a, Eigen::VectorXd& y) {
  const int n = static_cast<int>(a.rows());
  for (int i = 0; i < n; ++i) {
    double temp = y(i);
    for (int j = 0; j < i; ++j) temp -= y(j) * a(i, j);
    y(i) = temp;
  }
  for (int i = n - 1; i >= 0; --i) {
    if (a(i, i) == 0) {
      y(i) = 0;
    } else {
      double temp = y(i) / a(i, i);
      for (int j = i + 1; j < n; ++j) temp -= y(j) * a(j, i);
      y(i) = temp;
    }
  }
}

// Inverse of a symmetric matrix restricted to the non-aliased columns
// (chinv2.c leaves aliased rows/columns at 0).
Eigen::MatrixXd inverse_nonaliased(const Eigen::MatrixXd& m, const std::vector<bool>& aliased) {
  const int p = static_cast<int>(m.rows());
  std::vector<int> keep;
  for (int i = 0; i < p; ++i) if (!aliased[i]) keep.push_back(i);
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(p, p);
  if (keep.empty()) return out;
  const int k = static_cast<int>(keep.size());
  Eigen::MatrixXd sub(k, k);
  for (int a = 0; a < k; ++a)
    for (int b = 0; b < k; ++b) sub(a, b) = m(keep[a], keep[b]);
  const Eigen::MatrixXd inv = sub.ldlt().solve(Eigen::MatrixXd::Identity(k, k));
  for (int a = 0; a < k; ++a)
    for (int b = 0; b < k; ++b) out(keep[a], keep[b]) = inv(a, b);
  return out;
}

}  // namespace sirtkit::stats
