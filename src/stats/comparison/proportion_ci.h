#pragma once
// One binomial proportion x/n: confidence intervals and the exact binomial
// test, each as R's stats package computes it.
//
//  - Clopper-Pearson (1934) exact interval: R binom.test()$conf.int.
//  - Wilson (1927) score interval: R prop.test(x, n, correct = FALSE)$conf.int,
//    and with Yates' continuity correction: prop.test(x, n) (R's default).
//  - Exact two-sided binomial test: R binom.test(x, n, p)$p.value.

namespace sirtkit::stats {

enum class ProportionCiMethod { clopper_pearson, wilson, wilson_corrected };

// "clopper-pearson" | "exact", "wilson", "wilson-cc" | "wilson-corrected";
// anything else is bad input naming the method.
ProportionCiMethod parse_proportion_ci_method(const char* name);
const char* proportion_ci_method_name(ProportionCiMethod method);

struct ProportionInterval {
  double estimate = 0;  // x / n
  double lower = 0;
  double upper = 0;
};

// Throws bad input for n < 1, x < 0, x > n, or conf_level outside (0, 1).
ProportionInterval clopper_pearson_interval(int x, int n, double conf_level = 0.95);
// p0 is prop.test's null proportion; it matters only for the continuity
// correction, which R caps at |x - n p0| (so x = n/2 gets none when p0 = 0.5).
ProportionInterval wilson_interval(int x, int n, double conf_level = 0.95, bool continuity_correction = false,
                                   double p0 = 0.5);
ProportionInterval proportion_interval(int x, int n, ProportionCiMethod method, double conf_level = 0.95);

// Exact two-sided binomial test of H0: p = p0 (binom.test). Tables as likely
// as the observed one or less, within R's relative tolerance 1e-7, count.
double binomial_test_p(int x, int n, double p0 = 0.5);

// prop.test's chi-square for one proportion against p0, with or without
// Yates' correction, and its p-value on 1 df.
struct ProportionChisq {
  double statistic = 0;
  double p_value = 0;
};
ProportionChisq proportion_chisq_test(int x, int n, double p0 = 0.5, bool continuity_correction = true);

}  // namespace sirtkit::stats
