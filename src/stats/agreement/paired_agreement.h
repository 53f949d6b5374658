#pragma once
// Agreement of paired measurements (e.g. planned vs delivered tumour dose,
// seed 002): differences b − a, their mean with a Student-t confidence
// interval (as R's t.test(b - a)), and Bland–Altman 95 % limits of agreement
// mean ± 1.96·SD (Bland & Altman, Lancet 1986;327:307).

#include <span>

namespace sirtkit::stats {

struct PairedAgreement {
  int n = 0;
  double mean_difference = 0;
  double sd_difference = 0;           // n − 1 denominator
  double ci_low = 0, ci_high = 0;     // of the mean difference, Student t with n − 1 df
  double limits_low = 0, limits_high = 0;  // Bland–Altman: mean ± 1.96·SD
  double median_a = 0, median_b = 0;
};

// Needs n >= 2 pairs of finite values (sirtkit::Error otherwise).
PairedAgreement paired_agreement(std::span<const double> a, std::span<const double> b, double conf_level = 0.95);

}  // namespace sirtkit::stats
