#include "stats/trial/simon_two_stage.h"

#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/format.h"

namespace sirtkit::stats {
namespace {

constexpr const char* where = "Simon two-stage design";

std::vector<double> pmf(int n, double p) {
  std::vector<double> out(n + 1);
  const boost::math::binomial b(n, p);
  for (int x = 0; x <= n; ++x) out[x] = boost::math::pdf(b, x);
  return out;
}

// upper[k + 1] = P(X > k) for k = -1..n (so upper[0] = 1, upper[n + 1] = 0), summed from the tail
// so small tail probabilities keep their relative accuracy.
std::vector<double> upper_tail(const std::vector<double>& f) {
  const int n = static_cast<int>(f.size()) - 1;
  std::vector<double> out(n + 2, 0.0);
  for (int k = n - 1; k >= -1; --k) out[k + 1] = out[k + 2] + f[k + 1];
  return out;
}

void check_rates(double p0, double p1) {
  if (!(p0 > 0 && p0 < 1)) fail_input(where, "p0", num(p0), "a response rate strictly between 0 and 1");
  if (!(p1 > 0 && p1 < 1)) fail_input(where, "p1", num(p1), "a response rate strictly between 0 and 1");
  if (!(p1 > p0)) fail_input(where, "p1", num(p1), "a response rate above p0 = " + num(p0));
}

}  // namespace

SimonDesign simon_characteristics(int r1, int n1, int r, int n, double p0, double p1) {
  check_rates(p0, p1);
  if (!(n1 >= 1 && n1 < n)) fail_input(where, "n1", std::to_string(n1), "a first stage of 1 to n - 1 patients");
  if (!(r1 >= 0 && r1 < n1)) fail_input(where, "r1", std::to_string(r1), "a futility bound from 0 to n1 - 1");
  if (!(r >= r1 && r < n)) fail_input(where, "r", std::to_string(r), "a final bound from r1 to n - 1");
  SimonDesign d{r1, n1, r, n};
  const int n2 = n - n1;
  auto reject = [&](double p) {
    const auto f1 = pmf(n1, p), t2 = upper_tail(pmf(n2, p));
    double s = 0;
    for (int x1 = r1 + 1; x1 <= n1; ++x1) {
      const int k = r - x1;  // need X2 > k
      s += f1[x1] * (k < -1 ? 1.0 : k >= n2 ? 0.0 : t2[k + 1]);
    }
    return s;
  };
  const auto pet = [&](double p) { return boost::math::cdf(boost::math::binomial(n1, p), r1); };
  d.alpha = reject(p0);
  d.power = reject(p1);
  d.pet0 = pet(p0);
  d.pet1 = pet(p1);
  d.en0 = n1 + (1 - d.pet0) * n2;
  d.en1 = n1 + (1 - d.pet1) * n2;
  return d;
}

SimonDesign simon_design(double p0, double p1, double alpha, double beta, SimonCriterion criterion, int max_n) {
  check_rates(p0, p1);
  if (!(alpha > 0 && alpha < 0.5)) fail_input(where, "alpha", num(alpha), "a one-sided level in (0, 0.5)");
  if (!(beta > 0 && beta < 1 - alpha)) fail_input(where, "beta", num(beta), "a type II error strictly between 0 and 1 - alpha");
  if (!(max_n >= 2 && max_n <= 1000)) fail_input(where, "max_n", std::to_string(max_n), "a largest total sample size from 2 to 1000");
  std::vector<std::vector<double>> f0(max_n + 1), f1(max_n + 1), t0(max_n + 1), t1(max_n + 1), c0(max_n + 1);
  for (int m = 0; m <= max_n; ++m) {
    f0[m] = pmf(m, p0);
    f1[m] = pmf(m, p1);
    t0[m] = upper_tail(f0[m]);
    t1[m] = upper_tail(f1[m]);
    c0[m].assign(m + 1, 0.0);  // P(X <= k | p0)
    double s = 0;
    for (int k = 0; k <= m; ++k) c0[m][k] = (s += f0[m][k]);
  }
  bool found = false;
  SimonDesign best;
  // Tolerance on the constraints: a design meeting alpha or power to within
  // 1e-12 counts (rounding in the sums must not decide a published row).
  constexpr double slack = 1e-12;
  std::vector<double> a0, a1;  // P(X1 > r1, X1 + X2 > r) under p0, p1, indexed by r
  for (int n = 2; n <= max_n; ++n) {
    if (found && criterion == SimonCriterion::minimax && n > best.n) break;
    for (int n1 = 1; n1 < n; ++n1) {
      if (found && criterion == SimonCriterion::optimal && n1 > best.en0) break;  // EN(p0) >= n1
      const int n2 = n - n1;
      a0.assign(n + 1, 0.0);
      a1.assign(n + 1, 0.0);
      // r1 from n1 - 1 down to 0: add the stage-1 outcome x1 = r1 + 1 to the rejection sums.
      for (int r1 = n1 - 1; r1 >= 0; --r1) {
        const int x1 = r1 + 1;
        for (int r = 0; r < n; ++r) {  // every r: a later (smaller) r1 may use any r >= it
          const int k = r - x1;  // X2 > k
          const double s0 = k < -1 ? 1.0 : k >= n2 ? 0.0 : t0[n2][k + 1];
          const double s1 = k < -1 ? 1.0 : k >= n2 ? 0.0 : t1[n2][k + 1];
          a0[r] += f0[n1][x1] * s0;
          a1[r] += f1[n1][x1] * s1;
        }
        const double pet0 = c0[n1][r1];
        const double en0 = n1 + (1 - pet0) * n2;
        if (found) {
          if (criterion == SimonCriterion::optimal && en0 > best.en0 + slack) continue;
          if (criterion == SimonCriterion::minimax && n == best.n && en0 > best.en0 + slack) continue;
        }
        // Smallest r (from r1) with alpha met: alpha and power both fall as r grows, so it has the most power.
        int r = r1;
        while (r < n && a0[r] > alpha + slack) ++r;
        if (r >= n || a1[r] < 1 - beta - slack) continue;
        const bool better = !found ||
                            (criterion == SimonCriterion::optimal
                                 ? (en0 < best.en0 - slack || (std::fabs(en0 - best.en0) <= slack && n < best.n))
                                 : (n < best.n || en0 < best.en0 - slack));
        if (better) {
          best = simon_characteristics(r1, n1, r, n, p0, p1);
          found = true;
        }
      }
    }
  }
  if (!found)
    throw Error(ErrorCategory::infeasible, std::string(where) + ": no design with n <= " + std::to_string(max_n) +
                                               " meets alpha = " + num(alpha) + " and power = " + num(1 - beta) +
                                               " for p0 = " + num(p0) + ", p1 = " + num(p1) + " (raise --max-n)");
  return best;
}

}  // namespace sirtkit::stats
