#include "stats/comparison/proportion_ci.h"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "core/error.h"
#include "core/format.h"
#include "stats/numerics/distributions.h"

namespace sirtkit::stats {
namespace {

void check_counts(int x, int n) {
  if (n < 1) fail_input("proportion", "n", std::to_string(n), "a number of trials >= 1");
  if (x < 0 || x > n) fail_input("proportion", "x", std::to_string(x), "a count of successes between 0 and n = " + std::to_string(n));
}

void check_level(double conf_level) {
  if (!(conf_level > 0 && conf_level < 1)) fail_input("proportion", "conf_level", num(conf_level), "a level strictly between 0 and 1");
}

void check_p0(double p0) {
  if (!(p0 > 0 && p0 < 1)) fail_input("proportion", "p0", num(p0), "a null proportion strictly between 0 and 1");
}

}  // namespace

ProportionCiMethod parse_proportion_ci_method(const char* name) {
  const std::string s = name;
  if (s == "clopper-pearson" || s == "exact") return ProportionCiMethod::clopper_pearson;
  if (s == "wilson") return ProportionCiMethod::wilson;
  if (s == "wilson-cc" || s == "wilson-corrected") return ProportionCiMethod::wilson_corrected;
  fail_input("options", "method", s, "clopper-pearson, wilson or wilson-cc");
}

const char* proportion_ci_method_name(ProportionCiMethod method) {
  switch (method) {
    case ProportionCiMethod::clopper_pearson: return "clopper-pearson";
    case ProportionCiMethod::wilson: return "wilson";
    case ProportionCiMethod::wilson_corrected: return "wilson-cc";
  }
  return "?";
}

// binom.test: p.L = qbeta(alpha, x, n - x + 1) (0 when x = 0) and
// p.U = qbeta(1 - alpha, x + 1, n - x) (1 when x = n), alpha = (1 - level)/2.
ProportionInterval clopper_pearson_interval(int x, int n, double conf_level) {
  check_counts(x, n);
  check_level(conf_level);
  const double alpha = (1 - conf_level) / 2;
  ProportionInterval r;
  r.estimate = static_cast<double>(x) / n;
  r.lower = x == 0 ? 0.0 : boost::math::quantile(boost::math::beta_distribution<>(x, n - x + 1), alpha);
  r.upper = x == n ? 1.0 : boost::math::quantile(boost::math::beta_distribution<>(x + 1, n - x), 1 - alpha);
  return r;
}

// prop.test, k = 1 (R src/library/stats/R/prop.test.R): Wilson's score
// interval around p.c = x/n -/+ YATES/n, with YATES = min(0.5, |x - n p0|)
// when corrected, each limit clipped to [0, 1].
ProportionInterval wilson_interval(int x, int n, double conf_level, bool continuity_correction, double p0) {
  check_counts(x, n);
  check_level(conf_level);
  check_p0(p0);
  const double est = static_cast<double>(x) / n;
  const double z = normal_quantile((1 + conf_level) / 2);
  const double yates = continuity_correction ? std::min(0.5, std::fabs(x - n * p0)) : 0.0;
  const double z22n = z * z / (2.0 * n);
  ProportionInterval r;
  r.estimate = est;
  double pc = est + yates / n;
  const double pu = pc >= 1 ? 1.0 : (pc + z22n + z * std::sqrt(pc * (1 - pc) / n + z22n / (2.0 * n))) / (1 + 2 * z22n);
  pc = est - yates / n;
  const double pl = pc <= 0 ? 0.0 : (pc + z22n - z * std::sqrt(pc * (1 - pc) / n + z22n / (2.0 * n))) / (1 + 2 * z22n);
  r.lower = std::max(pl, 0.0);
  r.upper = std::min(pu, 1.0);
  return r;
}

ProportionInterval proportion_interval(int x, int n, ProportionCiMethod method, double conf_level) {
  switch (method) {
    case ProportionCiMethod::clopper_pearson: return clopper_pearson_interval(x, n, conf_level);
    case ProportionCiMethod::wilson: return wilson_interval(x, n, conf_level, false);
    case ProportionCiMethod::wilson_corrected: return wilson_interval(x, n, conf_level, true);
  }
  throw Error(ErrorCategory::internal, "proportion_interval: unknown method");
}

// binom.test two-sided (R src/library/stats/R/binom.test.R): with d = P(X = x)
// and m = n p0, add the other tail's outcomes whose probability is <= d (1 + 1e-7).
double binomial_test_p(int x, int n, double p0) {
  check_counts(x, n);
  check_p0(p0);
  const boost::math::binomial_distribution<> b(n, p0);
  const double rel_err = 1 + 1e-7;
  const double d = boost::math::pdf(b, x);
  const double m = n * p0;
  // pbinom(k) = P(X <= k) and pbinom(k, lower.tail = FALSE) = P(X > k), for any integer k.
  auto cdf = [&](int k) { return k < 0 ? 0.0 : k >= n ? 1.0 : boost::math::cdf(b, k); };
  auto upper = [&](int k) { return k < 0 ? 1.0 : k >= n ? 0.0 : boost::math::cdf(boost::math::complement(b, k)); };
  double p;
  if (x == m) {
    p = 1;
  } else if (x < m) {
    int y = 0;
    for (int i = static_cast<int>(std::ceil(m)); i <= n; ++i) y += boost::math::pdf(b, i) <= d * rel_err;
    p = cdf(x) + upper(n - y);  // pbinom(x) + pbinom(n - y, lower.tail = FALSE)
  } else {
    int y = 0;
    for (int i = 0; i <= static_cast<int>(std::floor(m)); ++i) y += boost::math::pdf(b, i) <= d * rel_err;
    p = cdf(y - 1) + upper(x - 1);  // pbinom(y - 1) + pbinom(x - 1, lower.tail = FALSE)
  }
  return std::min(1.0, p);
}

// prop.test with k = 1: X² = Σ (|O - E| - YATES)² / E over successes and
// failures, E = (n p0, n (1 - p0)), on 1 df.
ProportionChisq proportion_chisq_test(int x, int n, double p0, bool continuity_correction) {
  check_counts(x, n);
  check_p0(p0);
  const double yates = continuity_correction ? std::min(0.5, std::fabs(x - n * p0)) : 0.0;
  const double e1 = n * p0, e2 = n * (1 - p0);
  const double a = std::fabs(x - e1) - yates, b = std::fabs((n - x) - e2) - yates;
  ProportionChisq r;
  r.statistic = a * a / e1 + b * b / e2;
  r.p_value = chisq_upper_p(r.statistic, 1);
  return r;
}

}  // namespace sirtkit::stats
