#include "stats/comparison/contingency_tests.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "core/format.h"
#include "stats/numerics/brent_root.h"
#include "stats/numerics/distributions.h"

namespace sirtkit::stats {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

long double log_factorial(long k) { return std::lgamma(static_cast<long double>(k) + 1.0L); }

// ---- 2x2: R src/library/stats/R/fisher.test.R, the nr == nc == 2 branch ----
// x = table[0][0] ~ noncentral hypergeometric given the margins; the density
// at odds ratio ncp is dhyper(support) * ncp^support, normalised.
struct NoncentralHypergeometric {
  long x, lo, hi;
  std::vector<double> support, logdc;  // logdc = dhyper(support, m, n, k, log = TRUE) up to a constant

  NoncentralHypergeometric(long x_, long m, long n, long k) : x(x_) {
    lo = std::max(0L, k - n);
    hi = std::min(k, m);
    for (long s = lo; s <= hi; ++s) {
      support.push_back(static_cast<double>(s));
      // log choose(m, s) + log choose(n, k - s); the constant choose(m + n, k) cancels on normalising.
      logdc.push_back(static_cast<double>(log_factorial(m) - log_factorial(s) - log_factorial(m - s) + log_factorial(n) -
                                          log_factorial(k - s) - log_factorial(n - k + s)));
    }
  }

  std::vector<double> density(double ncp) const {  // dnhyper
    std::vector<double> d(support.size());
    double mx = -inf;
    for (std::size_t i = 0; i < d.size(); ++i) {
      d[i] = logdc[i] + std::log(ncp) * support[i];
      mx = std::max(mx, d[i]);
    }
    double sum = 0;
    for (auto& v : d) sum += (v = std::exp(v - mx));
    for (auto& v : d) v /= sum;
    return d;
  }

  double mean(double ncp) const {  // mnhyper
    if (ncp == 0) return static_cast<double>(lo);
    if (ncp == inf) return static_cast<double>(hi);
    const auto d = density(ncp);
    double s = 0;
    for (std::size_t i = 0; i < d.size(); ++i) s += support[i] * d[i];
    return s;
  }

