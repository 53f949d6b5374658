#pragma once
// Cohen's kappa for two raters and k categories, unweighted or weighted
// (Cohen 1968), with the large-sample standard errors of Fleiss, Cohen &
// Everitt (1969, Psychol Bull 72:323):
//
//   p_ij = n_ij / n, p_i. and p_.j the two raters' marginals, w_ij the weights
//   (1 on the diagonal; unweighted: 0 off it),
//   p_o = sum w_ij p_ij,  p_e = sum w_ij p_i. p_.j,  kappa = (p_o - p_e) / (1 - p_e),
//   wbar_i. = sum_j w_ij p_.j,  wbar_.j = sum_i w_ij p_i.,
//   var0  = [sum p_i. p_.j (w_ij - (wbar_i. + wbar_.j))^2 - p_e^2] / (n (1 - p_e)^2)        (under kappa = 0)
//   var1  = [sum p_ij (w_ij - (wbar_i. + wbar_.j)(1 - kappa))^2
//            - (kappa - p_e (1 - kappa))^2] / (n (1 - p_e)^2)                             (around the estimate)
//
// The z test uses se0 (z = kappa / se0, two-sided normal p); the confidence
// interval uses se1 (kappa -/+ z_(1-alpha/2) se1). With identity weights these
// reduce to Fleiss (1981) for the unweighted kappa.
// Weights for ordered categories 1..k: linear w_ij = 1 - |i - j| / (k - 1),
// quadratic w_ij = 1 - (i - j)^2 / (k - 1)^2 (Cicchetti-Allison and Fleiss-Cohen).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sirtkit::stats {

enum class KappaWeights { none, linear, quadratic };
KappaWeights parse_kappa_weights(const std::string& name);  // "none" | "linear" | "quadratic"; bad_input otherwise
const char* kappa_weights_name(KappaWeights weights);

struct Kappa {
  int categories = 0;
  std::int64_t n = 0;                    // rated pairs
  std::vector<std::vector<double>> table;  // counts, rows = rater 1, columns = rater 2
  KappaWeights weights = KappaWeights::none;
  double observed_agreement = 0;  // p_o (weighted when weights are used)
  double expected_agreement = 0;  // p_e
  double kappa = 0;
  double se_null = 0;  // se under kappa = 0, for the test
  double se = 0;       // se around the estimate, for the CI
  double z = 0, p_value = 1;
  double conf_level = 0.95, lower = 0, upper = 0;
};

// The k x k weight matrix.
std::vector<std::vector<double>> kappa_weight_matrix(int categories, KappaWeights weights);

// From a k x k table of counts. Throws bad_input when the table is not square,
// has a negative count, is empty, or when chance agreement is 1 (both raters
// used one category only, so kappa is undefined).
Kappa cohen_kappa(const std::vector<std::vector<double>>& table, KappaWeights weights = KappaWeights::none,
                  double conf_level = 0.95);

// From paired ratings coded 0..categories-1.
Kappa cohen_kappa(std::span<const int> rater1, std::span<const int> rater2, int categories,
                  KappaWeights weights = KappaWeights::none, double conf_level = 0.95);

}  // namespace sirtkit::stats
