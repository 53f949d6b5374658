#include "stats/cox/cox_iteration.h"

#include <algorithm>
#include <cmath>

#include "stats/numerics/fixed_columns.h"
#include "stats/numerics/parallel.h"
#include "stats/numerics/weighted_outer.h"

namespace sirtkit::stats {

// The quantities of coxfit6_iter (coxfit6.c) are computed in passes that each
// cost O(n p) or one p x p rank-1 update per row, instead of one per death
// time:
//  1. risk scores r = exp(x beta);
//  2. backward over time: risk-set sums S0 = sum r, S1 = sum r x; at each
//     death time (Efron: each of the d terms k, the tied deaths at weight
//     (k+1)/d) add to loglik and u, subtract w * mean mean' from imat, and
//     record for each row of the time the hazard increment it sees there,
//     h_full = sum_k w / S0_k (rows still at risk) or h_dead = sum_k w (k+1)
//     / (d S0_k) (the tied deaths), and on the time's last row h_full as the
//     step the time adds for the later rows;
//  3. forward over time: imat += r_i H_i x_i x_i', with H_i the sum of the
//     increments of the death times at which row i is at risk (a running
//     sum of the steps, without a branch per time).
// Since sum_t w/S0_t * S2_t = sum_i r_i H_i x_i x_i', this equals R's sums up
// to rounding.
//
// Case weights c_i (coxfit6.c): r_i becomes c_i exp(eta_i) in every risk-set
// sum, a death adds c_i eta_i to loglik and c_i x_i to u, and the tied deaths
// of a time count with their summed weight (Breslow) or its mean per Efron
// term. Unit weights give the same operations on exact 1s.
//
// Each pass runs on contiguous row ranges (chunks of about kRowsPerChunk rows,
// fixed by the data) in parallel. The running sums a chunk needs from its
// neighbours (the risk-set sums of the later rows of its stratum, the
// cumulative hazard of the earlier ones) are the chunks' own partial sums,
// added up in a short serial step between the passes.

namespace {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// a += risk x; mean = a / denom (as a times 1 / denom: one division, not p);
// u += w x; u -= w mean, element by element (the arrays never overlap:
// restrict lets the compiler use packed operations).
template <int P>
void add_lone_death(const double* __restrict x, double risk, double w, double denom, int p_given,
                    double* __restrict a, double* __restrict mean, double* __restrict u) {
  const int p = columns<P>(p_given);
  const double inv = 1.0 / denom;
  for (int i = 0; i < p; ++i) {
    a[i] += risk * x[i];
    mean[i] = a[i] * inv;
    u[i] += w * x[i];
    u[i] -= w * mean[i];
  }
}

// a += risk x, element by element.
template <int P>
void add_scaled(const double* __restrict x, double risk, int p_given, double* __restrict a) {
  const int p = columns<P>(p_given);
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
template <int P>
ChunkHead risk_scores(const SortedData& d, const Eigen::VectorXd& beta_given, std::size_t b, std::size_t e,
                      bool with_head, CoxIterationScratch& sc) {
  const int p = columns<P>(d.p);
  const auto pz = static_cast<std::size_t>(p);
  const ColumnVector<P> beta = beta_given;
  const bool at_zero = beta.isZero(0.0);  // the first iteration: every eta is 0 and risk exp(0) = 1
  for (std::size_t r = b; r < e; ++r) {
    const double* xr = &d.x[r * pz];
    double eta = 0;
    if (!at_zero)
      for (int j = 0; j < p; ++j) eta += xr[j] * beta(j);
    sc.eta[r] = eta;
    // the weighted risk c exp(eta) (c = 1 unweighted)
    sc.risk[r] = d.weight.empty() ? (at_zero ? 1.0 : std::exp(eta)) : d.weight[r] * (at_zero ? 1.0 : std::exp(eta));
  }
  const auto* ends = d.stratum_end.data();
  const auto* first_end = std::find(ends + b, ends + e, 1);
  ChunkHead h;
  h.closed = first_end != ends + e;
  // The head: rows up to and including the first stratum end. Summed apart
  // from the loop above, into locals, which the compiler keeps in registers.
  double s0 = 0;
  ColumnVector<P> s1 = ColumnVector<P>::Zero(p);
  const std::size_t head_end = with_head ? std::min(e, static_cast<std::size_t>(first_end - ends) + 1) : b;
  for (std::size_t r = b; r < head_end; ++r) {
    const double* xr = &d.x[r * pz];
    s0 += sc.risk[r];
    for (int j = 0; j < p; ++j) s1(j) += sc.risk[r] * xr[j];
  }
  h.head.s0 = s0;
  h.head.s1 = s1;
  return h;
}

struct ChunkBackward {
  double loglik = 0;
  Eigen::VectorXd u;
  Eigen::MatrixXd mean_outer;  // sum over death terms of w mean mean' (subtracted from imat)
  double tail_hazard = 0;      // sum of the steps after the chunk's last stratum end
};

// Pass 2 on rows [b, e), walking time backwards from the risk-set sums of the
// later rows of the same stratum; sets sc.weight (the hazard increment of the
// row's own time) and sc.step of those rows.
template <int P>
ChunkBackward backward_pass(const SortedData& d, Ties ties, std::size_t b, std::size_t e, const RiskSums& incoming,
                            CoxIterationScratch& sc) {
  const int p = columns<P>(d.p);
  constexpr int kBuffer = 256;  // death-time means collected for one blocked product
  RowMajorMatrix means(kBuffer, p);
  std::vector<double> mean_weight(kBuffer);
  int buffered = 0;
  ChunkBackward out;
  out.mean_outer = Eigen::MatrixXd::Zero(p, p);
  auto flush = [&] {
    accumulate_weighted_outer<P>(means.data(), mean_weight.data(), 0, static_cast<std::size_t>(buffered), p,
                                 out.mean_outer);
    buffered = 0;
  };
  // The running sums in locals of fixed size, which the compiler keeps in
  // registers: a heap vector's elements went through memory on every row.
  double denom = incoming.s0, loglik = 0;
  ColumnVector<P> a = incoming.s1, a2 = ColumnVector<P>::Zero(p), u = ColumnVector<P>::Zero(p);
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
      loglik += w * sc.eta[person];
      denom += risk;
      loglik -= w * std::log(denom);
      add_lone_death<P>(xi, risk, w, denom, p, a.data(), &means(buffered, 0), u.data());
      mean_weight[static_cast<std::size_t>(buffered)] = w;
      if (++buffered == kBuffer) flush();
      sc.weight[person] = w / denom;
      sc.step[person] = w / denom;
      if (in_tail) out.tail_hazard += w / denom;
      --person;
      continue;
    }
    if (alone) {  // one censored row alone at its time: joins the risk set (as below)
      sc.weight[person] = 0;
      sc.step[person] = 0;
      denom += sc.risk[person];
      add_scaled<P>(&d.x[static_cast<std::size_t>(person) * p], sc.risk[person], p, a.data());
      --person;
      continue;
    }
    const double dtime = d.time[person];
    const auto last = person;  // the time's rows are person + 1 .. last when the loop below ends
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
        loglik += w * sc.eta[person];
        for (int i = 0; i < p; ++i) {
          u(i) += w * xi[i];
          a2(i) += risk * xi[i];
        }
      }
      --person;
      if (person >= first && d.stratum_end[person]) break;  // ties do not cross strata
    }
    if (ndead == 0) {
      for (auto r = person + 1; r <= last; ++r) sc.weight[r] = sc.step[r] = 0;
      continue;
    }
    const bool breslow = ties == Ties::breslow || ndead == 1;
    const int terms = breslow ? 1 : ndead;
    const double wt = breslow ? deadwt : deadwt / ndead;  // deadwt, or Efron's wtave
    double hf = 0, hd = 0;
    for (int k = 0; k < terms; ++k) {
      denom += denom2 / terms;
      a += a2 / terms;
      loglik -= wt * std::log(denom);
      auto mean = means.row(buffered);
      mean = a.transpose() / denom;
      u -= wt * mean.transpose();
      mean_weight[static_cast<std::size_t>(buffered)] = wt;
      if (++buffered == kBuffer) flush();
      hf += wt / denom;
      hd += wt * (k + 1) / (static_cast<double>(terms) * denom);
    }
    for (auto r = person + 1; r <= last; ++r) {
      sc.weight[r] = d.status[r] ? hd : hf;
      sc.step[r] = r == last ? hf : 0.0;
    }
    if (in_tail) out.tail_hazard += hf;
  }
  flush();
  out.loglik = loglik;
  out.u = u;
  return out;
}

