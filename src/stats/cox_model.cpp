#include "stats/cox_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "core/error.h"
#include "stats/cholesky2.h"
#include "stats/cox_exact.h"
#include "stats/cox_summary.h"
#include "stats/distributions.h"
#include "stats/radix_sort.h"
#include "stats/time_fix.h"

namespace sirtkit::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Runs fn(begin, end, thread_index) over [0, n) split into contiguous chunks on
// up to `threads` threads (the calling thread takes the first chunk).
template <class Fn>
void parallel_chunks(std::size_t n, int threads, Fn&& fn) {
  const std::size_t t = static_cast<std::size_t>(std::max(1, threads));
  if (t == 1 || n < 20000) {
    fn(std::size_t{0}, n, 0);
    return;
  }
  std::vector<std::thread> pool;
  const std::size_t step = (n + t - 1) / t;
  for (std::size_t k = 1; k < t; ++k) {
    const std::size_t b = std::min(n, k * step), e = std::min(n, (k + 1) * step);
    pool.emplace_back([&fn, b, e, k] { fn(b, e, static_cast<int>(k)); });
  }
  fn(std::size_t{0}, std::min(n, step), 0);
  for (auto& th : pool) th.join();
}

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// S2 += sum over rows b..e-1 of w_r x_r x_r' (X row-major, n x p): the hot loop
// of a Cox iteration, as blocked matrix products X_b' diag(w_b) X_b.
void accumulate_weighted_outer(const double* X, const double* w, std::size_t b, std::size_t e, int p,
                               Eigen::MatrixXd& s2) {
  constexpr std::size_t kBlock = 512;
  RowMajorMatrix wx;
  for (std::size_t r0 = b; r0 < e; r0 += kBlock) {
    const auto rows = static_cast<Eigen::Index>(std::min(kBlock, e - r0));
    const Eigen::Map<const RowMajorMatrix> xb(X + r0 * static_cast<std::size_t>(p), rows, p);
    const Eigen::Map<const Eigen::VectorXd> wb(w + r0, rows);
    wx.noalias() = wb.asDiagonal() * xb;
    s2.noalias() += xb.transpose() * wx;
  }
}

// Data sorted by (stratum, time) ascending, covariates centred/scaled, row-major.
struct SortedData {
  int n = 0, p = 0;
  std::vector<double> time;
  std::vector<int> status;
  std::vector<char> stratum_end;  // 1 if last row of its stratum
  std::vector<double> x;          // n * p, row-major
  std::vector<std::uint32_t> original_row;
};

// Log-likelihood, score u and information imat at beta: the quantities of
// coxfit6_iter (coxfit6.c), computed in two passes so that each row costs one
// p x p rank-1 update instead of one per death time:
//  1. backward over time: risk-set sums S0 = sum r, S1 = sum r x; at each
//     death time (Efron: each of the d terms k, with the tied deaths at weight
//     (k+1)/d) add to loglik and u, subtract w * mean mean' from imat, and
//     record the hazard increments h_full = sum_k w / S0_k (rows still at
//     risk) and h_dead = sum_k w (k+1) / (d S0_k) (the tied deaths);
//  2. forward over time: imat += r_i H_i x_i x_i', with H_i the sum of the
//     increments of the death times at which row i is at risk.
// Since sum_t w/S0_t * S2_t = sum_i r_i H_i x_i x_i', this equals R's sums up
// to rounding.
struct IterScratch {
  int threads = 1;
  std::vector<double> eta, risk, weight;
  std::vector<double> h_full, h_dead;  // per death time, in backward order
};

