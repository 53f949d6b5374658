#include "stats/cox/cox_score_residuals.h"

namespace sirtkit::stats {

EventHazard event_hazard(bool efron, int deaths, double s0, const Eigen::VectorXd& s1, double d0,
                         const Eigen::VectorXd& d1, double death_weight) {
  const auto p = s1.size();
  if (death_weight < 0) death_weight = deaths;
  EventHazard h{0, 0, Eigen::VectorXd::Zero(p), Eigen::VectorXd::Zero(p), Eigen::VectorXd::Zero(p)};
  if (!efron || deaths == 1) {
    const Eigen::VectorXd xbar = s1 / s0;
    h.h0_full = h.h0_dead = death_weight / s0;
    h.h1_full = h.h1_dead = h.h0_full * xbar;
    h.xbar_dead = xbar;
    return h;
  }
  for (int k = 0; k < deaths; ++k) {
    const double downwt = static_cast<double>(k) / deaths;
    const double s0k = s0 - downwt * d0;
    const Eigen::VectorXd xbar = (s1 - downwt * d1) / s0k;
    const double haz = (death_weight / deaths) / s0k;  // wtave / s0k (wtave = 1 unweighted)
    h.h0_full += haz;
    h.h1_full += haz * xbar;
    h.h0_dead += (1 - downwt) * haz;
    h.h1_dead += (1 - downwt) * haz * xbar;
    h.xbar_dead += xbar / deaths;
  }
  return h;
}

void ResidualCrossprod::add(const Eigen::VectorXd& resid, std::size_t original_row) {
  if (cluster_.empty()) {
    cross_.noalias() += resid * resid.transpose();
    return;
  }
  auto [it, inserted] = cluster_sum_.try_emplace(cluster_[original_row], Eigen::VectorXd::Zero(resid.size()));
  it->second += resid;
}

Eigen::MatrixXd ResidualCrossprod::result() const {
  Eigen::MatrixXd cross = cross_;
  for (const auto& [id, sum] : cluster_sum_) cross.noalias() += sum * sum.transpose();
  return cross;
}

}  // namespace sirtkit::stats