  double cdf(double q, double ncp, bool upper_tail) const {  // pnhyper
    if (ncp == 0) return upper_tail ? (q <= lo) : (q >= lo);
    if (ncp == inf) return upper_tail ? (q <= hi) : (q >= hi);
    const auto d = density(ncp);
    double s = 0;
    for (std::size_t i = 0; i < d.size(); ++i)
      if (upper_tail ? support[i] >= q : support[i] <= q) s += d[i];
    return s;
  }
};

double uniroot(const std::function<double(double)>& f, double lower, double upper) {
  return brent_root(f, lower, upper, f(lower), f(upper)).root;
}

// mle(): the ncp whose conditional mean equals x, searched on (0, 1] for the
// odds ratio or its reciprocal, as R does.
double conditional_mle(const NoncentralHypergeometric& h) {
  const double x = static_cast<double>(h.x);
  if (h.x == h.lo) return 0;
  if (h.x == h.hi) return inf;
  const double mu = h.mean(1);
  if (mu > x) return uniroot([&](double t) { return h.mean(t) - x; }, 0, 1);
  if (mu < x) return 1 / uniroot([&](double t) { return h.mean(1 / t) - x; }, DBL_EPSILON, 1);
  return 1;
}

double ncp_upper(const NoncentralHypergeometric& h, double alpha) {
  const double x = static_cast<double>(h.x);
  if (h.x == h.hi) return inf;
  const double p = h.cdf(x, 1, false);
  if (p < alpha) return uniroot([&](double t) { return h.cdf(x, t, false) - alpha; }, 0, 1);
  if (p > alpha) return 1 / uniroot([&](double t) { return h.cdf(x, 1 / t, false) - alpha; }, DBL_EPSILON, 1);
  return 1;
}

double ncp_lower(const NoncentralHypergeometric& h, double alpha) {
  const double x = static_cast<double>(h.x);
  if (h.x == h.lo) return 0;
  const double p = h.cdf(x, 1, true);
  if (p > alpha) return uniroot([&](double t) { return h.cdf(x, t, true) - alpha; }, 0, 1);
  if (p < alpha) return 1 / uniroot([&](double t) { return h.cdf(x, 1 / t, true) - alpha; }, DBL_EPSILON, 1);
  return 1;
}

FisherResult fisher_2x2(const CountTable& t, double conf_level) {
  const long m = t[0][0] + t[1][0], n = t[0][1] + t[1][1], k = t[0][0] + t[0][1];
  const NoncentralHypergeometric h(t[0][0], m, n, k);
  FisherResult r;
  r.two_by_two = true;
  r.conf_level = conf_level;
  // Two-sided: sum of P(tables) with P <= P(observed) (1 + 1e-7).
  const auto d = h.density(1);
  const double d_obs = d[static_cast<std::size_t>(h.x - h.lo)] * (1 + 1e-7);
  double p = 0;
  for (double v : d)
    if (v <= d_obs) p += v;
  r.p_value = std::min(1.0, p);
  r.odds_ratio = conditional_mle(h);
  const double alpha = (1 - conf_level) / 2;
  r.or_lower = ncp_lower(h, alpha);
  r.or_upper = ncp_upper(h, alpha);
  return r;
}

// ---- r x c: enumerate every table with the observed margins ----
// P(table) = Π r_i! Π c_j! / (N! Π x_ij!) (Fisher 1935; Freeman & Halton 1951).
// A table counts when P <= P(observed) within FEXACT's tolerance: R's fexact.c
// compares log-probabilities with tol = 3.45254e-7.
class TableEnumerator {
 public:
  TableEnumerator(const CountTable& t, std::size_t limit) : rows_(t.size()), cols_(t[0].size()), limit_(limit) {
    row_left_.assign(rows_, 0);
    col_left_.assign(cols_, 0);
    long total = 0;
    for (std::size_t i = 0; i < rows_; ++i)
      for (std::size_t j = 0; j < cols_; ++j) {
        row_left_[i] += t[i][j];
        col_left_[j] += t[i][j];
        total += t[i][j];
      }
    lf_.resize(static_cast<std::size_t>(total) + 1);
    for (long k = 0; k <= total; ++k) lf_[static_cast<std::size_t>(k)] = log_factorial(k);
    log_const_ = -lf_[static_cast<std::size_t>(total)];
    for (long v : row_left_) log_const_ += lf_[static_cast<std::size_t>(v)];
    for (long v : col_left_) log_const_ += lf_[static_cast<std::size_t>(v)];
    long double s = 0;
    for (const auto& row : t)
      for (long v : row) s += lf_[static_cast<std::size_t>(v)];
    // Count tables with Σ log x_ij! >= observed − tol, i.e. log P <= log P_obs + tol.
    threshold_ = s - 3.45254e-7L;
  }

  double run() {
    visit(0, 0, 0.0L);
    return static_cast<double>(p_);
  }
  std::size_t count() const { return count_; }

 private:
  void visit(std::size_t i, std::size_t j, long double s) {
    if (j + 1 == cols_) {  // the last column is forced by the row totals left
      for (std::size_t k = 0; k < rows_; ++k) s += lf_[static_cast<std::size_t>(row_left_[k])];
      if (++count_ > limit_) throw_too_large();
      if (s >= threshold_) p_ += std::exp(log_const_ - s);
      return;
    }
    if (i + 1 == rows_) {  // the last row of a column is forced by the column total left
      const long x = col_left_[j];
      if (x > row_left_[i]) return;
      row_left_[i] -= x;
      const long saved = col_left_[j];
      col_left_[j] = 0;
      visit(0, j + 1, s + lf_[static_cast<std::size_t>(x)]);
      col_left_[j] = saved;
      row_left_[i] += x;
      return;
    }
    long below = 0;  // what the rows after i can still take in this column
    for (std::size_t k = i + 1; k < rows_; ++k) below += row_left_[k];
    const long need = col_left_[j];
    const long lo = std::max(0L, need - below), hi = std::min(row_left_[i], need);
    for (long x = lo; x <= hi; ++x) {
      row_left_[i] -= x;
      col_left_[j] -= x;
      visit(i + 1, j, s + lf_[static_cast<std::size_t>(x)]);
      col_left_[j] += x;
      row_left_[i] += x;
    }
  }

  [[noreturn]] void throw_too_large() const {
    fail_input("fisher test", "table", std::to_string(rows_) + " x " + std::to_string(cols_),
               "a table with at most " + std::to_string(limit_) +
                   " possible tables for its margins (exact enumeration limit); use the chi-square test, or R's "
                   "fisher.test(simulate.p.value = TRUE)");
  }

  std::size_t rows_, cols_, limit_;
  std::vector<long> row_left_, col_left_;
  std::vector<long double> lf_;
  long double log_const_ = 0, threshold_ = 0, p_ = 0;
  std::size_t count_ = 0;
};

}  // namespace