double cox_iteration(const SortedData& d, Ties ties, const Eigen::VectorXd& beta, Eigen::VectorXd& u,
                     Eigen::MatrixXd& imat, IterScratch& sc) {
  const int p = d.p;
  const int n = d.n;
  u.setZero(p);
  imat.setZero(p, p);
  sc.risk.resize(n);
  sc.h_full.clear();
  sc.h_dead.clear();
  Eigen::VectorXd a(p), a2(p), mean(p);
  double loglik = 0, denom = 0;
  const double* X = d.x.data();
  sc.eta.resize(n);
  sc.weight.resize(n);
  parallel_chunks(static_cast<std::size_t>(n), sc.threads, [&](std::size_t b, std::size_t e, int) {
    const auto rows = static_cast<Eigen::Index>(e - b);
    Eigen::Map<Eigen::VectorXd>(sc.eta.data() + b, rows).noalias() =
        Eigen::Map<const RowMajorMatrix>(X + b * p, rows, p) * beta;
    for (std::size_t r = b; r < e; ++r) sc.risk[r] = std::exp(sc.eta[r]);
  });
  for (int person = n - 1; person >= 0;) {
    if (d.stratum_end[person]) {
      denom = 0;
      a.setZero();
    }
    const double dtime = d.time[person];
    int ndead = 0;
    double denom2 = 0;
    a2.setZero();
    while (person >= 0 && d.time[person] == dtime) {
      const double* xi = X + static_cast<std::size_t>(person) * p;
      const double zbeta = sc.eta[person];
      const double risk = sc.risk[person];
      if (d.status[person] == 0) {
        denom += risk;
        for (int i = 0; i < p; ++i) a(i) += risk * xi[i];
      } else {
        ++ndead;
        denom2 += risk;
        loglik += zbeta;
        for (int i = 0; i < p; ++i) {
          u(i) += xi[i];
          a2(i) += risk * xi[i];
        }
      }
      --person;
      if (person >= 0 && d.stratum_end[person]) break;  // ties do not cross strata
    }
    if (ndead == 0) continue;
    const bool breslow = ties == Ties::breslow || ndead == 1;
    const int terms = breslow ? 1 : ndead;
    const double wt = breslow ? static_cast<double>(ndead) : 1.0;  // deadwt, or wtave (unit weights)
    double hf = 0, hd = 0;
    for (int k = 0; k < terms; ++k) {
      denom += denom2 / terms;
      a += a2 / terms;
      loglik -= wt * std::log(denom);
      mean = a / denom;
      u -= wt * mean;
      for (int c = 0; c < p; ++c) {
        const double wm = wt * mean(c);
        double* col = &imat(0, c);
        for (int r = c; r < p; ++r) col[r] -= wm * mean(r);
      }
      hf += wt / denom;
      hd += wt * (k + 1) / (static_cast<double>(terms) * denom);
    }
    sc.h_full.push_back(hf);
    sc.h_dead.push_back(hd);
  }
  // Forward pass: each row's weight r_i H_i, then the S2 part of the
  // information as a sum over rows (split over threads).
  std::size_t next_death = sc.h_full.size();  // walking the death times back in ascending order
  double H = 0;
  for (int i = 0; i < n;) {
    int j = i;
    int deaths = 0;
    while (j < n && d.time[j] == d.time[i]) {
      deaths += d.status[j];
      ++j;
      if (d.stratum_end[j - 1]) break;
    }
    double hf = 0, hd = 0;
    if (deaths > 0) {
      --next_death;
      hf = sc.h_full[next_death];
      hd = sc.h_dead[next_death];
    }
    for (int r = i; r < j; ++r) sc.weight[r] = sc.risk[r] * (H + (d.status[r] ? hd : hf));
    H += hf;
    if (d.stratum_end[j - 1]) H = 0;
    i = j;
  }
  const int nt = std::max(1, sc.threads);
  std::vector<Eigen::MatrixXd> s2(static_cast<std::size_t>(nt), Eigen::MatrixXd::Zero(p, p));
  parallel_chunks(static_cast<std::size_t>(n), nt, [&](std::size_t b, std::size_t e, int t) {
    accumulate_weighted_outer(X, sc.weight.data(), b, e, p, s2[static_cast<std::size_t>(t)]);
  });
  for (const auto& m : s2) imat.triangularView<Eigen::Lower>() += m;
  imat.triangularView<Eigen::StrictlyUpper>() = imat.transpose();
  return loglik;
}