// Pass 3 on rows [b, e): each row's weight r_i H_i, walking time forwards from
// the cumulative hazard h_in of the earlier rows of the same stratum (H_i: the
// steps of the earlier times plus the increment of the row's own time, which
// pass 2 left in sc.weight), and the S2 part of the information as a sum over
// rows.
template <int P>
Eigen::MatrixXd forward_information(const SortedData& d, std::size_t b, std::size_t e, double h_in,
                                    CoxIterationScratch& sc) {
  double H = h_in;
  for (std::size_t r = b; r < e; ++r) {
    sc.weight[r] = sc.risk[r] * (H + sc.weight[r]);
    H = d.stratum_end[r] ? 0.0 : H + sc.step[r];
  }
  Eigen::MatrixXd s2 = Eigen::MatrixXd::Zero(d.p, d.p);
  accumulate_weighted_outer<P>(d.x.data(), sc.weight.data(), b, e, d.p, s2);
  return s2;
}

bool starts_tie_group(const SortedData& d, std::size_t i) {
  return i == 0 || d.stratum_end[i - 1] || d.time[i - 1] != d.time[i];
}

// Runs fn(c) for every chunk c, the chunks dealt out to the threads in
// contiguous runs. Each chunk's sums are kept apart and added in chunk order
// afterwards, so the thread count changes who computes a sum, never its value.
template <class Fn>
void for_each_chunk(const CoxIterationScratch& sc, Fn&& fn) {
  run_ranges(sc.bounds.size() - 1, static_cast<std::size_t>(std::max(1, sc.threads)),
             [&](std::size_t first, std::size_t last) {
               for (std::size_t c = first; c < last; ++c) fn(c);
             });
}

