#include "stats/cox_zph.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "core/error.h"
#include "core/large_vector.h"
#include "stats/cox_zph_score.h"
#include "stats/kaplan_meier.h"
#include "stats/parallel.h"
#include "stats/radix_sort.h"
#include "stats/time_fix.h"

namespace sirtkit::stats {

// zph1.c's backward walk over the rows with its operations in its order (the
// score test of a fit whose information is nearly singular, as a monotone
// likelihood gives, depends on their rounding), on rows copied once in time
// order, row-major, instead of read through the sort order from a
// column-major matrix; the per-row sums in plain loops (no Eigen temporaries),
// the event-time step add_zph_event_time as before.
CoxZphResult cox_zph(std::span<const double> time_in, std::span<const int> status, const Eigen::MatrixXd& x_all,
                     const CoxFit& fit, Ties ties, std::span<const int> strata,
                     const std::vector<std::vector<int>>& terms_in, bool timefix, const OrderedTimes* ordered) {
  // The times after timefix, and the rows in their order: the caller's, or sorted here.
  OrderedTimes own;
  if (!ordered) own = aeq_times_in_order(time_in, timefix);
  std::vector<double>& fixed = own.fixed;
  const std::span<const double> time = ordered ? ordered->times(time_in) : own.times(time_in);
  const std::size_t n = time.size();
  if (status.size() != n || static_cast<std::size_t>(x_all.rows()) != n || fit.p != x_all.cols() ||
      (!strata.empty() && strata.size() != n) || (ordered && ordered->order.size() != n))
    throw Error(ErrorCategory::internal, "cox_zph: inputs do not match the fit");

  // Keep the non-aliased columns; remap the terms onto them.
  const ZphColumns columns = zph_columns(fit, terms_in);
  const std::vector<int>& keep = columns.keep;
  const int p = static_cast<int>(keep.size());
  const auto pz = static_cast<std::size_t>(p);

  // Rows by time (stable radix sort).
  LargeVector<std::uint32_t> order = ordered ? ordered->order : std::move(own.order);

  // g(t) = 1 - S(t-) from the pooled KM (cox.zph transform = "km"), centred
  // over events; the KM times found by walking both in time order.
  std::vector<double> g(n);
  {  // the curve (eight numbers a time) is released before the large arrays below
    const KmCurve km = kaplan_meier_in_order(time, status, order);
    for (std::size_t k = 0, idx = 0; k < n; ++k) {
      const double t = time[order[k]];
      while (idx < km.time.size() && km.time[idx] < t) ++idx;  // lower_bound(km.time, t)
      g[order[k]] = 1.0 - (idx == 0 ? 1.0 : km.surv[idx - 1]);
    }
  }
  double gsum = 0;
  std::size_t nevent = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (status[i]) { gsum += g[i]; ++nevent; }
  const double gmean = gsum / static_cast<double>(nevent);
  for (auto& v : g) v -= gmean;

  // Then stably by stratum.
  if (!strata.empty())
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return strata[a] < strata[b]; });

  // Centred covariates (zph1.c) in sorted order, row-major, and risk scores at
  // beta-hat; the rows are read in input order and written to their sorted place.
  Eigen::VectorXd beta(p), mean(p);
  for (int k = 0; k < p; ++k) {
    beta(k) = fit.coef(keep[static_cast<std::size_t>(k)]);
    mean(k) = x_all.col(keep[static_cast<std::size_t>(k)]).mean();
  }
  LargeVector<std::uint32_t> position(n);
  for (std::size_t i = 0; i < n; ++i) position[order[i]] = static_cast<std::uint32_t>(i);
  std::vector<const double*> col(pz);
  for (std::size_t k = 0; k < pz; ++k) col[k] = x_all.col(keep[k]).data();
  LargeVector<double> xs(n * pz), eta(n);
  const std::size_t parts = n >= 20000 ? std::max(1u, std::thread::hardware_concurrency()) : 1;
  run_ranges(n, parts, [&](std::size_t b, std::size_t e) {
    for (std::size_t r = b; r < e; ++r) {
      double* dst = &xs[position[r] * pz];
      double lp = 0;
      for (std::size_t k = 0; k < pz; ++k) {
        dst[k] = col[k][r] - mean(static_cast<Eigen::Index>(k));
        lp += dst[k] * beta(static_cast<Eigen::Index>(k));
      }
      eta[position[r]] = lp;
    }
  });
  LargeVector<std::uint32_t>().swap(position);  // released
  LargeVector<double>& risk = eta;  // exp(eta) in place
  LargeVector<double> gs(n), ts(n);
  LargeVector<char> dead(n), last_of_stratum(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t r = order[i];
    risk[i] = std::exp(eta[i]);
    gs[i] = g[r];
    ts[i] = time[r];
    dead[i] = status[r] != 0;
    last_of_stratum[i] = i + 1 == n || (!strata.empty() && strata[order[i + 1]] != strata[r]);
  }
  std::vector<double>().swap(g);      // released; from here `time` (which may view `fixed`) is not read
  std::vector<double>().swap(fixed);
  auto same_time = [&](std::size_t a, std::size_t b) {  // sorted rows a < b at one (stratum, time)
    return ts[a] == ts[b] && !last_of_stratum[a];
  };

  // Backward pass of zph1.c: U (2p) and the 2p x 2p information at (beta-hat, 0).
  Eigen::VectorXd u = Eigen::VectorXd::Zero(2 * p);
  Eigen::MatrixXd imat = Eigen::MatrixXd::Zero(2 * p, 2 * p);
  ZphRiskSums risk_sums{0, Eigen::VectorXd::Zero(p), Eigen::MatrixXd::Zero(p, p)}, dead_sums = risk_sums;
  std::vector<double> rx(pz);
  // sums += (r, r x, r x x'), each element as Eigen's outer product forms it: x_l (r x_k)
  auto add_row = [&](const double* x, double r, ZphRiskSums& sums) {
    sums.denom += r;
    for (std::size_t k = 0; k < pz; ++k) rx[k] = r * x[k];
    for (std::size_t k = 0; k < pz; ++k) sums.a(static_cast<Eigen::Index>(k)) += rx[k];
    double* cm = sums.cmat.data();  // column-major
    for (std::size_t l = 0; l < pz; ++l)
      for (std::size_t k = 0; k < pz; ++k) cm[l * pz + k] += x[l] * rx[k];
  };
  for (std::ptrdiff_t ip = static_cast<std::ptrdiff_t>(n) - 1; ip >= 0;) {
    if (last_of_stratum[static_cast<std::size_t>(ip)]) {
      risk_sums.denom = 0;
      risk_sums.a.setZero();
      risk_sums.cmat.setZero();
    }
    const double timewt = gs[static_cast<std::size_t>(ip)];
    int ndead = 0;
    dead_sums.denom = 0;
    dead_sums.a.setZero();
    dead_sums.cmat.setZero();
    for (;;) {
      const auto i = static_cast<std::size_t>(ip);
      const double* xi = &xs[i * pz];
      if (!dead[i]) {
        add_row(xi, risk[i], risk_sums);
      } else {
        ++ndead;
        for (std::size_t k = 0; k < pz; ++k) u(static_cast<Eigen::Index>(k)) += xi[k];
        for (std::size_t k = 0; k < pz; ++k) u(p + static_cast<Eigen::Index>(k)) += timewt * xi[k];
        add_row(xi, risk[i], dead_sums);
      }
      --ip;
      if (ip < 0 || !same_time(static_cast<std::size_t>(ip), i)) break;
    }
    if (ndead == 0) continue;
    // cox.zph passes method == "efron" to zph1.c: an exact-ties fit is tested
    // with the Breslow sums at its beta, as R does.
    add_zph_event_time(ties == Ties::efron, ndead, timewt, dead_sums, risk_sums, u, imat);
  }
  imat.bottomLeftCorner(p, p) = imat.topRightCorner(p, p).transpose();
  return zph_score_tests(u, imat, p, columns.terms);
}

}  // namespace sirtkit::stats
