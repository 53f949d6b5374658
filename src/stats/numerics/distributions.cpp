#include "stats/numerics/distributions.h"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>

namespace sirtkit::stats {

double chisq_upper_p(double x, double df) {
  if (!std::isfinite(x) || !(df > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (x <= 0) return 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), x));
}

double normal_quantile(double p) {
  return boost::math::quantile(boost::math::normal(), p);
}

double normal_two_sided_p(double z) {
  if (!std::isfinite(z)) return std::isnan(z) ? z : 0.0;
  return 2.0 * boost::math::cdf(boost::math::normal(), -std::fabs(z));
}

double two_sided_z(double conf_level) { return normal_quantile(1.0 - (1.0 - conf_level) / 2.0); }

}  // namespace sirtkit::stats
