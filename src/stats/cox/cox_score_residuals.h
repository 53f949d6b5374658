#pragma once
// Pieces shared by the score residuals of right-censored and (start, stop]
// Cox fits (Therneau & Grambsch 2000 §4.6; survival coxscore2.c, agscore3.c),
// from which the robust (sandwich) variance is built.

#include <span>
#include <unordered_map>

#include <Eigen/Dense>

namespace sirtkit::stats {

// The hazard increments of one event time: for rows still at risk after it
// (full) and for the tied deaths themselves (dead, Efron's partial weights),
// and the mean covariate the deaths are compared with.
struct EventHazard {
  double h0_full = 0, h0_dead = 0;
  Eigen::VectorXd h1_full, h1_dead, xbar_dead;
};

// s0, s1: risk-set sums of r and r x including the deaths; d0, d1: the same
// over the `deaths` tied deaths. Efron splits the tied deaths' weight; with
// Breslow ties (or one death) both increments are deaths / s0. With case
// weights c (coxscore2.c): r is c exp(eta) in the sums and `death_weight` the
// deaths' summed c (negative: unweighted, = deaths).
EventHazard event_hazard(bool efron, int deaths, double s0, const Eigen::VectorXd& s1, double d0,
                         const Eigen::VectorXd& d1, double death_weight = -1);

// sum of L L' over the rows' score residuals L, or, with clusters, over the
// clusters' summed residuals.
class ResidualCrossprod {
 public:
  ResidualCrossprod(int p, std::span<const int> cluster) : cross_(Eigen::MatrixXd::Zero(p, p)), cluster_(cluster) {}
  // original_row indexes `cluster`.
  void add(const Eigen::VectorXd& resid, std::size_t original_row);
  Eigen::MatrixXd result() const;

 private:
  Eigen::MatrixXd cross_;
  std::span<const int> cluster_;
  std::unordered_map<int, Eigen::VectorXd> cluster_sum_;
};

}  // namespace sirtkit::stats
