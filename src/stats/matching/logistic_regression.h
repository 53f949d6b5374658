#pragma once
// Logistic regression fitted as R's glm(y ~ x, family = binomial) does
// (stats::glm.fit, R 4.2): iteratively reweighted least squares from
// mustart = (y + 0.5) / 2, converged when |dev - dev_old| / (|dev| + 0.1) <
// epsilon (glm.control: 1e-8), at most 25 iterations; the same iterations, so
// the same coefficients to rounding, not only the same optimum. Standard
// errors as summary.glm: sqrt(diag((X' W X)^-1)) with the working weights of
// the last least-squares step (dispersion 1).

#include <Eigen/Dense>
#include <span>

namespace sirtkit::stats {

struct LogisticFit {
  Eigen::VectorXd coef;    // intercept first, then one per column of x
  Eigen::VectorXd se;      // sqrt(diag((X' W X)^-1))
  Eigen::VectorXd fitted;  // P(y = 1 | x) per row
  Eigen::VectorXd linear;  // the linear predictor (logit of fitted) per row
  double deviance = 0, null_deviance = 0;
  int iterations = 0;
  bool converged = false;
  bool rank_deficient = false;  // collinear design columns: no fit (coef empty)
  // Fitted probabilities within 10 * DBL_EPSILON of 0 or 1: glm.fit's warning
  // "fitted probabilities numerically 0 or 1 occurred", the mark of (quasi-)
  // complete separation.
  bool separated = false;
};

// y: 0 or 1 per row; x: n rows, the covariates (an intercept is added).
LogisticFit logistic_regression(std::span<const int> y, const Eigen::MatrixXd& x);

}  // namespace sirtkit::stats
