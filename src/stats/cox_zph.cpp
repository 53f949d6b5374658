#include "stats/cox_zph.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "stats/cox_zph_score.h"
#include "stats/kaplan_meier.h"
#include "stats/radix_sort.h"
#include "stats/time_fix.h"

namespace sirtkit::stats {

CoxZphResult cox_zph(std::span<const double> time_in, std::span<const int> status, const Eigen::MatrixXd& x_all,
                     const CoxFit& fit, Ties ties, std::span<const int> strata,
                     const std::vector<std::vector<int>>& terms_in, bool timefix) {
  std::vector<double> fixed;
  if (timefix) fixed = aeq_times(time_in);
  const std::span<const double> time = fixed.empty() ? time_in : std::span<const double>(fixed);
  const std::size_t n = time.size();
  if (status.size() != n || static_cast<std::size_t>(x_all.rows()) != n || fit.p != x_all.cols() ||
      (!strata.empty() && strata.size() != n))
    throw Error(ErrorCategory::internal, "cox_zph: inputs do not match the fit");

  // Keep the non-aliased columns; remap the terms onto them.
  const ZphColumns columns = zph_columns(fit, terms_in);
  const std::vector<int>& keep = columns.keep;
  const int p = static_cast<int>(keep.size());

  // g(t) = 1 - S(t-) from the pooled KM (cox.zph transform = "km"), centred over events.
  const KmCurve km = kaplan_meier(time, status);
  std::vector<double> g(n);
  double gsum = 0;
  std::size_t nevent = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto idx = std::lower_bound(km.time.begin(), km.time.end(), time[i]) - km.time.begin();
    g[i] = 1.0 - (idx == 0 ? 1.0 : km.surv[static_cast<std::size_t>(idx) - 1]);
    if (status[i]) { gsum += g[i]; ++nevent; }
  }
  const double gmean = gsum / static_cast<double>(nevent);
  for (auto& v : g) v -= gmean;

  // Centred covariates (zph1.c) and risk scores at beta-hat.
  Eigen::MatrixXd xc(static_cast<Eigen::Index>(n), p);
  Eigen::VectorXd beta(p);
  for (int k = 0; k < p; ++k) {
    xc.col(k) = x_all.col(keep[k]).array() - x_all.col(keep[k]).mean();
    beta(k) = fit.coef(keep[k]);
  }
  const Eigen::VectorXd eta = xc * beta;

  // Rows by (stratum, time): a stable radix sort by time, then stably by stratum.
  auto order = radix_order(time);
  if (!strata.empty())
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return strata[a] < strata[b]; });

  // Backward pass of zph1.c: U (2p) and the 2p x 2p information at (beta-hat, 0).
  Eigen::VectorXd u = Eigen::VectorXd::Zero(2 * p);
  Eigen::MatrixXd imat = Eigen::MatrixXd::Zero(2 * p, 2 * p);
  ZphRiskSums risk{0, Eigen::VectorXd::Zero(p), Eigen::MatrixXd::Zero(p, p)}, dead = risk;
  int cstrat = -1;
  bool first = true;
  for (std::ptrdiff_t ip = static_cast<std::ptrdiff_t>(n) - 1; ip >= 0;) {
    const std::uint32_t person = order[static_cast<std::size_t>(ip)];
    const int s = strata.empty() ? 0 : strata[person];
    if (first || s != cstrat) {
      first = false;
      cstrat = s;
      risk.denom = 0;
      risk.a.setZero();
      risk.cmat.setZero();
    }
    const double dtime = time[person];
    const double timewt = g[person];
    int ndead = 0;
    dead.denom = 0;
    dead.a.setZero();
    dead.cmat.setZero();
    for (; ip >= 0; --ip) {
      const std::uint32_t r = order[static_cast<std::size_t>(ip)];
      if (time[r] != dtime || (strata.empty() ? 0 : strata[r]) != cstrat) break;
      const double r_risk = std::exp(eta(r));
      const auto xr = xc.row(r).transpose();
      if (status[r] == 0) {
        risk.denom += r_risk;
        risk.a += r_risk * xr;
        risk.cmat.noalias() += r_risk * xr * xr.transpose();
      } else {
        ++ndead;
        dead.denom += r_risk;
        u.head(p) += xr;
        u.tail(p) += timewt * xr;
        dead.a += r_risk * xr;
        dead.cmat.noalias() += r_risk * xr * xr.transpose();
      }
    }
    if (ndead == 0) continue;
    // cox.zph passes method == "efron" to zph1.c: an exact-ties fit is tested
    // with the Breslow sums at its beta, as R does.
    add_zph_event_time(ties == Ties::efron, ndead, timewt, dead, risk, u, imat);
  }
  imat.bottomLeftCorner(p, p) = imat.topRightCorner(p, p).transpose();

  return zph_score_tests(u, imat, p, columns.terms);
}

}  // namespace sirtkit::stats
