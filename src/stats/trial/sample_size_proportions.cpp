#include "stats/trial/sample_size_proportions.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>

#include "core/error.h"
#include "core/format.h"
#include "stats/numerics/brent_root.h"
#include "stats/numerics/distributions.h"
#include "stats/trial/sample_size_survival.h"

namespace sirtkit::stats {
namespace {

constexpr const char* where = "proportions sample size";

double pnorm(double x) { return boost::math::cdf(boost::math::normal(), x); }
double pnorm_upper(double x) { return boost::math::cdf(boost::math::complement(boost::math::normal(), x)); }
// qnorm(p, lower.tail = FALSE); rpact's .getOneMinusQNorm is the same number.
double z_upper(double p) { return p < 0.5 ? -normal_quantile(p) : normal_quantile(1 - p); }

void check_probability(const char* field, double p) {
  if (!(p > 0 && p < 1)) fail_input(where, field, num(p), "a proportion strictly between 0 and 1");
}

void check_prop_input(const PowerPropInput& in) {
  check_probability("p1", in.p1);
  check_probability("p2", in.p2);
  if (in.p1 == in.p2) fail_input(where, "p2", num(in.p2), "a proportion different from p1");
  if (!(in.sig_level > 0 && in.sig_level < 1)) fail_input(where, "sig_level", num(in.sig_level), "a level strictly between 0 and 1");
}

}  // namespace

double power_prop_test_power(const PowerPropInput& in, double n) {
  check_prop_input(in);
  if (!(std::isfinite(n) && n > 0)) fail_input(where, "n", num(n), "a number per group > 0");
  const double p1 = in.p1, p2 = in.p2;
  const int tside = in.one_sided ? 1 : 2;
  const double qu = z_upper(in.sig_level / tside);
  const double sd1 = std::sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  if (in.strict && tside == 2) {
    // R: pnorm((sqrt(n) d - qu sqrt(2 vbar)) / sd) + pnorm((sqrt(n) d + qu sqrt(2 vbar)) / sd, lower = FALSE)
    const double d = std::fabs(p1 - p2), pbar = (p1 + p2) / 2, vbar = pbar * (1 - pbar);
    return pnorm((std::sqrt(n) * d - qu * std::sqrt(2 * vbar)) / sd1) +
           pnorm_upper((std::sqrt(n) * d + qu * std::sqrt(2 * vbar)) / sd1);
  }
  // R: pnorm((sqrt(n) |p1 - p2| - qu sqrt((p1 + p2)(1 - (p1 + p2)/2))) / sqrt(p1 q1 + p2 q2))
  return pnorm((std::sqrt(n) * std::fabs(p1 - p2) - qu * std::sqrt((p1 + p2) * (1 - (p1 + p2) / 2))) / sd1);
}

double power_prop_test_n(const PowerPropInput& in, double power) {
  check_prop_input(in);
  if (!(power > 0 && power < 1)) fail_input(where, "power", num(power), "a power strictly between 0 and 1");
  // R: uniroot(function(n) eval(p.body) - power, c(1, 1e7), tol = .Machine$double.eps^0.25, extendInt = "upX")
  auto f = [&](double n) { return power_prop_test_power(in, n) - power; };
  const double lo = 1, hi = 1e7;
  const double f_lo = f(lo), f_hi = f(hi);
  if (f_lo > 0) fail_input(where, "power", num(power), "a power not already reached with one patient per group");
  if (f_hi < 0) fail_input(where, "power", num(power), "a power reachable with fewer than 1e7 patients per group");
  return brent_root(f, lo, hi, f_lo, f_hi, uniroot_default_tol).root;
}

RatesSampleSize rates_sample_size(const RatesInput& in) {
  TestErrorRates rates{in.alpha, in.beta, in.sided};
  check_error_rates(rates);
  check_probability("pi1", in.pi1);
  check_probability("pi2", in.pi2);
  const double r = in.allocation_ratio, p1 = in.pi1, p2 = in.pi2, th = in.theta0;
  if (!(std::isfinite(r) && r > 0)) fail_input(where, "allocation_ratio", num(r), "n1/n2 > 0");
  double ml1, ml2, effect, var_factor;
  // Farrington & Manning (1990, Stat Med 9:1447-1454) restricted maximum
  // likelihood rates under H0, as rpact .getFarringtonManningValuesDiff/Ratio.
  if (!in.risk_ratio) {
    if (!(std::isfinite(th) && th > -1 && th < 1)) fail_input(where, "theta0", num(th), "a difference under H0 in (-1, 1)");
    if (th == 0) {
      ml1 = ml2 = (r * p1 + p2) / (1 + r);
    } else {
      const double a = 1 + 1 / r;
      const double b = -(1 + 1 / r + p1 + p2 / r + th * (1 / r + 2));
      const double c = th * th + th * (2 * p1 + 1 / r + 1) + p1 + p2 / r;
      const double d = -th * (1 + th) * p1;
      const double v = b * b * b / (27 * a * a * a) - b * c / (6 * a * a) + d / (2 * a);
      double u, w;
      if (v == 0) {
        u = std::sqrt(b * b / (9 * a * a) - c / (3 * a));
        w = std::acos(-1.0) / 2;
      } else {
        u = (v > 0 ? 1 : -1) * std::sqrt(b * b / (9 * a * a) - c / (3 * a));
        w = (std::acos(-1.0) + std::acos(v / (u * u * u))) / 3;
      }
      ml1 = std::fmin(std::fmax(0.0, 2 * u * std::cos(w) - b / (3 * a)), 1.0);
      ml2 = std::fmin(std::fmax(0.0, ml1 - th), 1.0);
    }
    effect = p1 - p2 - th;
    var_factor = 1;
  } else {
    if (!(std::isfinite(th) && th > 0)) fail_input(where, "theta0", num(th), "a risk ratio under H0 > 0");
    if (th == 1) {
      ml1 = ml2 = (r * p1 + p2) / (1 + r);
    } else {
      const double a = 1 + 1 / r;
      const double b = -((1 + p2 / r) * th + 1 / r + p1);
      const double c = (p1 + p2 / r) * th;
      ml1 = (-b - std::sqrt(b * b - 4 * a * c)) / (2 * a);
      ml2 = ml1 / th;
    }
    effect = p1 - th * p2;
    var_factor = th * th;
  }
  if (effect == 0) fail_input(where, "pi1", num(p1), "rates that differ under the alternative from theta0");
  // n1 = (z_a sqrt(ml1 (1 - ml1) + ml2 (1 - ml2) r th^2) + z_b sqrt(p1 q1 + p2 q2 r th^2))^2 / effect^2
  const double za = z_upper(in.alpha / in.sided), zb = z_upper(in.beta);
  const double s0 = std::sqrt(ml1 * (1 - ml1) + ml2 * (1 - ml2) * r * var_factor);
  const double s1 = std::sqrt(p1 * (1 - p1) + p2 * (1 - p2) * r * var_factor);
  RatesSampleSize out;
  out.n1 = (za * s0 + zb * s1) * (za * s0 + zb * s1) / (effect * effect);
  out.n2 = out.n1 / r;
  out.n = out.n1 + out.n2;
  out.restricted_pi1 = ml1;
  out.restricted_pi2 = ml2;
  return out;
}

double continuity_corrected_n(double n, double difference, double ratio) {
  if (!(std::isfinite(n) && n > 0)) fail_input(where, "n", num(n), "a sample size > 0");
  if (!(difference != 0 && std::isfinite(difference))) fail_input(where, "difference", num(difference), "a non-zero difference");
  if (!(std::isfinite(ratio) && ratio >= 1)) fail_input(where, "ratio", num(ratio), "larger/smaller arm >= 1");
  const double s = 1 + std::sqrt(1 + 2 * (ratio + 1) / (ratio * n * std::fabs(difference)));
  return n / 4 * s * s;
}

double binomial_upper_tail(int r, int n, double p) {
  if (r <= 0) return 1.0;
  if (r > n) return 0.0;
  return boost::math::ibeta(static_cast<double>(r), static_cast<double>(n - r + 1), p);  // P(X >= r) = I_p(r, n - r + 1)
}

ExactBinomialDesign exact_binomial_design(double p0, double p1, double alpha, double beta, int max_n) {
  check_probability("p0", p0);
  check_probability("p1", p1);
  if (!(p1 > p0)) fail_input(where, "p1", num(p1), "a response rate above p0 = " + num(p0));
  if (!(alpha > 0 && alpha < 0.5)) fail_input(where, "alpha", num(alpha), "a one-sided level in (0, 0.5)");
  if (!(beta > 0 && beta < 1)) fail_input(where, "beta", num(beta), "a type II error strictly between 0 and 1");
  int r = 0;  // the smallest admissible critical count never decreases as n grows
  for (int n = 1; n <= max_n; ++n) {
    // Smallest critical count with exact size <= alpha: it also gives the most power at this n.
    while (r <= n && binomial_upper_tail(r, n, p0) > alpha) ++r;
    if (r > n) continue;
    const double power = binomial_upper_tail(r, n, p1);
    if (power >= 1 - beta) return {n, r, binomial_upper_tail(r, n, p0), power};
  }
  throw Error(ErrorCategory::infeasible, std::string(where) + ": no single-arm design with n <= " + std::to_string(max_n) +
                                             " reaches the power for p0 = " + num(p0) + ", p1 = " + num(p1));
}

}  // namespace sirtkit::stats
