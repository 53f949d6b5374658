#pragma once
// Sample size and power for comparing two proportions (normal approximation)
// and for a single-arm trial with an exact binomial test.
//
//  - R's stats::power.prop.test (pooled variance under H0, per-group n found by
//    uniroot with R's default tolerance, stepped as R steps it: same digits);
//  - rpact's getSampleSizeRates(groups = 2, normalApproximation = TRUE) (rpact
//    3.3 .getSampleSizeFixedRates): variance under H0 from the
//    Farrington-Manning (1990) restricted estimates, unequal allocation, a
//    non-zero difference or a risk ratio under H0;
//  - the continuity correction of Fleiss, Tytun & Ury (1980, Biometrics
//    36:343-346), n' = n/4 (1 + sqrt(1 + 2 (r + 1) / (r n |p1 - p2|)))^2 with n
//    the smaller arm (Fleiss, Levin & Paik 2003 eq. 4.19), applied to either;
//  - one arm, exact binomial: the smallest n with a critical count r such that
//    P(X >= r | p0) <= alpha and P(X >= r | p1) >= 1 - beta (A'Hern 2001, Stat
//    Med 20:859-866), reporting the exact alpha and power attained.

namespace sirtkit::stats {

// --- R power.prop.test ----------------------------------------------------
struct PowerPropInput {
  double p1 = 0, p2 = 0;
  double sig_level = 0.05;
  bool one_sided = false;  // alternative = "one.sided"
  bool strict = false;     // strict = TRUE: both tails count in the two-sided power
};
// Power for n per group (power.prop.test(n = ...)$power).
double power_prop_test_power(const PowerPropInput& input, double n_per_group);
// n per group for the power (power.prop.test(power = ...)$n), not rounded.
double power_prop_test_n(const PowerPropInput& input, double power);

// --- rpact getSampleSizeRates, two groups ---------------------------------
struct RatesInput {
  double alpha = 0.025, beta = 0.2;
  int sided = 1;
  double pi1 = 0, pi2 = 0;        // group 1 (experimental), group 2 (control)
  double allocation_ratio = 1;    // n1 / n2
  bool risk_ratio = false;        // test pi1 / pi2 = theta0 instead of pi1 - pi2 = theta0
  double theta0 = 0;              // difference (or ratio, default 1 when risk_ratio) under H0
};
struct RatesSampleSize {
  double n1 = 0, n2 = 0, n = 0;   // not rounded
  double restricted_pi1 = 0, restricted_pi2 = 0;  // Farrington-Manning estimates under H0
};
RatesSampleSize rates_sample_size(const RatesInput& input);

// Fleiss-Tytun-Ury continuity correction of a per-arm size n_small (the smaller
// arm) for |p1 - p2| = difference and ratio r = larger/smaller arm.
double continuity_corrected_n(double n_small, double difference, double ratio = 1);

// --- one arm, exact binomial ----------------------------------------------
struct ExactBinomialDesign {
  int n = 0;
  int critical = 0;       // reject H0 (p <= p0) when responses >= critical
  double alpha = 0;       // P(X >= critical | p0), exact
  double power = 0;       // P(X >= critical | p1), exact
};
// Smallest n (up to max_n) meeting alpha and power for H0: p <= p0 against p1 > p0.
// Infeasible (ErrorCategory::infeasible) if no n up to max_n does.
ExactBinomialDesign exact_binomial_design(double p0, double p1, double alpha, double beta, int max_n = 5000);

// P(X >= r) for X ~ Binomial(n, p), exact (Boost.Math).
double binomial_upper_tail(int r, int n, double p);

}  // namespace sirtkit::stats
