#include "stats/cox/cox_zph.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "core/error.h"
#include "core/large_vector.h"
#include "stats/cox/cox_zph_score.h"
#include "stats/survival/kaplan_meier.h"
#include "stats/numerics/parallel.h"
#include "stats/numerics/radix_sort.h"
#include "stats/survival/time_fix.h"

namespace sirtkit::stats {

namespace {

// g(t) = 1 - S(t-) from the pooled KM (cox.zph transform = "km"), centred
// over events; the KM times found by walking both in time order.
std::vector<double> centred_km_transform(std::span<const double> time, std::span<const int> status,
                                         const LargeVector<std::uint32_t>& order) {
  const std::size_t n = time.size();
  std::vector<double> g(n);
  {  // the curve (eight numbers a time) is released before the large arrays that follow
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
  return g;
}

// The rows in (stratum, time) order as zph1.c reads them: centred covariates
// row-major (pz per row), risk scores at beta-hat, g, time, event and the
// last row of each stratum.
struct ZphRows {
  std::size_t pz = 0;
  LargeVector<double> xs, risk, gs, ts;
  LargeVector<char> dead, last_of_stratum;
  bool same_time(std::size_t a, std::size_t b) const {  // sorted rows a < b at one (stratum, time)
    return ts[a] == ts[b] && !last_of_stratum[a];
  }
};

// Centred covariates (zph1.c) in sorted order, row-major, and risk scores at
// beta-hat; the rows are read in input order and written to their sorted place.
ZphRows sorted_zph_rows(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x_all,
                        const CoxFit& fit, const std::vector<int>& keep, std::span<const int> strata,
                        const LargeVector<std::uint32_t>& order, const std::vector<double>& g) {
  const std::size_t n = time.size();
  const int p = static_cast<int>(keep.size());
  const auto pz = static_cast<std::size_t>(p);
  Eigen::VectorXd beta(p), mean(p);
  for (int k = 0; k < p; ++k) {
    beta(k) = fit.coef(keep[static_cast<std::size_t>(k)]);
    mean(k) = x_all.col(keep[static_cast<std::size_t>(k)]).mean();
  }
  LargeVector<std::uint32_t> position(n);
  for (std::size_t i = 0; i < n; ++i) position[order[i]] = static_cast<std::uint32_t>(i);
  std::vector<const double*> col(pz);
  for (std::size_t k = 0; k < pz; ++k) col[k] = x_all.col(keep[k]).data();
  ZphRows rows;
  rows.pz = pz;
  rows.xs.resize(n * pz);
  LargeVector<double> eta(n);
  const std::size_t parts = n >= 20000 ? std::max(1u, std::thread::hardware_concurrency()) : 1;
  run_ranges(n, parts, [&](std::size_t b, std::size_t e) {
    for (std::size_t r = b; r < e; ++r) {
      double* dst = &rows.xs[position[r] * pz];
      double lp = 0;
      for (std::size_t k = 0; k < pz; ++k) {
        dst[k] = col[k][r] - mean(static_cast<Eigen::Index>(k));
        lp += dst[k] * beta(static_cast<Eigen::Index>(k));
      }
      eta[position[r]] = lp;
    }
  });
  LargeVector<std::uint32_t>().swap(position);  // released
  rows.risk = std::move(eta);  // exp(eta) in place
  rows.gs.resize(n);
  rows.ts.resize(n);
  rows.dead.resize(n);
  rows.last_of_stratum.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t r = order[i];
    rows.risk[i] = std::exp(rows.risk[i]);
    rows.gs[i] = g[r];
    rows.ts[i] = time[r];
    rows.dead[i] = status[r] != 0;
    rows.last_of_stratum[i] = i + 1 == n || (!strata.empty() && strata[order[i + 1]] != strata[r]);
  }
  return rows;
}

// zph1.c's backward pass: U (2p) and the 2p x 2p information at (beta-hat, 0).
void zph_backward_pass(const ZphRows& rows, Ties ties, Eigen::VectorXd& u, Eigen::MatrixXd& imat) {
  const std::size_t pz = rows.pz;
  const auto p = static_cast<Eigen::Index>(pz);
  const std::size_t n = rows.ts.size();
  u = Eigen::VectorXd::Zero(2 * p);
  imat = Eigen::MatrixXd::Zero(2 * p, 2 * p);
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
    if (rows.last_of_stratum[static_cast<std::size_t>(ip)]) {
      risk_sums.denom = 0;
      risk_sums.a.setZero();
      risk_sums.cmat.setZero();
    }
    const double timewt = rows.gs[static_cast<std::size_t>(ip)];
    int ndead = 0;
    dead_sums.denom = 0;
    dead_sums.a.setZero();
    dead_sums.cmat.setZero();
    for (;;) {
      const auto i = static_cast<std::size_t>(ip);
      const double* xi = &rows.xs[i * pz];
      if (!rows.dead[i]) {
        add_row(xi, rows.risk[i], risk_sums);
      } else {
        ++ndead;
        for (std::size_t k = 0; k < pz; ++k) u(static_cast<Eigen::Index>(k)) += xi[k];
        for (std::size_t k = 0; k < pz; ++k) u(p + static_cast<Eigen::Index>(k)) += timewt * xi[k];
        add_row(xi, rows.risk[i], dead_sums);
      }
      --ip;
      if (ip < 0 || !rows.same_time(static_cast<std::size_t>(ip), i)) break;
    }
    if (ndead == 0) continue;
    // cox.zph passes method == "efron" to zph1.c: an exact-ties fit is tested
    // with the Breslow sums at its beta, as R does.
    add_zph_event_time(ties == Ties::efron, ndead, timewt, dead_sums, risk_sums, u, imat);
  }
  imat.bottomLeftCorner(p, p) = imat.topRightCorner(p, p).transpose();
}

}  // namespace

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
  const int p = static_cast<int>(columns.keep.size());

  // Rows by time (stable radix sort).
  LargeVector<std::uint32_t> order = ordered ? ordered->order : std::move(own.order);
  std::vector<double> g = centred_km_transform(time, status, order);
  // Then stably by stratum.
  if (!strata.empty())
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return strata[a] < strata[b]; });
  const ZphRows rows = sorted_zph_rows(time, status, x_all, fit, columns.keep, strata, order, g);
  std::vector<double>().swap(g);      // released; from here `time` (which may view `fixed`) is not read
  std::vector<double>().swap(fixed);
  LargeVector<std::uint32_t>().swap(order);

  Eigen::VectorXd u;
  Eigen::MatrixXd imat;
  zph_backward_pass(rows, ties, u, imat);
  return zph_score_tests(u, imat, p, columns.terms);
}

}  // namespace sirtkit::stats