// Score residuals (Therneau & Grambsch 2000 §4.6; survival coxscore2.c) at the
// fitted beta, in the scaled coordinates of `d`; accumulates sum_i L_i L_i'
// (or per-cluster sums) for the sandwich variance.
Eigen::MatrixXd score_residual_crossprod(const SortedData& d, Ties ties, const Eigen::VectorXd& beta,
                                         std::span<const int> cluster) {
  const int p = d.p;
  const int n = d.n;
  std::vector<double> risk(n);
  for (int i = 0; i < n; ++i) {
    const double* xi = &d.x[static_cast<std::size_t>(i) * p];
    double z = 0;
    for (int j = 0; j < p; ++j) z += beta(j) * xi[j];
    risk[i] = std::exp(z);
  }
  // Backward pass: per distinct time with deaths, the hazard pieces.
  struct DeathTime {
    double h0_full, h0_dead;
    Eigen::VectorXd h1_full, h1_dead, xbar_dead;
  };
  std::vector<int> death_index(n, -1);  // for each row, index of its time's death record (if any)
  std::vector<DeathTime> deaths;
  {
    Eigen::VectorXd s1(p), d1(p);
    double s0 = 0;
    for (int person = n - 1; person >= 0;) {
      if (d.stratum_end[person]) { s0 = 0; s1.setZero(); }
      const double dtime = d.time[person];
      int ndead = 0;
      double d0 = 0;
      d1.setZero();
      const int last = person;
      while (person >= 0 && d.time[person] == dtime) {
        const double* xi = &d.x[static_cast<std::size_t>(person) * p];
        const double r = risk[person];
        s0 += r;
        for (int j = 0; j < p; ++j) s1(j) += r * xi[j];
        if (d.status[person]) {
          ++ndead;
          d0 += r;
          for (int j = 0; j < p; ++j) d1(j) += r * xi[j];
        }
        --person;
        if (person >= 0 && d.stratum_end[person]) break;
      }
      if (ndead == 0) continue;
      DeathTime dt{0, 0, Eigen::VectorXd::Zero(p), Eigen::VectorXd::Zero(p), Eigen::VectorXd::Zero(p)};
      if (ties == Ties::breslow || ndead == 1) {
        const Eigen::VectorXd xbar = s1 / s0;
        const double haz = ndead / s0;
        dt.h0_full = dt.h0_dead = haz;
        dt.h1_full = dt.h1_dead = haz * xbar;
        dt.xbar_dead = xbar;
      } else {
        for (int k = 0; k < ndead; ++k) {
          const double downwt = static_cast<double>(k) / ndead;
          const double s0k = s0 - downwt * d0;
          const Eigen::VectorXd xbar = (s1 - downwt * d1) / s0k;
          const double haz = 1.0 / s0k;  // wtave = 1 (unit case weights)
          dt.h0_full += haz;
          dt.h1_full += haz * xbar;
          dt.h0_dead += (1 - downwt) * haz;
          dt.h1_dead += (1 - downwt) * haz * xbar;
          dt.xbar_dead += xbar / ndead;
        }
      }
      deaths.push_back(std::move(dt));
      for (int i = person + 1; i <= last; ++i) death_index[i] = static_cast<int>(deaths.size()) - 1;
    }
  }
  // Forward pass: cumulative hazard pieces before each time, within strata.
  Eigen::MatrixXd cross = Eigen::MatrixXd::Zero(p, p);
  std::unordered_map<int, Eigen::VectorXd> cluster_sum;
  double cum0 = 0;
  Eigen::VectorXd cum1 = Eigen::VectorXd::Zero(p), resid(p);
  bool new_stratum = true;
  for (int i = 0; i < n;) {
    if (new_stratum) { cum0 = 0; cum1.setZero(); new_stratum = false; }
    int j = i;
    while (j < n && d.time[j] == d.time[i]) {
      ++j;
      if (d.stratum_end[j - 1]) break;
    }
    const int di = death_index[i];
    for (int k = i; k < j; ++k) {
      const double* xk = &d.x[static_cast<std::size_t>(k) * p];
      double h0 = cum0;
      Eigen::VectorXd h1 = cum1;
      if (di >= 0) {
        const DeathTime& dt = deaths[di];
        h0 += d.status[k] ? dt.h0_dead : dt.h0_full;
        h1 += d.status[k] ? dt.h1_dead : dt.h1_full;
      }
      for (int c = 0; c < p; ++c) {
        resid(c) = -risk[k] * (xk[c] * h0 - h1(c));
        if (d.status[k]) resid(c) += xk[c] - deaths[di].xbar_dead(c);
      }
      if (cluster.empty()) {
        cross.noalias() += resid * resid.transpose();
      } else {
        auto [it, inserted] = cluster_sum.try_emplace(cluster[d.original_row[k]], Eigen::VectorXd::Zero(p));
        it->second += resid;
      }
    }
    if (di >= 0) {
      cum0 += deaths[di].h0_full;
      cum1 += deaths[di].h1_full;
    }
    if (d.stratum_end[j - 1]) new_stratum = true;
    i = j;
  }
  if (!cluster.empty())
    for (const auto& [id, s] : cluster_sum) cross.noalias() += s * s.transpose();
  return cross;
}

}  // namespace

