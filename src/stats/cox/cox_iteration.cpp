#include "stats/cox/cox_iteration.h"

#include <algorithm>
#include <cmath>

#include "stats/numerics/parallel.h"

namespace sirtkit::stats {

// The quantities of coxfit6_iter (coxfit6.c) are computed in passes that each
// cost O(n p) or one p x p rank-1 update per row, instead of one per death
// time:
//  1. risk scores r = exp(x beta);
//  2. backward over time: risk-set sums S0 = sum r, S1 = sum r x; at each
//     death time (Efron: each of the d terms k, the tied deaths at weight
//     (k+1)/d) add to loglik and u, subtract w * mean mean' from imat, and
//     record the hazard increments h_full = sum_k w / S0_k (rows still at
//     risk) and h_dead = sum_k w (k+1) / (d S0_k) (the tied deaths);
//  3. forward over time: imat += r_i H_i x_i x_i', with H_i the sum of the
//     increments of the death times at which row i is at risk.
// Since sum_t w/S0_t * S2_t = sum_i r_i H_i x_i x_i', this equals R's sums up
// to rounding.
//
// Case weights c_i (coxfit6.c): r_i becomes c_i exp(eta_i) in every risk-set
// sum, a death adds c_i eta_i to loglik and c_i x_i to u, and the tied deaths
// of a time count with their summed weight (Breslow) or its mean per Efron
// term. Unit weights give the same operations on exact 1s.
//
// Each pass runs on contiguous row ranges in parallel. The running sums a
// range needs from its neighbours (the risk-set sums of the later rows of its
// stratum, the cumulative hazard of the earlier ones) are the ranges' own
// partial sums, added up in a short serial step between the passes.

namespace {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr std::size_t kMinRowsPerThread = 10000;

// Lower triangle of sum += sum over rows b..e-1 of w_r x_r x_r' (X row-major
// with p columns). Up to 32 columns: four rows at a time straight into the
// lower triangle, twice as fast here as Eigen's blocked rank-k update (whose
// packing and 4 x 4 blocks cost more than they save at p = 10); wider
// designs take that update, on rows scaled by sqrt(w) (w >= 0).
void accumulate_weighted_outer(const double* X, const double* w, std::size_t b, std::size_t e, int p,
                               Eigen::MatrixXd& sum) {
  const auto pz = static_cast<std::size_t>(p);
  if (p <= 32) {
    double* s = sum.data();  // column-major: column j holds rows j..p-1 of the lower triangle
    std::size_t r = b;
    for (; r + 4 <= e; r += 4) {
      const double* x0 = X + r * pz;
      const double* x1 = x0 + pz;
      const double* x2 = x1 + pz;
      const double* x3 = x2 + pz;
      for (std::size_t j = 0; j < pz; ++j) {
        const double a0 = w[r] * x0[j], a1 = w[r + 1] * x1[j], a2 = w[r + 2] * x2[j], a3 = w[r + 3] * x3[j];
        double* col = s + j * pz;
        for (std::size_t i = j; i < pz; ++i) col[i] += a0 * x0[i] + a1 * x1[i] + a2 * x2[i] + a3 * x3[i];
      }
    }
    for (; r < e; ++r) {
      const double* x0 = X + r * pz;
      for (std::size_t j = 0; j < pz; ++j) {
        const double a0 = w[r] * x0[j];
        double* col = s + j * pz;
        for (std::size_t i = j; i < pz; ++i) col[i] += a0 * x0[i];
      }
    }
    return;
  }
  constexpr std::size_t kBlock = 256;
  RowMajorMatrix scaled(static_cast<Eigen::Index>(kBlock), p);
  for (std::size_t r0 = b; r0 < e; r0 += kBlock) {
    const auto rows = static_cast<Eigen::Index>(std::min(kBlock, e - r0));
    const Eigen::Map<const RowMajorMatrix> xb(X + r0 * pz, rows, p);
    const Eigen::Map<const Eigen::VectorXd> wb(w + r0, rows);
    scaled.topRows(rows).noalias() = wb.cwiseSqrt().asDiagonal() * xb;
    sum.selfadjointView<Eigen::Lower>().rankUpdate(scaled.topRows(rows).transpose());
  }
}

// a += risk x; mean = a / denom (as a times 1 / denom: one division, not p);
// u += w x; u -= w mean, element by element (the arrays never overlap:
// restrict lets the compiler use packed operations).
void add_lone_death(const double* __restrict x, double risk, double w, double denom, int p, double* __restrict a,
                    double* __restrict mean, double* __restrict u) {
  const double inv = 1.0 / denom;
  for (int i = 0; i < p; ++i) {
    a[i] += risk * x[i];
    mean[i] = a[i] * inv;
    u[i] += w * x[i];
    u[i] -= w * mean[i];
  }
}

// a += risk x, element by element.
void add_scaled(const double* __restrict x, double risk, int p, double* __restrict a) {
  for (int i = 0; i < p; ++i) a[i] += risk * x[i];
}

struct RiskSums {
  double s0 = 0;      // sum of r
  Eigen::VectorXd s1;  // sum of r x
};

struct ChunkHead {
  RiskSums head;        // rows from the chunk's start to its first stratum end (all rows if none)
  bool closed = false;  // a stratum ends inside the chunk
};

// Pass 1 on rows [b, e): eta, risk, and (with_head) the head sums the
// previous chunk's backward pass starts from.
ChunkHead risk_scores(const SortedData& d, const Eigen::VectorXd& beta, std::size_t b, std::size_t e, bool with_head,
                      CoxIterationScratch& sc) {
  const int p = d.p;
  ChunkHead h;
  h.head.s1 = Eigen::VectorXd::Zero(p);
  bool in_head = with_head;
  const bool at_zero = beta.isZero(0.0);  // the first iteration: every eta is 0 and risk exp(0) = 1
  for (std::size_t r = b; r < e; ++r) {
    const double* xr = &d.x[r * static_cast<std::size_t>(p)];
    double eta = 0;
    if (!at_zero)
      for (int j = 0; j < p; ++j) eta += xr[j] * beta(j);
    sc.eta[r] = eta;
    // the weighted risk c exp(eta) (c = 1 unweighted)
    sc.risk[r] = d.weight.empty() ? (at_zero ? 1.0 : std::exp(eta)) : d.weight[r] * (at_zero ? 1.0 : std::exp(eta));
    if (!in_head) continue;
    h.head.s0 += sc.risk[r];
    for (int j = 0; j < p; ++j) h.head.s1(j) += sc.risk[r] * xr[j];
    in_head = !d.stratum_end[r];  // the head ends at the first stratum end
  }
  const auto* ends = d.stratum_end.data();
  h.closed = std::find(ends + b, ends + e, 1) != ends + e;
  return h;
}

struct ChunkBackward {
  double loglik = 0;
  Eigen::VectorXd u;
  Eigen::MatrixXd mean_outer;  // sum over death terms of w mean mean' (subtracted from imat)
  double tail_hazard = 0;      // sum of h_full over death times after the chunk's last stratum end
};

// Pass 2 on rows [b, e), walking time backwards from the risk-set sums of the
// later rows of the same stratum.
ChunkBackward backward_pass(const SortedData& d, Ties ties, std::size_t b, std::size_t e, const RiskSums& incoming,
                            std::vector<double>& h_full_out, std::vector<double>& h_dead_out,
                            const CoxIterationScratch& sc) {
  // Filled through local vectors: the chunks' vector headers share a cache
  // line, and a push_back on them from two threads halves the speed.
  std::vector<double> h_full = std::move(h_full_out), h_dead = std::move(h_dead_out);
  const int p = d.p;
  constexpr int kBuffer = 256;  // death-time means collected for one blocked product
  RowMajorMatrix means(kBuffer, p);
  std::vector<double> mean_weight(kBuffer);
  int buffered = 0;
  ChunkBackward out;
  out.u = Eigen::VectorXd::Zero(p);
  out.mean_outer = Eigen::MatrixXd::Zero(p, p);
  auto flush = [&] {
    accumulate_weighted_outer(means.data(), mean_weight.data(), 0, static_cast<std::size_t>(buffered), p,
                              out.mean_outer);
    buffered = 0;
  };
  h_full.clear();
  h_dead.clear();
  double denom = incoming.s0;
  Eigen::VectorXd a = incoming.s1, a2(p);
  bool in_tail = true;
  const auto first = static_cast<std::ptrdiff_t>(b);
  for (auto person = static_cast<std::ptrdiff_t>(e) - 1; person >= first;) {
    if (d.stratum_end[person]) {
      denom = 0;
      a.setZero();
      in_tail = false;
    }
    const bool alone = person == first || d.stratum_end[person - 1] || d.time[person - 1] != d.time[person];
    if (alone && d.status[person]) {
      // One death alone at its time, the usual case with continuous times: the
      // same operations in the same order as the general case below, fused.
      const double* xi = &d.x[static_cast<std::size_t>(person) * p];
      const double risk = sc.risk[person];
      const double w = case_weight(d, static_cast<std::size_t>(person));
      out.loglik += w * sc.eta[person];
      denom += risk;
      out.loglik -= w * std::log(denom);
      add_lone_death(xi, risk, w, denom, p, a.data(), &means(buffered, 0), out.u.data());
      mean_weight[static_cast<std::size_t>(buffered)] = w;
      if (++buffered == kBuffer) flush();
      h_full.push_back(w / denom);
      h_dead.push_back(w / denom);
      if (in_tail) out.tail_hazard += w / denom;
      --person;
      continue;
    }
    if (alone) {  // one censored row alone at its time: joins the risk set (as below)
      denom += sc.risk[person];
      add_scaled(&d.x[static_cast<std::size_t>(person) * p], sc.risk[person], p, a.data());
      --person;
      continue;
    }
    const double dtime = d.time[person];
    int ndead = 0;
    double denom2 = 0, deadwt = 0;
    a2.setZero();
    while (person >= first && d.time[person] == dtime) {
      const double* xi = &d.x[static_cast<std::size_t>(person) * p];
      const double risk = sc.risk[person];
      if (d.status[person] == 0) {
        denom += risk;
        for (int i = 0; i < p; ++i) a(i) += risk * xi[i];
      } else {
        const double w = case_weight(d, static_cast<std::size_t>(person));
        ++ndead;
        deadwt += w;
        denom2 += risk;
        out.loglik += w * sc.eta[person];
        for (int i = 0; i < p; ++i) {
          out.u(i) += w * xi[i];
          a2(i) += risk * xi[i];
        }
      }
      --person;
      if (person >= first && d.stratum_end[person]) break;  // ties do not cross strata
    }
    if (ndead == 0) continue;
    const bool breslow = ties == Ties::breslow || ndead == 1;
    const int terms = breslow ? 1 : ndead;
    const double wt = breslow ? deadwt : deadwt / ndead;  // deadwt, or Efron's wtave
    double hf = 0, hd = 0;
    for (int k = 0; k < terms; ++k) {
      denom += denom2 / terms;
      a += a2 / terms;
      out.loglik -= wt * std::log(denom);
      auto mean = means.row(buffered);
      mean = a.transpose() / denom;
      out.u -= wt * mean.transpose();
      mean_weight[static_cast<std::size_t>(buffered)] = wt;
      if (++buffered == kBuffer) flush();
      hf += wt / denom;
      hd += wt * (k + 1) / (static_cast<double>(terms) * denom);
    }
    h_full.push_back(hf);
    h_dead.push_back(hd);
    if (in_tail) out.tail_hazard += hf;
  }
  flush();
  h_full_out = std::move(h_full);
  h_dead_out = std::move(h_dead);
  return out;
}

// Pass 3 on rows [b, e): each row's weight r_i H_i, walking time forwards from
// the cumulative hazard h_in of the earlier rows of the same stratum, and the
// S2 part of the information as a sum over rows.
Eigen::MatrixXd forward_information(const SortedData& d, std::size_t b, std::size_t e, double h_in,
                                    const std::vector<double>& h_full, const std::vector<double>& h_dead,
                                    CoxIterationScratch& sc) {
  std::size_t next_death = h_full.size();  // walking the death times back in ascending order
  double H = h_in;
  for (std::size_t i = b; i < e;) {
    std::size_t j = i;
    int deaths = 0;
    while (j < e && d.time[j] == d.time[i]) {
      deaths += d.status[j];
      ++j;
      if (d.stratum_end[j - 1]) break;
    }
    double hf = 0, hd = 0;
    if (deaths > 0) {
      --next_death;
      hf = h_full[next_death];
      hd = h_dead[next_death];
    }
    for (std::size_t r = i; r < j; ++r) sc.weight[r] = sc.risk[r] * (H + (d.status[r] ? hd : hf));
    H += hf;
    if (d.stratum_end[j - 1]) H = 0;
    i = j;
  }
  Eigen::MatrixXd s2 = Eigen::MatrixXd::Zero(d.p, d.p);
  accumulate_weighted_outer(d.x.data(), sc.weight.data(), b, e, d.p, s2);
  return s2;
}

bool starts_tie_group(const SortedData& d, std::size_t i) {
  return i == 0 || d.stratum_end[i - 1] || d.time[i - 1] != d.time[i];
}

}  // namespace

CoxIterationScratch make_cox_scratch(const SortedData& d, int threads) {
  const auto n = static_cast<std::size_t>(d.n);
  const std::size_t parts =
      std::max<std::size_t>(1, std::min(static_cast<std::size_t>(std::max(1, threads)), n / kMinRowsPerThread));
  CoxIterationScratch sc;
  sc.bounds.push_back(0);
  for (std::size_t k = 1; k < parts; ++k) {
    std::size_t i = std::max(k * n / parts, sc.bounds.back() + 1);
    while (i < n && !starts_tie_group(d, i)) ++i;  // a chunk never splits tied times
    if (i < n) sc.bounds.push_back(i);
  }
  sc.bounds.push_back(n);
  sc.eta.resize(n);
  sc.risk.resize(n);
  sc.weight.resize(n);
  sc.h_full.resize(sc.bounds.size() - 1);
  sc.h_dead.resize(sc.bounds.size() - 1);
  return sc;
}

double cox_iteration(const SortedData& d, Ties ties, const Eigen::VectorXd& beta, Eigen::VectorXd& u,
                     Eigen::MatrixXd& imat, CoxIterationScratch& sc) {
  const int p = d.p;
  const std::size_t chunks = sc.bounds.size() - 1;
  auto begin = [&](std::size_t c) { return sc.bounds[c]; };
  auto end = [&](std::size_t c) { return sc.bounds[c + 1]; };

  std::vector<ChunkHead> heads(chunks);
  run_parts(chunks, [&](std::size_t c) { heads[c] = risk_scores(d, beta, begin(c), end(c), c > 0, sc); });
  // Risk-set sums each chunk inherits from the later rows of its stratum.
  std::vector<RiskSums> incoming(chunks, RiskSums{0, Eigen::VectorXd::Zero(p)});
  for (std::size_t c = chunks - 1; c > 0; --c) {
    incoming[c - 1] = heads[c].head;
    if (!heads[c].closed) {
      incoming[c - 1].s0 += incoming[c].s0;
      incoming[c - 1].s1 += incoming[c].s1;
    }
  }

  std::vector<ChunkBackward> back(chunks);
  run_parts(chunks, [&](std::size_t c) {
    back[c] = backward_pass(d, ties, begin(c), end(c), incoming[c], sc.h_full[c], sc.h_dead[c], sc);
  });
  // Cumulative hazard each chunk inherits from the earlier rows of its stratum.
  std::vector<double> h_in(chunks, 0.0);
  for (std::size_t c = 1; c < chunks; ++c)
    h_in[c] = back[c - 1].tail_hazard + (heads[c - 1].closed ? 0.0 : h_in[c - 1]);

  std::vector<Eigen::MatrixXd> s2(chunks);
  run_parts(chunks, [&](std::size_t c) {
    s2[c] = forward_information(d, begin(c), end(c), h_in[c], sc.h_full[c], sc.h_dead[c], sc);
  });

  double loglik = 0;
  u.setZero(p);
  imat.setZero(p, p);
  for (std::size_t c = 0; c < chunks; ++c) {
    loglik += back[c].loglik;
    u += back[c].u;
    imat += s2[c] - back[c].mean_outer;
  }
  imat.triangularView<Eigen::StrictlyUpper>() = imat.transpose();  // exactly symmetric
  return loglik;
}

}  // namespace sirtkit::stats
