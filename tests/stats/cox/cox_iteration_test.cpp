// The chunked Cox likelihood passes: the chunks never split tied times, the
// log-likelihood, score and information they add up equal the single-chunk
// sums to rounding, with strata ending inside, at and between the chunks and
// with Efron and Breslow ties, and the chunks, hence every result, do not
// depend on the thread count. The single-chunk sums are the ones checked
// against R's coxph (cox_model_test.cpp).

#include "stats/cox/cox_iteration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "stats/cox/cox_model.h"

namespace sirtkit::stats {
namespace {

// n rows sorted by (stratum, time), times on a coarse grid so that most
// times are tied; strata of the given sizes (empty: one stratum).
SortedData simulated(int n, int p, std::vector<int> stratum_sizes, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_int_distribution<int> day(1, 400);
  if (stratum_sizes.empty()) stratum_sizes = {n};
  SortedData d;
  d.n = n;
  d.p = p;
  d.x.resize(static_cast<std::size_t>(n) * p);
  for (auto& v : d.x) v = normal(rng) * 0.5;
  int row = 0;
  for (int size : stratum_sizes) {
    std::vector<double> t(static_cast<std::size_t>(size));
    for (auto& v : t) v = day(rng);
    std::sort(t.begin(), t.end());
    for (int i = 0; i < size; ++i, ++row) {
      d.time.push_back(t[static_cast<std::size_t>(i)]);
      d.status.push_back(rng() % 3 != 0 ? 1 : 0);
      d.stratum_end.push_back(i + 1 == size ? 1 : 0);
    }
  }
  EXPECT_EQ(row, n);
  return d;
}

// The sums over `chunks` chunks (on two threads) against those over one.
void expect_same_as_one_chunk(const SortedData& d, Ties ties, int chunks) {
  Eigen::VectorXd beta(d.p);
  for (int j = 0; j < d.p; ++j) beta(j) = 0.1 * (j + 1) * (j % 2 ? -1 : 1);
  Eigen::VectorXd u1, u2;
  Eigen::MatrixXd i1, i2;
  CoxIterationScratch serial = make_cox_scratch(d, 1, static_cast<std::size_t>(d.n));
  CoxIterationScratch parallel = make_cox_scratch(d, 2, static_cast<std::size_t>(d.n / chunks));
  ASSERT_EQ(serial.bounds.size(), 2u);
  ASSERT_GT(parallel.bounds.size(), 2u) << "the data must be split for this test to mean anything";
  const double l1 = cox_iteration(d, ties, beta, u1, i1, serial);
  const double l2 = cox_iteration(d, ties, beta, u2, i2, parallel);
  EXPECT_NEAR(l2, l1, 1e-12 * std::fabs(l1));
  EXPECT_LT((u2 - u1).cwiseAbs().maxCoeff(), 1e-9 * u1.cwiseAbs().maxCoeff());
  EXPECT_LT((i2 - i1).cwiseAbs().maxCoeff(), 1e-11 * i1.cwiseAbs().maxCoeff());
  EXPECT_EQ(i2, i2.transpose());
}

// The information by its definition (coxph's, Therneau & Grambsch 2000
// §3.2): at each death time, S2/S0 - (S1/S0)(S1/S0)' over the risk set, with
// Efron's k/d of the tied deaths taken out for term k = 0..d-1.
Eigen::MatrixXd information_by_definition(const SortedData& d, Ties ties, const Eigen::VectorXd& beta) {
  const int n = d.n, p = d.p;
  auto x = [&](int i) { return Eigen::Map<const Eigen::VectorXd>(&d.x[static_cast<std::size_t>(i) * p], p); };
  Eigen::MatrixXd info = Eigen::MatrixXd::Zero(p, p);
  for (int i = 0; i < n;) {
    int j = i;
    while (j < n && d.time[j] == d.time[i]) ++j;  // one stratum: rows i..j-1 share a time
    double s0r = 0, s0d = 0;
    Eigen::VectorXd s1r = Eigen::VectorXd::Zero(p), s1d = s1r;
    Eigen::MatrixXd s2r = Eigen::MatrixXd::Zero(p, p), s2d = s2r;
    int deaths = 0;
    for (int k = i; k < n; ++k) {  // the risk set: time >= t
      const double r = std::exp(x(k).dot(beta));
      s0r += r;
      s1r += r * x(k);
      s2r += r * x(k) * x(k).transpose();
      if (k < j && d.status[k]) {
        ++deaths;
        s0d += r;
        s1d += r * x(k);
        s2d += r * x(k) * x(k).transpose();
      }
    }
    const int terms = deaths == 0 ? 0 : ties == Ties::breslow ? 1 : deaths;
    for (int k = 0; k < terms; ++k) {
      const double f = static_cast<double>(k) / deaths, wt = ties == Ties::breslow ? deaths : 1;
      const double s0 = s0r - f * s0d;
      const Eigen::VectorXd mean = (s1r - f * s1d) / s0;
      info += wt * ((s2r - f * s2d) / s0 - mean * mean.transpose());
    }
    i = j;
  }
  return info;
}

// Every form of the information sum: row by row with the column count fixed
// at compile time (p <= 16) or not (17), Eigen's rank-k update above 32.
TEST(CoxIteration, InformationEqualsItsDefinition) {
  for (int p : {3, 10, 17, 40}) {
    const SortedData d = simulated(300, p, {}, 70 + static_cast<std::uint64_t>(p));
    Eigen::VectorXd beta(p);
    for (int j = 0; j < p; ++j) beta(j) = 0.3 * std::sin(j + 1.0);
    for (Ties ties : {Ties::efron, Ties::breslow}) {
      Eigen::VectorXd u;
      Eigen::MatrixXd imat;
      CoxIterationScratch sc = make_cox_scratch(d, 1);
      cox_iteration(d, ties, beta, u, imat, sc);
      const Eigen::MatrixXd want = information_by_definition(d, ties, beta);
      EXPECT_LT((imat - want).cwiseAbs().maxCoeff(), 1e-11 * want.cwiseAbs().maxCoeff()) << "p = " << p;
    }
  }
}

TEST(CoxIteration, ChunksStartAtTiedTimeGroups) {
  const SortedData d = simulated(60000, 3, {}, 1);
  const CoxIterationScratch sc = make_cox_scratch(d, 4, 15000);
  ASSERT_EQ(sc.bounds.size(), 5u);
  EXPECT_EQ(sc.bounds.front(), 0u);
  EXPECT_EQ(sc.bounds.back(), 60000u);
  for (std::size_t c = 1; c + 1 < sc.bounds.size(); ++c) {
    const std::size_t b = sc.bounds[c];
    EXPECT_GT(b, sc.bounds[c - 1]);
    EXPECT_NE(d.time[b - 1], d.time[b]) << "chunk " << c << " splits the tied time " << d.time[b];
  }
}

TEST(CoxIteration, SmallDataStaysInOneRange) {
  EXPECT_EQ(make_cox_scratch(simulated(15000, 2, {}, 2), 8).bounds.size(), 2u);
}

TEST(CoxIteration, ChunksDependOnTheDataNotOnTheThreadCount) {
  const SortedData d = simulated(60000, 3, {}, 1);
  const CoxIterationScratch one = make_cox_scratch(d, 1);
  EXPECT_EQ(one.bounds.size(), 60000 / kRowsPerChunk + 1);
  for (int threads : {2, 3, 8}) EXPECT_EQ(make_cox_scratch(d, threads).bounds, one.bounds) << threads << " threads";
}

TEST(CoxIteration, OneStratumEfronAndBreslowEqualSerialSums) {
  const SortedData d = simulated(50000, 5, {}, 3);
  for (int chunks : {2, 3, 5}) {
    expect_same_as_one_chunk(d, Ties::efron, chunks);
    expect_same_as_one_chunk(d, Ties::breslow, chunks);
  }
}

TEST(CoxIteration, StrataAcrossAndInsideRangesEqualSerialSums) {
  // 50,000 rows: a stratum spanning a chunk boundary, small strata inside a
  // chunk, and one ending exactly where the 2-chunk split falls (25,000).
  const SortedData d = simulated(50000, 4, {3, 24997, 7000, 90, 17910}, 4);
  for (int chunks : {2, 3, 4, 7}) {
    expect_same_as_one_chunk(d, Ties::efron, chunks);
    expect_same_as_one_chunk(d, Ties::breslow, chunks);
  }
}

TEST(CoxIteration, ManyTinyStrataEqualSerialSums) {
  // 12,000 strata of 4 rows: every chunk starts and ends inside runs of strata.
  const SortedData d = simulated(48000, 3, std::vector<int>(12000, 4), 6);
  for (int chunks : {2, 3, 4}) expect_same_as_one_chunk(d, Ties::efron, chunks);
}

TEST(CoxIteration, OneTiedTimeStaysInOneRange) {
  SortedData d = simulated(30000, 2, {}, 7);
  std::fill(d.time.begin(), d.time.end(), 5.0);  // every row tied: no boundary can be placed
  EXPECT_EQ(make_cox_scratch(d, 4).bounds.size(), 2u);
}

// Bit for bit: the chunks are the same for any thread count and their sums
// are added in chunk order.
TEST(CoxIteration, FitIsIdenticalForAnyThreadCount) {
  const SortedData d = simulated(40000, 3, {20000, 20000}, 5);
  Eigen::MatrixXd x(d.n, d.p);
  for (int i = 0; i < d.n; ++i)
    for (int j = 0; j < d.p; ++j) x(i, j) = d.x[static_cast<std::size_t>(i) * d.p + j];
  std::vector<int> strata(static_cast<std::size_t>(d.n));
  for (int i = 0; i < d.n; ++i) strata[static_cast<std::size_t>(i)] = i < 20000 ? 0 : 1;
  CoxOptions one;
  one.threads = 1;
  const CoxFit a = cox_fit(d.time, d.status, x, one, strata);
  for (int threads : {2, 3, 4}) {
    CoxOptions many;
    many.threads = threads;
    const CoxFit b = cox_fit(d.time, d.status, x, many, strata);
    EXPECT_EQ(a.iterations, b.iterations);
    EXPECT_EQ(a.loglik, b.loglik) << threads << " threads";
    EXPECT_EQ(a.coef, b.coef) << threads << " threads";
    EXPECT_EQ(a.var, b.var) << threads << " threads";
    EXPECT_EQ(a.concordance, b.concordance);
  }
}

}  // namespace
}  // namespace sirtkit::stats
