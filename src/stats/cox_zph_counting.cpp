#include "stats/cox_zph_counting.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "stats/kaplan_meier.h"
#include "stats/counting_intervals.h"
#include "stats/cox_zph_score.h"

namespace sirtkit::stats {

CoxZphResult cox_zph_counting(std::span<const double> start_in, std::span<const double> stop_in,
                              std::span<const int> status, const Eigen::MatrixXd& x_all, const CoxFit& fit, Ties ties,
                              std::span<const int> strata, const std::vector<std::vector<int>>& terms_in, bool timefix) {
  const std::size_t n = stop_in.size();
  if (start_in.size() != n || status.size() != n || static_cast<std::size_t>(x_all.rows()) != n ||
      fit.p != x_all.cols() || (!strata.empty() && strata.size() != n))
    throw Error(ErrorCategory::internal, "cox_zph_counting: inputs do not match the fit");
  if (ties == Ties::exact)
    fail_input("cox.zph", "ties", "exact",
               "efron or breslow ties: R's cox.zph does not accept an exact-ties fit of (start, stop] data");
  std::vector<double> start(start_in.begin(), start_in.end()), stop(stop_in.begin(), stop_in.end());
  if (timefix) merge_near_tie_intervals(start, stop);  // as coxph did before the fit
  auto stratum_of = [&](std::size_t i) { return strata.empty() ? 0 : strata[i]; };

  // Non-aliased columns, and the terms remapped onto them (as cox_zph).
  const ZphColumns columns = zph_columns(fit, terms_in);
  const std::vector<int>& keep = columns.keep;
  const int p = static_cast<int>(keep.size());

  // g = 1 - S(stop-) from the KM of the (start, stop] rows, centred over the events.
  const KmCurve km = kaplan_meier_counting(start, stop, status, KmOptions{ConfType::log, 0.95, false});
  std::vector<double> g(n);
  double gsum = 0;
  std::size_t nevent = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto idx = std::lower_bound(km.time.begin(), km.time.end(), stop[i]) - km.time.begin();
    g[i] = 1.0 - (idx == 0 ? 1.0 : km.surv[static_cast<std::size_t>(idx) - 1]);
    if (status[i]) {
      gsum += g[i];
      ++nevent;
    }
  }
  if (nevent == 0) fail_input("cox.zph", "event", "no events", "at least one event");
  for (auto& v : g) v -= gsum / static_cast<double>(nevent);

  // Centred covariates and risk scores at beta-hat.
  Eigen::MatrixXd xc(static_cast<Eigen::Index>(n), p);
  Eigen::VectorXd beta(p);
  for (int k = 0; k < p; ++k) {
    xc.col(k) = x_all.col(keep[static_cast<std::size_t>(k)]).array() - x_all.col(keep[static_cast<std::size_t>(k)]).mean();
    beta(k) = fit.coef(keep[static_cast<std::size_t>(k)]);
  }
  const Eigen::VectorXd eta = xc * beta;

  // Rows whose interval holds an event time of their stratum (agreg.fit's
  // used rows: the leave-before-join walk below needs it), in the two orders
  // (stratum, stop descending) and (stratum, start descending).
  std::vector<std::pair<int, double>> event_times;
  for (std::size_t i = 0; i < n; ++i)
    if (status[i]) event_times.emplace_back(stratum_of(i), stop[i]);
  std::sort(event_times.begin(), event_times.end());
  std::vector<std::size_t> used;
  for (std::size_t i = 0; i < n; ++i) {
    const auto it = std::upper_bound(event_times.begin(), event_times.end(), std::make_pair(stratum_of(i), start[i]));
    if (it != event_times.end() && it->first == stratum_of(i) && it->second <= stop[i]) used.push_back(i);
  }
  std::vector<std::size_t> by_stop(used), by_start(used);
  std::stable_sort(by_stop.begin(), by_stop.end(), [&](std::size_t a, std::size_t b) {
    return stratum_of(a) != stratum_of(b) ? stratum_of(a) < stratum_of(b) : stop[a] > stop[b];
  });
  std::stable_sort(by_start.begin(), by_start.end(), [&](std::size_t a, std::size_t b) {
    return stratum_of(a) != stratum_of(b) ? stratum_of(a) < stratum_of(b) : start[a] > start[b];
  });

  // Score (2p) and information (2p x 2p) at (beta-hat, 0): with gamma = 0 each
  // event time t adds U_t and V_t of the fit, times (1, g(t)) and (1, g, g^2).
  const std::size_t nu = used.size();
  Eigen::VectorXd u = Eigen::VectorXd::Zero(2 * p);
  Eigen::MatrixXd imat = Eigen::MatrixXd::Zero(2 * p, 2 * p);
  ZphRiskSums risk{0, Eigen::VectorXd::Zero(p), Eigen::MatrixXd::Zero(p, p)}, dead = risk;
  std::size_t nrisk = 0, person = 0, indx1 = 0;
  int istrat = nu ? stratum_of(by_stop[0]) : 0;
  auto reset = [&] {
    risk.denom = 0;
    nrisk = 0;
    risk.a.setZero();
    risk.cmat.setZero();
  };
  while (person < nu) {
    std::size_t k = person;
    double dtime = 0;
    for (; k < nu; ++k) {
      const std::size_t r = by_stop[k];
      if (stratum_of(r) != istrat) {
        istrat = stratum_of(r);
        reset();
        person = indx1 = k;
      }
      if (status[r]) {
        dtime = stop[r];
        break;
      }
    }
    if (k == nu) break;
    for (; indx1 < nu; ++indx1) {
      const std::size_t r = by_start[indx1];
      if (start[r] < dtime || stratum_of(r) != istrat) break;
      if (--nrisk == 0) {
        reset();
      } else {
        const double r_risk = std::exp(eta(static_cast<Eigen::Index>(r)));
        const auto xr = xc.row(static_cast<Eigen::Index>(r)).transpose();
        risk.denom -= r_risk;
        risk.a -= r_risk * xr;
        risk.cmat.noalias() -= r_risk * xr * xr.transpose();
      }
    }
    double timewt = 0;
    int deaths = 0;
    dead.denom = 0;
    dead.a.setZero();
    dead.cmat.setZero();
    for (; person < nu; ++person) {
      const std::size_t r = by_stop[person];
      if (stratum_of(r) != istrat || stop[r] < dtime) break;
      ++nrisk;
      const double r_risk = std::exp(eta(static_cast<Eigen::Index>(r)));
      const auto xr = xc.row(static_cast<Eigen::Index>(r)).transpose();
      if (status[r]) {
        ++deaths;
        timewt = g[r];
        dead.denom += r_risk;
        u.head(p) += xr;
        u.tail(p) += g[r] * xr;
        dead.a += r_risk * xr;
        dead.cmat.noalias() += r_risk * xr * xr.transpose();
      } else {
        risk.denom += r_risk;
        risk.a += r_risk * xr;
        risk.cmat.noalias() += r_risk * xr * xr.transpose();
      }
    }
    // zph2.c is given method == "efron": Breslow sums otherwise.
    add_zph_event_time(ties == Ties::efron, deaths, timewt, dead, risk, u, imat);
  }
  imat.bottomLeftCorner(p, p) = imat.topRightCorner(p, p).transpose();

  // Per term and GLOBAL: chi2 = u' I^-1 u with u = (0, U_gamma[term]).
  return zph_score_tests(u, imat, p, columns.terms);
}

}  // namespace sirtkit::stats
