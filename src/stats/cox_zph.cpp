#include "stats/cox_zph.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "stats/distributions.h"
#include "stats/kaplan_meier.h"
#include "stats/time_fix.h"

namespace sirtkit::stats {

namespace {

double quad_form_solve(const Eigen::MatrixXd& m, const Eigen::VectorXd& u) {
  // R: drop(solve(imat, u) %*% u)
  return m.partialPivLu().solve(u).dot(u);
}

}  // namespace

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
  std::vector<int> keep, new_index(fit.p, -1);
  for (int j = 0; j < fit.p; ++j)
    if (!fit.aliased[j]) { new_index[j] = static_cast<int>(keep.size()); keep.push_back(j); }
  const int p = static_cast<int>(keep.size());
  if (p == 0) throw Error(ErrorCategory::bad_input, "cox.zph: the model has no estimable coefficients");
  std::vector<std::vector<int>> terms;
  if (terms_in.empty()) {
    for (int j = 0; j < p; ++j) terms.push_back({j});
  } else {
    for (const auto& t : terms_in) {
      std::vector<int> cols;
      for (int j : t) if (new_index.at(j) >= 0) cols.push_back(new_index[j]);
      if (!cols.empty()) terms.push_back(cols);
    }
  }

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

  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (!strata.empty() && strata[a] != strata[b]) return strata[a] < strata[b];
    return time[a] < time[b];
  });

  // Backward pass of zph1.c: U (2p) and the 2p x 2p information at (beta-hat, 0).
  Eigen::VectorXd u = Eigen::VectorXd::Zero(2 * p), a(p), a2(p);
  Eigen::MatrixXd imat = Eigen::MatrixXd::Zero(2 * p, 2 * p), cmat(p, p), cmat2(p, p);
  double denom = 0;
  int cstrat = -1;
  bool first = true;
  for (std::ptrdiff_t ip = static_cast<std::ptrdiff_t>(n) - 1; ip >= 0;) {
    const std::uint32_t person = order[static_cast<std::size_t>(ip)];
    const int s = strata.empty() ? 0 : strata[person];
    if (first || s != cstrat) {
      first = false;
      cstrat = s;
      denom = 0;
      a.setZero();
      cmat.setZero();
    }
    const double dtime = time[person];
    const double timewt = g[person];
    int ndead = 0;
    double denom2 = 0;
    a2.setZero();
    cmat2.setZero();
    for (; ip >= 0; --ip) {
      const std::uint32_t r = order[static_cast<std::size_t>(ip)];
      if (time[r] != dtime || (strata.empty() ? 0 : strata[r]) != cstrat) break;
      const double risk = std::exp(eta(r));
      const auto xr = xc.row(r).transpose();
      if (status[r] == 0) {
        denom += risk;
        a += risk * xr;
        cmat.noalias() += risk * xr * xr.transpose();
      } else {
        ++ndead;
        denom2 += risk;
        u.head(p) += xr;
        u.tail(p) += timewt * xr;
        a2 += risk * xr;
        cmat2.noalias() += risk * xr * xr.transpose();
      }
    }
    if (ndead == 0) continue;
    // cox.zph passes method == "efron" to zph1.c: an exact-ties fit is tested
    // with the Breslow sums at its beta, as R does.
    const bool breslow = ties != Ties::efron;
    const int terms_k = breslow ? 1 : ndead;
    const double wt = breslow ? ndead : 1.0;  // deadwt or wtave (unit weights)
    for (int k = 0; k < terms_k; ++k) {
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

  CoxZphResult r;
  auto test = [&](const std::vector<int>& cols) {
    const int m = p + static_cast<int>(cols.size());
    std::vector<int> kk(p);
    std::iota(kk.begin(), kk.end(), 0);
    for (int c : cols) kk.push_back(p + c);
    Eigen::MatrixXd sub(m, m);
    Eigen::VectorXd uu = Eigen::VectorXd::Zero(m);  // u0 = 0 for the beta part, as R
    for (int i = 0; i < m; ++i) {
      if (i >= p) uu(i) = u(kk[i]);
      for (int j = 0; j < m; ++j) sub(i, j) = imat(kk[i], kk[j]);
    }
    const double chi = quad_form_solve(sub, uu);
    r.chisq.push_back(chi);
    r.df.push_back(static_cast<int>(cols.size()));
    r.p_value.push_back(chisq_upper_p(chi, static_cast<double>(cols.size())));
  };
  for (const auto& t : terms) test(t);
  std::vector<int> all(p);
  std::iota(all.begin(), all.end(), 0);
  test(all);
  return r;
}

}  // namespace sirtkit::stats
