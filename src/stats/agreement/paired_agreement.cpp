#include "stats/agreement/paired_agreement.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <vector>

#include "core/error.h"

namespace sirtkit::stats {
namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

PairedAgreement paired_agreement(std::span<const double> a, std::span<const double> b, double conf_level) {
  if (a.size() != b.size()) throw Error(ErrorCategory::internal, "paired_agreement: unequal lengths");
  if (a.size() < 2) fail_input("paired agreement", "pairs", std::to_string(a.size()), "at least 2 pairs are needed");
  PairedAgreement r;
  r.n = static_cast<int>(a.size());
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!std::isfinite(a[i]) || !std::isfinite(b[i]))
      fail_input("paired agreement", "pair " + std::to_string(i + 1), "not finite", "values must be finite");
    d[i] = b[i] - a[i];
    r.mean_difference += d[i];
  }
  r.mean_difference /= r.n;
  double ss = 0;
  for (double x : d) ss += (x - r.mean_difference) * (x - r.mean_difference);
  r.sd_difference = std::sqrt(ss / (r.n - 1));
  const boost::math::students_t t(r.n - 1);
  const double q = boost::math::quantile(t, 1 - (1 - conf_level) / 2);
  const double se = r.sd_difference / std::sqrt(static_cast<double>(r.n));
  r.ci_low = r.mean_difference - q * se;
  r.ci_high = r.mean_difference + q * se;
  r.limits_low = r.mean_difference - 1.96 * r.sd_difference;
  r.limits_high = r.mean_difference + 1.96 * r.sd_difference;
  r.median_a = median({a.begin(), a.end()});
  r.median_b = median({b.begin(), b.end()});
  return r;
}

}  // namespace sirtkit::stats
