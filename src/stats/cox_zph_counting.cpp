#include "stats/cox_zph_counting.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "stats/distributions.h"
#include "stats/kaplan_meier.h"
#include "stats/time_fix.h"

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
  if (timefix) {  // aeqSurv on the counting Surv, as coxph did before the fit
    std::vector<double> both(start);
    both.insert(both.end(), stop.begin(), stop.end());
    const auto fixed = aeq_times(both);
    if (!fixed.empty())
      for (std::size_t i = 0; i < n; ++i) {
        start[i] = fixed[i];
        stop[i] = fixed[n + i];
      }
  }
  auto stratum_of = [&](std::size_t i) { return strata.empty() ? 0 : strata[i]; };

  // Non-aliased columns, and the terms remapped onto them (as cox_zph).
  std::vector<int> keep, new_index(static_cast<std::size_t>(fit.p), -1);
  for (int j = 0; j < fit.p; ++j)
    if (!fit.aliased[j]) {
      new_index[static_cast<std::size_t>(j)] = static_cast<int>(keep.size());
      keep.push_back(j);
    }
  const int p = static_cast<int>(keep.size());
  if (p == 0) throw Error(ErrorCategory::bad_input, "cox.zph: the model has no estimable coefficients");
  std::vector<std::vector<int>> terms;
  if (terms_in.empty()) {
    for (int j = 0; j < p; ++j) terms.push_back({j});
  } else {
    for (const auto& t : terms_in) {
      std::vector<int> cols;
      for (int j : t)
        if (new_index.at(static_cast<std::size_t>(j)) >= 0) cols.push_back(new_index[static_cast<std::size_t>(j)]);
      if (!cols.empty()) terms.push_back(cols);
    }
  }

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
  Eigen::VectorXd u = Eigen::VectorXd::Zero(2 * p), a = Eigen::VectorXd::Zero(p), a2(p);
  Eigen::MatrixXd imat = Eigen::MatrixXd::Zero(2 * p, 2 * p), cmat = Eigen::MatrixXd::Zero(p, p), cmat2(p, p);
  double denom = 0;
  std::size_t nrisk = 0, person = 0, indx1 = 0;
  int istrat = nu ? stratum_of(by_stop[0]) : 0;
  auto reset = [&] {
    denom = 0;
    nrisk = 0;
    a.setZero();
    cmat.setZero();
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
        const double risk = std::exp(eta(static_cast<Eigen::Index>(r)));
        const auto xr = xc.row(static_cast<Eigen::Index>(r)).transpose();
        denom -= risk;
        a -= risk * xr;
        cmat.noalias() -= risk * xr * xr.transpose();
      }
    }
    double denom2 = 0, timewt = 0;
    int deaths = 0;
    a2.setZero();
    cmat2.setZero();
    for (; person < nu; ++person) {
      const std::size_t r = by_stop[person];
      if (stratum_of(r) != istrat || stop[r] < dtime) break;
      ++nrisk;
      const double risk = std::exp(eta(static_cast<Eigen::Index>(r)));
      const auto xr = xc.row(static_cast<Eigen::Index>(r)).transpose();
      if (status[r]) {
        ++deaths;
        timewt = g[r];
        denom2 += risk;
        u.head(p) += xr;
        u.tail(p) += g[r] * xr;
        a2 += risk * xr;
        cmat2.noalias() += risk * xr * xr.transpose();
      } else {
        denom += risk;
        a += risk * xr;
        cmat.noalias() += risk * xr * xr.transpose();
      }
    }
    // zph2.c is given method == "efron": Breslow sums otherwise.
    const bool breslow = ties != Ties::efron || deaths == 1;
    const int terms_k = breslow ? 1 : deaths;
    const double wt = breslow ? deaths : 1.0;
    for (int t = 0; t < terms_k; ++t) {
      denom += denom2 / terms_k;
      a += a2 / terms_k;
      cmat += cmat2 / terms_k;
      const Eigen::VectorXd mean = a / denom;
      u.head(p) -= wt * mean;
      u.tail(p) -= timewt * wt * mean;
      const Eigen::MatrixXd v = wt * (cmat - mean * a.transpose()) / denom;
      imat.topLeftCorner(p, p) += v;
      imat.topRightCorner(p, p) += timewt * v;
      imat.bottomRightCorner(p, p) += timewt * timewt * v;
    }
  }
  imat.bottomLeftCorner(p, p) = imat.topRightCorner(p, p).transpose();

  // Per term and GLOBAL: chi2 = u' I^-1 u with u = (0, U_gamma[term]).
  CoxZphResult res;
  auto test = [&](const std::vector<int>& cols) {
    const int m = p + static_cast<int>(cols.size());
    std::vector<int> kk(static_cast<std::size_t>(p));
    std::iota(kk.begin(), kk.end(), 0);
    for (int c : cols) kk.push_back(p + c);
    Eigen::MatrixXd sub(m, m);
    Eigen::VectorXd uu = Eigen::VectorXd::Zero(m);
    for (int i = 0; i < m; ++i) {
      if (i >= p) uu(i) = u(kk[static_cast<std::size_t>(i)]);
      for (int j = 0; j < m; ++j) sub(i, j) = imat(kk[static_cast<std::size_t>(i)], kk[static_cast<std::size_t>(j)]);
    }
    const double chi = sub.partialPivLu().solve(uu).dot(uu);
    res.chisq.push_back(chi);
    res.df.push_back(static_cast<int>(cols.size()));
    res.p_value.push_back(chisq_upper_p(chi, static_cast<double>(cols.size())));
  };
  for (const auto& t : terms) test(t);
  std::vector<int> all(static_cast<std::size_t>(p));
  std::iota(all.begin(), all.end(), 0);
  test(all);
  return res;
}

}  // namespace sirtkit::stats
