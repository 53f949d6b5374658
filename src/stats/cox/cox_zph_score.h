#pragma once
// The parts of the cox.zph score test that do not depend on how the risk sets
// are walked, shared by cox_zph (right-censored, zph1.c) and cox_zph_counting
// ((start, stop] rows, zph2.c): the estimable columns and terms, the per-time
// score and information terms, and the per-term and GLOBAL tests.

#include <Eigen/Dense>
#include <vector>

#include "stats/cox/cox_model.h"
#include "stats/cox/cox_zph.h"

namespace sirtkit::stats {

// The non-aliased design columns of the fit (`keep`, R drops NA coefficients)
// and the terms remapped onto their positions in `keep`; with no terms given,
// one term per kept column. Fails (bad input) when no column is estimable.
struct ZphColumns {
  std::vector<int> keep;
  std::vector<std::vector<int>> terms;
};
ZphColumns zph_columns(const CoxFit& fit, const std::vector<std::vector<int>>& terms_in);

// Running sums over a set of rows with risk r and centred covariates x:
// denom = sum r, a = sum r x, cmat = sum r x x'.
struct ZphRiskSums {
  double denom = 0;
  Eigen::VectorXd a;
  Eigen::MatrixXd cmat;
};

// One event time with `deaths` tied events and transform value timewt = g(t):
// the deaths' sums `dead` join `risk` in one Breslow step (weight = deaths) or
// in `deaths` Efron steps of 1/deaths each, and each step subtracts the mean
// from u = (U_beta, U_gamma) and adds the variance to the 2p x 2p information
// blocks (beta, beta), (beta, gamma) and (gamma, gamma) (upper part only).
void add_zph_event_time(bool efron, int deaths, double timewt, const ZphRiskSums& dead, ZphRiskSums& risk,
                        Eigen::VectorXd& u, Eigen::MatrixXd& imat);

// chi2 = u' I^-1 u with u = (0, U_gamma[term]) for each term, then GLOBAL
// (all p columns); imat must be the full symmetric 2p x 2p information.
CoxZphResult zph_score_tests(const Eigen::VectorXd& u, const Eigen::MatrixXd& imat, int p,
                             const std::vector<std::vector<int>>& terms);

}  // namespace sirtkit::stats