void check_count_table(const CountTable& t, const char* what) {
  if (t.size() < 2) fail_input(what, "rows", std::to_string(t.size()), "a table with at least 2 rows");
  const std::size_t c = t[0].size();
  if (c < 2) fail_input(what, "columns", std::to_string(c), "a table with at least 2 columns");
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].size() != c)
      fail_input(what, "row " + std::to_string(i + 1), std::to_string(t[i].size()) + " counts",
                 std::to_string(c) + " counts, as in row 1");
    for (std::size_t j = 0; j < c; ++j)
      if (t[i][j] < 0)
        fail_input(what, "count [" + std::to_string(i + 1) + "," + std::to_string(j + 1) + "]", std::to_string(t[i][j]),
                   "a count >= 0");
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    long s = 0;
    for (long v : t[i]) s += v;
    if (s == 0) fail_input(what, "row " + std::to_string(i + 1) + " total", "0", "every row total > 0");
  }
  for (std::size_t j = 0; j < c; ++j) {
    long s = 0;
    for (const auto& row : t) s += row[j];
    if (s == 0) fail_input(what, "column " + std::to_string(j + 1) + " total", "0", "every column total > 0");
  }
}

FisherResult fisher_exact_test(const CountTable& table, const FisherOptions& options) {
  check_count_table(table, "fisher table");
  if (!(options.conf_level > 0 && options.conf_level < 1))
    fail_input("fisher test", "conf_level", num(options.conf_level), "a level strictly between 0 and 1");
  if (table.size() == 2 && table[0].size() == 2) return fisher_2x2(table, options.conf_level);
  // Enumerate over the longer side as columns: the last column is forced, so
  // fewer, longer columns would leave more cells free per step.
  CountTable t = table;
  if (t.size() > t[0].size()) {
    CountTable tr(t[0].size(), std::vector<long>(t.size()));
    for (std::size_t i = 0; i < t.size(); ++i)
      for (std::size_t j = 0; j < t[0].size(); ++j) tr[j][i] = t[i][j];
    t = std::move(tr);
  }
  TableEnumerator e(t, options.max_tables);
  FisherResult r;
  r.p_value = std::min(1.0, e.run());
  r.tables_enumerated = e.count();
  r.conf_level = options.conf_level;
  r.odds_ratio = r.or_lower = r.or_upper = std::numeric_limits<double>::quiet_NaN();
  return r;
}

// chisq.test (R src/library/stats/R/chisq.test.R): E = row total x column
// total / N; for a 2x2 with correct = TRUE, YATES = min(0.5, |O - E|) over
// all cells; X² = Σ (|O - E| - YATES)² / E on (r - 1)(c - 1) df.
ChisqResult chisq_test(const CountTable& table, bool continuity_correction) {
  check_count_table(table, "chisq table");
  const std::size_t nr = table.size(), nc = table[0].size();
  std::vector<double> sr(nr, 0), sc(nc, 0);
  double n = 0;
  for (std::size_t i = 0; i < nr; ++i)
    for (std::size_t j = 0; j < nc; ++j) {
      sr[i] += table[i][j];
      sc[j] += table[i][j];
      n += table[i][j];
    }
  ChisqResult r;
  r.expected.assign(nr, std::vector<double>(nc));
  r.pearson_residuals.assign(nr, std::vector<double>(nc));
  double yates = 0;
  if (continuity_correction && nr == 2 && nc == 2) yates = 0.5;
  for (std::size_t i = 0; i < nr; ++i)
    for (std::size_t j = 0; j < nc; ++j) {
      const double e = sr[i] * sc[j] / n;  // outer(sr, sc) / n
      r.expected[i][j] = e;
      r.pearson_residuals[i][j] = (table[i][j] - e) / std::sqrt(e);
      if (e < 5) r.expected_below_5 = true;
      if (yates > 0) yates = std::min(yates, std::fabs(table[i][j] - e));
    }
  r.yates_correction = yates;
  for (std::size_t i = 0; i < nr; ++i)
    for (std::size_t j = 0; j < nc; ++j) {
      const double e = r.expected[i][j];
      const double d = std::fabs(table[i][j] - e) - yates;
      r.statistic += d * d / e;
    }
  r.df = static_cast<int>((nr - 1) * (nc - 1));
  r.p_value = chisq_upper_p(r.statistic, r.df);
  return r;
}

}  // namespace sirtkit::stats
