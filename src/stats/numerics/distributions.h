#pragma once
// Distribution functions the survival engine needs, via Boost.Math (DESIGN.md:
// exact quantiles for chi-square and normal). Names follow R: pchisq(upper),
// qnorm, 2*pnorm(-|z|).

namespace sirtkit::stats {

// P(X > x) for X ~ chi-square(df); R: pchisq(x, df, lower.tail = FALSE).
double chisq_upper_p(double x, double df);

// Standard normal quantile; R: qnorm(p).
double normal_quantile(double p);

// Two-sided p-value of a z statistic; R: 2 * pnorm(-abs(z)).
double normal_two_sided_p(double z);

// z for a two-sided interval of the given level, e.g. 0.95 -> 1.959964;
// R: qnorm(1 - (1 - conf.int) / 2).
double two_sided_z(double conf_level);

}  // namespace sirtkit::stats