// cox_iteration with the column count fixed at compile time (P = 0: any).
template <int P>
double cox_iteration_fixed(const SortedData& d, Ties ties, const Eigen::VectorXd& beta, Eigen::VectorXd& u,
                           Eigen::MatrixXd& imat, CoxIterationScratch& sc) {
  const int p = d.p;
  const std::size_t chunks = sc.bounds.size() - 1;
  auto begin = [&](std::size_t c) { return sc.bounds[c]; };
  auto end = [&](std::size_t c) { return sc.bounds[c + 1]; };

  std::vector<ChunkHead> heads(chunks);
  for_each_chunk(sc, [&](std::size_t c) { heads[c] = risk_scores<P>(d, beta, begin(c), end(c), c > 0, sc); });
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
  for_each_chunk(sc, [&](std::size_t c) {
    back[c] = backward_pass<P>(d, ties, begin(c), end(c), incoming[c], sc);
  });
  // Cumulative hazard each chunk inherits from the earlier rows of its stratum.
  std::vector<double> h_in(chunks, 0.0);
  for (std::size_t c = 1; c < chunks; ++c)
    h_in[c] = back[c - 1].tail_hazard + (heads[c - 1].closed ? 0.0 : h_in[c - 1]);

  std::vector<Eigen::MatrixXd> s2(chunks);
  for_each_chunk(sc, [&](std::size_t c) {
    s2[c] = forward_information<P>(d, begin(c), end(c), h_in[c], sc);
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

}  // namespace

CoxIterationScratch make_cox_scratch(const SortedData& d, int threads, std::size_t rows_per_chunk) {
  const auto n = static_cast<std::size_t>(d.n);
  const std::size_t chunks = std::max<std::size_t>(1, n / std::max<std::size_t>(1, rows_per_chunk));
  CoxIterationScratch sc;
  sc.threads = std::max(1, threads);
  sc.bounds.push_back(0);
  for (std::size_t k = 1; k < chunks; ++k) {
    std::size_t i = std::max(k * n / chunks, sc.bounds.back() + 1);
    while (i < n && !starts_tie_group(d, i)) ++i;  // a chunk never splits tied times
    if (i < n) sc.bounds.push_back(i);
  }
  sc.bounds.push_back(n);
  sc.eta.resize(n);
  sc.risk.resize(n);
  sc.weight.resize(n);
  sc.step.resize(n);
  return sc;
}

double cox_iteration(const SortedData& d, Ties ties, const Eigen::VectorXd& beta, Eigen::VectorXd& u,
                     Eigen::MatrixXd& imat, CoxIterationScratch& sc) {
  return with_fixed_columns(d.p, [&](auto fixed) {
    return cox_iteration_fixed<decltype(fixed)::value>(d, ties, beta, u, imat, sc);
  });
}

}  // namespace sirtkit::stats
