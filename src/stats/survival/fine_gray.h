#pragma once
// Fine-Gray proportional subdistribution-hazards regression for one cause
// with competing events, fitted as cmprsk::crr (cmprsk 2.2-11; Fine & Gray
// 1999, JASA 94:496):
//  - a row failed from a competing cause stays in the risk set of later
//    failure times t with weight G(t-)/G(T_i-), G the Kaplan-Meier of the
//    censoring times (crr's single censoring group, read at t- as crr's
//    approx(..., f = 0) does);
//  - the same Newton-Raphson as crr from b = 0: converged when
//    max_j |score_j| max(|b_j|, 1) < max(|loglik|, 1) gtol (gtol 1e-6), step
//    halving while the objective does not fall by 1e-4 of the predicted
//    change, at most maxiter (10) steps; so the estimates are R's, not just
//    the same optimum;
//  - variance: crr's sandwich H^-1 (sum_i (eta_i + psi_i)(eta_i + psi_i)') H^-1,
//    whose psi_i carries the estimation of G (Fine & Gray 1999 section 4).
// survival's finegray() + weighted coxph (Geskus 2011) estimates the same
// model, but not to the digit: on tied times its coefficients differ (mgus2,
// months: 2e-3 relative; tests/data/competing/finegray.R) and its variance
// ignores the estimation of G. crr is the reference here.

#include <Eigen/Dense>
#include <cstdint>
#include <span>

namespace sirtkit::stats {

struct FineGrayOptions {
  double gtol = 1e-6;  // crr gtol
  int max_iter = 10;   // crr maxiter
  double conf_level = 0.95;
};

struct FineGrayFit {
  int p = 0;
  Eigen::VectorXd coef, se, z, p_value, shr, shr_lower, shr_upper;  // shr = exp(coef), subdistribution HR
  Eigen::MatrixXd var;  // crr $var (sandwich)
  double loglik = 0, loglik_null = 0;  // crr $loglik, $loglik.null (log partial likelihood)
  int iterations = 0;
  bool converged = false;
  std::int64_t n = 0, n_cause = 0, n_competing = 0, n_censored = 0;
};

// status: 0 = censored, `cause` = the failure of interest, any other code >
// 0 = a competing failure. x: n rows, p >= 1 columns.
FineGrayFit fine_gray(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x, int cause,
                      const FineGrayOptions& options = {});

}  // namespace sirtkit::stats