const char* ties_name(Ties ties) {
  switch (ties) {
    case Ties::efron: return "efron";
    case Ties::breslow: return "breslow";
    case Ties::exact: return "exact";
  }
  return "efron";
}

Ties parse_ties(const std::string& name) {
  if (name == "efron") return Ties::efron;
  if (name == "breslow") return Ties::breslow;
  if (name == "exact") return Ties::exact;
  fail_input("options", "ties", name, "efron, breslow or exact");
}

CoxFit cox_fit(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x,
               const CoxOptions& options, std::span<const int> strata, std::span<const int> cluster) {
  const std::size_t n = time.size();
  const int p = static_cast<int>(x.cols());
  if (status.size() != n || static_cast<std::size_t>(x.rows()) != n ||
      (!strata.empty() && strata.size() != n) || (!cluster.empty() && cluster.size() != n))
    throw Error(ErrorCategory::internal, "cox_fit: input columns differ in length");
  if (p < 1) throw Error(ErrorCategory::internal, "cox_fit: no covariates");
  if (n < 2) fail_input("Cox model", "rows", std::to_string(n), "at least 2 observations");
  // coxph(ties = "exact") on right-censored data is coxexact.fit, a different algorithm.
  if (options.ties == Ties::exact) return cox_fit_exact({}, time, status, x, options, strata, cluster);

  // Sort by (stratum, time): coxph.fit order(strata, time); ties keep row order.
  // Radix sort by time (stable), near-ties merged (aeqSurv), then a stable
  // pass by stratum.
  std::vector<std::uint32_t> order = radix_order(time);
  std::vector<double> sorted_time(n);
  for (std::size_t i = 0; i < n; ++i) sorted_time[i] = time[order[i]];
  if (options.timefix && aeq_sorted_times(sorted_time)) {
    // merged runs of equal times: restore input-row order within each run
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i + 1;
      while (j < n && sorted_time[j] == sorted_time[i]) ++j;
      if (j - i > 1) std::sort(order.begin() + static_cast<std::ptrdiff_t>(i), order.begin() + static_cast<std::ptrdiff_t>(j));
      i = j;
    }
  }
  if (!strata.empty()) {
    std::vector<std::size_t> pos(n);
    std::iota(pos.begin(), pos.end(), std::size_t{0});
    std::stable_sort(pos.begin(), pos.end(), [&](std::size_t a, std::size_t b) { return strata[order[a]] < strata[order[b]]; });
    std::vector<std::uint32_t> o2(n);
    std::vector<double> t2(n);
    for (std::size_t i = 0; i < n; ++i) {
      o2[i] = order[pos[i]];
      t2[i] = sorted_time[pos[i]];
    }
    order.swap(o2);
    sorted_time.swap(t2);
  }
  SortedData d;
  d.n = static_cast<int>(n);
  d.p = p;
  d.time.resize(n);
  d.status.resize(n);
  d.stratum_end.assign(n, 0);
  d.x.resize(n * static_cast<std::size_t>(p));
  d.original_row = order;
  std::int64_t nevent = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = order[i];
    d.time[i] = sorted_time[i];
    d.status[i] = status[r] != 0 ? 1 : 0;
    nevent += d.status[i];
    if (i + 1 == n || (!strata.empty() && strata[order[i + 1]] != strata[r])) d.stratum_end[i] = 1;
  }
  // Centre and scale (coxfit6.c), except columns all in {-1, 0, 1} (coxph nocenter).
  Eigen::VectorXd means = Eigen::VectorXd::Zero(p), scale = Eigen::VectorXd::Ones(p);
  for (int j = 0; j < p; ++j) {
    const double* col = x.col(j).data();
    bool zero_one = true;
    for (std::size_t i = 0; i < n && zero_one; ++i) zero_one = col[i] == 0 || col[i] == 1 || col[i] == -1;
    if (zero_one) continue;
    double mean = 0;
    for (std::size_t i = 0; i < n; ++i) mean += col[i];
    mean /= static_cast<double>(n);
    double sabs = 0;
    for (std::size_t i = 0; i < n; ++i) sabs += std::fabs(col[i] - mean);
    scale(j) = sabs > 0 ? static_cast<double>(n) / sabs : 1.0;
    means(j) = mean;
  }
  // Centred, scaled, row-major copy in time order: read the columns
  // sequentially and scatter each row to its sorted position.
  {
    std::vector<std::uint32_t> position(n);
    for (std::size_t i = 0; i < n; ++i) position[order[i]] = static_cast<std::uint32_t>(i);
    std::vector<const double*> cols(static_cast<std::size_t>(p));
    for (int j = 0; j < p; ++j) cols[static_cast<std::size_t>(j)] = x.col(j).data();
    for (std::size_t i = 0; i < n; ++i) {
      double* dst = &d.x[static_cast<std::size_t>(position[i]) * p];
      for (int j = 0; j < p; ++j) dst[j] = (cols[static_cast<std::size_t>(j)][i] - means(j)) * scale(j);
    }
  }

  CoxFit f;
  f.p = p;
  f.n = static_cast<std::int64_t>(n);
  f.nevent = nevent;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p), newbeta(p), u(p), a(p);
  Eigen::MatrixXd imat(p, p), chol(p, p);
  IterScratch scratch;
  scratch.threads = options.threads > 0 ? options.threads
                                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  f.loglik_init = cox_iteration(d, options.ties, beta, u, imat, scratch);
  double best = f.loglik_init;
  a = u;
  chol = imat;
  int flag = cholesky2(chol, options.toler_chol);
  chsolve2(chol, a);
  f.score_test = u.dot(a);
  const Eigen::VectorXd u_init = u;  // for the robust score test
  newbeta = beta + a;

  bool done = false;
  int halving = 0;
  int iter = 1;
  for (; iter <= options.iter_max; ++iter) {
    const double newlk = cox_iteration(d, options.ties, newbeta, u, imat, scratch);
    chol = imat;
    flag = cholesky2(chol, options.toler_chol);
    bool notfinite = !std::isfinite(newlk) || !u.allFinite() || !imat.allFinite();
    if (!notfinite && std::fabs(1 - best / newlk) <= options.eps) {
      best = newlk;
      beta = newbeta;
      f.step_halving_at_end = halving > 0;
      done = true;
      break;
    }
    if (notfinite || newlk < best) {
      ++halving;  // step halving towards the last good beta
      newbeta = (newbeta + halving * beta) / (halving + 1.0);
    } else {
      halving = 0;
      best = newlk;
      chsolve2(chol, u);
      beta = newbeta;
      newbeta = newbeta + u;
    }
  }
  if (!done) {  // ran out of iterations: report the last good beta
    iter = options.iter_max;
    if (options.iter_max > 1) best = cox_iteration(d, options.ties, beta, u, imat, scratch);
    chol = imat;
    flag = cholesky2(chol, options.toler_chol);
    f.converged = false;
  }
  f.iterations = iter;
  f.loglik = best;

  f.aliased.assign(p, false);
  for (int j = 0; j < p; ++j) f.aliased[j] = chol(j, j) == 0;
  (void)flag;
  const Eigen::MatrixXd var_scaled = inverse_nonaliased(imat, f.aliased);
  f.coef.resize(p);
  f.var.resize(p, p);
  for (int i = 0; i < p; ++i) {
    f.coef(i) = beta(i) * scale(i);
    for (int j = 0; j < p; ++j) f.var(i, j) = var_scaled(i, j) * scale(i) * scale(j);
  }
  // Infinite-coefficient check of coxph.fit: |u var| > eps and > toler.inf |coef|.
  const Eigen::VectorXd u_orig = u.cwiseQuotient(scale);
  const Eigen::VectorXd infs = (u_orig.transpose() * f.var).transpose().cwiseAbs();
  f.maybe_infinite.assign(p, false);
  if (f.converged)
    for (int j = 0; j < p; ++j)
      f.maybe_infinite[j] = infs(j) > options.eps && infs(j) > options.toler_inf * std::fabs(f.coef(j));

  summarise_cox_fit(f, options);

  if (options.robust || !cluster.empty()) {
    const Eigen::VectorXd beta_fit = with_aliased_as_zero(beta, f.aliased);
    const Eigen::MatrixXd cross = score_residual_crossprod(d, options.ties, beta_fit, cluster);
    // dfbeta = L var (scaled coordinates); robust var = var B var, then unscale.
    const Eigen::MatrixXd rv = var_scaled * cross * var_scaled;
    f.robust_var.resize(p, p);
    f.robust_se.resize(p);
    for (int i = 0; i < p; ++i)
      for (int j = 0; j < p; ++j) f.robust_var(i, j) = rv(i, j) * scale(i) * scale(j);
    for (int j = 0; j < p; ++j) f.robust_se(j) = f.aliased[j] ? kNaN : std::sqrt(f.robust_var(j, j));
    use_robust_variance(f, options);
    set_robust_score_test(f, score_residual_crossprod(d, options.ties, Eigen::VectorXd::Zero(p), cluster), u_init,
                          options);
  }

  if (options.concordance) {
    // Linear predictor in time-descending order (the sorted rows walked backwards).
    const Eigen::VectorXd lp_rows = x * with_aliased_as_zero(f.coef, f.aliased);
    std::vector<double> t_desc(n), lp(n);
    std::vector<int> s_desc(n), st_desc;
    if (!strata.empty()) st_desc.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = n - 1 - k;
      t_desc[k] = d.time[i];
      s_desc[k] = d.status[i];
      lp[k] = lp_rows(static_cast<Eigen::Index>(d.original_row[i]));
      if (!strata.empty()) st_desc[k] = strata[d.original_row[i]];
    }
    set_concordance(f, concordance_presorted(t_desc, s_desc, lp, st_desc));
  }
  return f;
}

}  // namespace sirtkit::stats
