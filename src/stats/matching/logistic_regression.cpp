#include "stats/matching/logistic_regression.h"

#include <cmath>
#include <limits>

#include "core/error.h"

namespace sirtkit::stats {

namespace {

// binomial()$dev.resids summed, unit weights: -2 log(mu) for y = 1, -2 log(1 - mu) for y = 0.
double deviance(std::span<const int> y, const Eigen::VectorXd& mu) {
  double dev = 0;
  for (Eigen::Index i = 0; i < mu.size(); ++i) dev += y[static_cast<std::size_t>(i)] ? -2 * std::log(mu(i)) : -2 * std::log(1 - mu(i));
  return dev;
}

// binomial()$linkinv (C_logit_linkinv): eta beyond +-30 clamped to exp(+-30)'s
// stand-ins DBL_EPSILON and 1 / DBL_EPSILON.
double inv_logit(double eta) {
  constexpr double thresh = 30, eps = std::numeric_limits<double>::epsilon();
  const double e = eta < -thresh ? eps : eta > thresh ? 1 / eps : std::exp(eta);
  return e / (1 + e);
}

}  // namespace

LogisticFit logistic_regression(std::span<const int> y, const Eigen::MatrixXd& x) {
  const auto n = static_cast<Eigen::Index>(y.size());
  if (x.rows() != n) throw Error(ErrorCategory::internal, "logistic_regression: x and y have different numbers of rows");
  const Eigen::Index p = x.cols() + 1;
  Eigen::MatrixXd X(n, p);
  X.col(0).setOnes();
  X.rightCols(x.cols()) = x;
  Eigen::VectorXd mu(n), eta(n), z(n), w(n), coef = Eigen::VectorXd::Zero(p);
  double ybar = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const int yi = y[static_cast<std::size_t>(i)];
    mu(i) = (yi + 0.5) / 2;  // binomial()$initialize with unit weights
    eta(i) = std::log(mu(i) / (1 - mu(i)));
    ybar += yi;
  }
  ybar /= static_cast<double>(n);
  LogisticFit f;
  double devold = deviance(y, mu);
  for (int iter = 1; iter <= 25; ++iter) {
    for (Eigen::Index i = 0; i < n; ++i) {
      // mu.eta for the logit link is mu (1 - mu), floored at DBL_EPSILON (C_logit_mu_eta);
      // the working weight sqrt(mu.eta^2 / variance) then equals sqrt(mu.eta).
      const double me = std::max(mu(i) * (1 - mu(i)), std::numeric_limits<double>::epsilon());
      z(i) = eta(i) + (y[static_cast<std::size_t>(i)] - mu(i)) / me;
      w(i) = std::sqrt(me * me / (mu(i) * (1 - mu(i))));
    }
    // Weighted least squares by a QR decomposition, as glm.fit's C_Cdqrls.
    const Eigen::MatrixXd wx = w.asDiagonal() * X;
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(wx);
    qr.setThreshold(1e-7);  // glm.control's default tolerance for the rank
    if (qr.rank() < p) {
      f.rank_deficient = true;
      return f;
    }
    coef = qr.solve(w.cwiseProduct(z));
    eta = X * coef;
    for (Eigen::Index i = 0; i < n; ++i) mu(i) = inv_logit(eta(i));
    const double dev = deviance(y, mu);
    f.iterations = iter;
    const bool done = std::fabs(dev - devold) / (std::fabs(dev) + 0.1) < 1e-8;
    devold = dev;
    if (done) {
      f.converged = true;
      break;
    }
  }
  f.coef = coef;
  f.deviance = devold;
  f.null_deviance =
      ybar > 0 && ybar < 1 ? -2 * static_cast<double>(n) * (ybar * std::log(ybar) + (1 - ybar) * std::log(1 - ybar)) : 0.0;
  const Eigen::MatrixXd xtwx = X.transpose() * w.cwiseProduct(w).asDiagonal() * X;
  f.se = xtwx.inverse().diagonal().cwiseSqrt();
  f.fitted = mu;
  f.linear = eta;
  const double eps = 10 * std::numeric_limits<double>::epsilon();  // glm.fit's check
  for (Eigen::Index i = 0; i < n; ++i) f.separated = f.separated || mu(i) > 1 - eps || mu(i) < eps;
  return f;
}

}  // namespace sirtkit::stats
