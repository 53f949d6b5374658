#pragma once
// The generalised Cholesky decomposition of R survival (src/cholesky2.c,
// chsolve2.c, chinv2.c), shared by the Cox fitters: a pivot below
// toler * max(diag) is set to 0, which marks its column as aliased (R's NA
// coefficient) instead of failing.

#include <Eigen/Dense>
#include <vector>

namespace sirtkit::stats {

// LDL' of a symmetric matrix in place: D on the diagonal, L in the strict
// lower triangle. Returns the rank (negated if not non-negative definite).
int cholesky2(Eigen::MatrixXd& a, double toler);

// Solves with the cholesky2 factor in place; aliased components get 0.
void chsolve2(const Eigen::MatrixXd& a, Eigen::VectorXd& y);

// Inverse of a symmetric matrix restricted to the non-aliased columns; the
// aliased rows and columns are 0 (as chinv2.c leaves them).
Eigen::MatrixXd inverse_nonaliased(const Eigen::MatrixXd& m, const std::vector<bool>& aliased);

}  // namespace sirtkit::stats
