#include "stats/survival/restricted_mean.h"

#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "stats/numerics/distributions.h"

namespace sirtkit::stats {

RestrictedMean restricted_mean(const KmCurve& c, double tau, double conf_level) {
  if (!(std::isfinite(tau) && tau > 0)) fail_input("restricted mean", "tau", std::to_string(tau), "a time > 0");
  const bool weighted = !c.weighted_n_risk.empty();
  // survmean's pfun: the rows with time <= tau, then tau itself.
  std::vector<double> t, s, hh;
  for (std::size_t i = 0; i < c.size() && c.time[i] <= tau; ++i) {
    const double n = weighted ? c.weighted_n_risk[i] : static_cast<double>(c.n_risk[i]);
    const double d = weighted ? c.weighted_n_event[i] : static_cast<double>(c.n_event[i]);
    t.push_back(c.time[i]);
    s.push_back(c.surv[i]);
    hh.push_back(n - d == 0 ? 0.0 : d / (n * (n - d)));
  }
  RestrictedMean r;
  r.tau = tau;
  r.beyond_follow_up = c.size() > 0 && tau > c.time.back();
  const double start = std::min(0.0, c.size() ? c.time.front() : 0.0);
  if (t.empty()) {
    r.rmean = tau;  // S = 1 throughout
  } else {
    const std::size_t m = t.size();
    // rectangles: (t_1 - start) * 1, (t_j - t_{j-1}) S_{j-1}, (tau - t_m) S_m
    std::vector<double> rect(m + 1);
    rect[0] = t[0] - start;
    for (std::size_t j = 1; j < m; ++j) rect[j] = (t[j] - t[j - 1]) * s[j - 1];
    rect[m] = (tau - t[m - 1]) * s[m - 1];
    double mean = 0;
    for (double v : rect) mean += v;
    r.rmean = mean + start;
    double area = 0, var = 0;  // area from t_j to tau, accumulated backwards
    for (std::size_t j = m; j >= 1; --j) {
      area += rect[j];
      var += area * area * hh[j - 1];
    }
    r.std_err = std::sqrt(var);
  }
  const double z = two_sided_z(conf_level);
  r.lower = r.rmean - z * r.std_err;
  r.upper = r.rmean + z * r.std_err;
  return r;
}

RestrictedMeanDifference restricted_mean_difference(const RestrictedMean& a, const RestrictedMean& b, double conf_level) {
  RestrictedMeanDifference d;
  d.estimate = a.rmean - b.rmean;
  d.std_err = std::sqrt(a.std_err * a.std_err + b.std_err * b.std_err);
  const double z = two_sided_z(conf_level);
  d.lower = d.estimate - z * d.std_err;
  d.upper = d.estimate + z * d.std_err;
  d.z = d.std_err > 0 ? d.estimate / d.std_err : std::nan("");
  d.p_value = d.std_err > 0 ? normal_two_sided_p(d.z) : std::nan("");
  return d;
}

}  // namespace sirtkit::stats
