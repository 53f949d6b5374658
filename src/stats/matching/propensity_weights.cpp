#include "stats/matching/propensity_weights.h"

#include <string>

#include "core/error.h"

namespace sirtkit::stats {

std::vector<double> propensity_weights(std::span<const int> treat, std::span<const double> propensity, Estimand estimand,
                                       bool stabilised) {
  if (treat.size() != propensity.size()) throw Error(ErrorCategory::internal, "propensity_weights: sizes differ");
  double n1 = 0;
  for (int t : treat) n1 += t;
  const double p1 = n1 / static_cast<double>(treat.size());
  std::vector<double> w(treat.size());
  for (std::size_t i = 0; i < treat.size(); ++i) {
    const double e = propensity[i];
    if (treat[i]) w[i] = estimand == Estimand::ate ? 1 / e : 1.0;
    else w[i] = estimand == Estimand::ate ? 1 / (1 - e) : e / (1 - e);
    if (stabilised) w[i] *= treat[i] ? p1 : 1 - p1;
  }
  return w;
}

double effective_sample_size(std::span<const int> treat, std::span<const double> weights, int arm) {
  double s = 0, s2 = 0;
  for (std::size_t i = 0; i < treat.size(); ++i)
    if (treat[i] == arm) {
      s += weights[i];
      s2 += weights[i] * weights[i];
    }
  return s2 > 0 ? s * s / s2 : 0.0;
}

}  // namespace sirtkit::stats
