#include "stats/agreement/kappa.h"

#include <cmath>
#include <fmt/format.h>

#include "core/error.h"
#include "stats/numerics/distributions.h"

namespace sirtkit::stats {

KappaWeights parse_kappa_weights(const std::string& name) {
  if (name == "none" || name == "unweighted") return KappaWeights::none;
  if (name == "linear") return KappaWeights::linear;
  if (name == "quadratic") return KappaWeights::quadratic;
  fail_input("options", "weights", name, "none, linear or quadratic");
}

const char* kappa_weights_name(KappaWeights weights) {
  switch (weights) {
    case KappaWeights::none: return "none";
    case KappaWeights::linear: return "linear";
    case KappaWeights::quadratic: return "quadratic";
  }
  return "none";
}

std::vector<std::vector<double>> kappa_weight_matrix(int k, KappaWeights weights) {
  std::vector<std::vector<double>> w(k, std::vector<double>(k, 0.0));
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) {
      const double d = k > 1 ? std::fabs(i - j) / (k - 1.0) : 0.0;
      switch (weights) {
        case KappaWeights::none: w[i][j] = i == j ? 1.0 : 0.0; break;
        case KappaWeights::linear: w[i][j] = 1.0 - d; break;
        case KappaWeights::quadratic: w[i][j] = 1.0 - d * d; break;
      }
    }
  return w;
}

Kappa cohen_kappa(const std::vector<std::vector<double>>& table, KappaWeights weights, double conf_level) {
  const int k = static_cast<int>(table.size());
  if (k == 0) fail_input("kappa", "table", "0 categories", "at least one category");
  double total = 0;
  for (const auto& row : table) {
    if (static_cast<int>(row.size()) != k)
      fail_input("kappa", "table", fmt::format("a row of {} counts", row.size()), fmt::format("{} counts (a square table)", k));
    for (double c : row) {
      if (!(c >= 0) || !std::isfinite(c)) fail_input("kappa", "table", fmt::format("{}", c), "a count >= 0");
      total += c;
    }
  }
  if (total <= 0) fail_input("kappa", "ratings", "0 pairs", "at least one pair of ratings");

  Kappa r;
  r.categories = k;
  r.n = static_cast<std::int64_t>(std::llround(total));
  r.table = table;
  r.weights = weights;
  r.conf_level = conf_level;
  const auto w = kappa_weight_matrix(k, weights);
  std::vector<double> row_p(k, 0.0), col_p(k, 0.0);
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) {
      row_p[i] += table[i][j] / total;
      col_p[j] += table[i][j] / total;
    }
  double po = 0, pe = 0;
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) {
      po += w[i][j] * table[i][j] / total;
      pe += w[i][j] * row_p[i] * col_p[j];
    }
  r.observed_agreement = po;
  r.expected_agreement = pe;
  // Chance agreement of 1 (e.g. both raters used a single category) leaves kappa 0/0.
  if (pe >= 1 - 1e-12)
    fail_input("kappa", "ratings", fmt::format("expected agreement {:.6g}", pe),
               "ratings in more than one category (kappa is undefined when chance agreement is 1)");
  const double kappa = (po - pe) / (1 - pe);
  r.kappa = kappa;

  std::vector<double> wbar_row(k, 0.0), wbar_col(k, 0.0);
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) {
      wbar_row[i] += w[i][j] * col_p[j];
      wbar_col[j] += w[i][j] * row_p[i];
    }
  double sum_null = 0, sum_alt = 0;
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) {
      const double b = wbar_row[i] + wbar_col[j];
      sum_null += row_p[i] * col_p[j] * (w[i][j] - b) * (w[i][j] - b);
      const double a = w[i][j] - b * (1 - kappa);
      sum_alt += table[i][j] / total * a * a;
    }
  const double denom = total * (1 - pe) * (1 - pe);
  const double c = kappa - pe * (1 - kappa);
  // Rounding can take a zero variance (e.g. perfect agreement) just below 0.
  r.se_null = std::sqrt(std::max(0.0, (sum_null - pe * pe) / denom));
  r.se = std::sqrt(std::max(0.0, (sum_alt - c * c) / denom));
  r.z = r.se_null > 0 ? kappa / r.se_null : std::nan("");
  r.p_value = normal_two_sided_p(r.z);
  const double z = two_sided_z(conf_level);
  r.lower = kappa - z * r.se;
  r.upper = kappa + z * r.se;
  return r;
}

Kappa cohen_kappa(std::span<const int> rater1, std::span<const int> rater2, int categories, KappaWeights weights,
                  double conf_level) {
  if (rater1.size() != rater2.size())
    fail_input("kappa", "ratings", fmt::format("{} and {} ratings", rater1.size(), rater2.size()), "one rating per rater for each subject");
  std::vector<std::vector<double>> table(categories, std::vector<double>(categories, 0.0));
  for (std::size_t s = 0; s < rater1.size(); ++s) {
    const int a = rater1[s], b = rater2[s];
    if (a < 0 || a >= categories || b < 0 || b >= categories)
      fail_input("kappa", fmt::format("subject {}", s + 1), fmt::format("{} / {}", a, b), fmt::format("category codes 0..{}", categories - 1));
    table[a][b] += 1;
  }
  return cohen_kappa(table, weights, conf_level);
}

}  // namespace sirtkit::stats
