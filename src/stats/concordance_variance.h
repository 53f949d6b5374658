#pragma once
// The standard error of Harrell's concordance as R prints it
// (summary(coxph)$concordance "se", survival 3.5-3 R/concordance.R,
// concordancefit with std.err = TRUE, unit weights, timewt "n"): the
// infinitesimal jackknife. Each comparable pair adds one to the concordant,
// discordant or tied.x count of both of its rows (I_i); with C, D, T the
// totals, N = C + D + T and Somers' d = (C - D) / N,
//   dfbeta_i = (I_i,conc - I_i,disc) / N - (d / N) (I_i,conc + I_i,disc + I_i,tied.x)
//   var(C-index) = sum_i dfbeta_i^2 / 4.
// Pairs as in stats/concordance.h (within strata; a censoring at an event
// time counts as longer; tied event times are tied.y and excluded).
// O(n log n): one sweep down the times for each row as the shorter member of
// its pairs, one up the times for each row as the longer member.

#include <span>

#include "stats/concordance.h"

namespace sirtkit::stats {

struct ConcordanceWithSe {
  Concordance counts;
  double std_err = 0;  // NaN when there is no comparable pair
};

ConcordanceWithSe concordance_with_std_err(std::span<const double> time, std::span<const int> status,
                                           std::span<const double> risk_score, std::span<const int> strata = {});

}  // namespace sirtkit::stats
