#include "stats/trial/minimisation.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace sirtkit::stats {
namespace {

double dispersion(const std::vector<double>& x, ImbalanceMeasure m) {
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  if (m == ImbalanceMeasure::range) return *hi - *lo;
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  const double var = ss / static_cast<double>(x.size() - 1);  // R var(): n − 1
  return m == ImbalanceMeasure::variance ? var : std::sqrt(var);
}

bool same_score(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

}  // namespace

ImbalanceMeasure parse_imbalance_measure(const std::string& text, const std::string& where) {
  if (text == "range") return ImbalanceMeasure::range;
  if (text == "variance" || text == "var") return ImbalanceMeasure::variance;
  if (text == "sd") return ImbalanceMeasure::sd;
  fail_input(where, "imbalance", text, "range, variance or sd");
}

const char* imbalance_measure_name(ImbalanceMeasure m) {
  switch (m) {
    case ImbalanceMeasure::range: return "range";
    case ImbalanceMeasure::variance: return "variance";
    case ImbalanceMeasure::sd: return "sd";
  }
  return "?";
}

std::vector<double> minimisation_scores(const std::vector<std::vector<long long>>& level_counts, const std::vector<int>& ratio,
                                        const std::vector<double>& weights, ImbalanceMeasure measure) {
  const std::size_t arms = ratio.size();
  if (arms < 2 || weights.size() != level_counts.size())
    throw Error(ErrorCategory::internal, "minimisation_scores: inconsistent sizes");
  std::vector<double> g(arms, 0.0);
  std::vector<double> x(arms);
  for (std::size_t k = 0; k < arms; ++k)
    for (std::size_t i = 0; i < level_counts.size(); ++i) {
      if (level_counts[i].size() != arms) throw Error(ErrorCategory::internal, "minimisation_scores: counts per arm");
      for (std::size_t j = 0; j < arms; ++j)
        x[j] = static_cast<double>(level_counts[i][j] + (j == k ? 1 : 0)) / ratio[j];
      g[k] += weights[i] * dispersion(x, measure);
    }
  return g;
}

std::vector<double> minimisation_probabilities(const std::vector<double>& scores, const std::vector<int>& ratio, double p_preferred) {
  const std::size_t arms = scores.size();
  const double best = *std::min_element(scores.begin(), scores.end());
  std::size_t preferred = 0;
  for (double g : scores) preferred += same_score(g, best);
  std::vector<double> prob(arms);
  if (preferred == arms) {
    double total = 0;
    for (int r : ratio) total += r;
    for (std::size_t k = 0; k < arms; ++k) prob[k] = ratio[k] / total;
    return prob;
  }
  for (std::size_t k = 0; k < arms; ++k)
    prob[k] = same_score(scores[k], best) ? p_preferred / static_cast<double>(preferred)
                                          : (1 - p_preferred) / static_cast<double>(arms - preferred);
  return prob;
}

}  // namespace sirtkit::stats
