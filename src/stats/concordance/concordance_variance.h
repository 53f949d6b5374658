#pragma once
// The standard error of Harrell's concordance as R prints it
// (summary(coxph)$concordance "se", survival 3.5-3 R/concordance.R,
// concordancefit with std.err = TRUE, unit weights, timewt "n"): the
// infinitesimal jackknife. Each comparable pair adds one to the concordant,
// discordant or tied.x count of both of its rows (I_i); with C, D, T the
// totals, N = C + D + T and Somers' d = (C - D) / N,
//   dfbeta_i = (I_i,conc - I_i,disc) / N - (d / N) (I_i,conc + I_i,disc + I_i,tied.x)
//   var(C-index) = sum_i dfbeta_i^2 / 4.
// Pairs as in stats/concordance/concordance.h (within strata; a censoring at an event
// time counts as longer; tied event times are tied.y and excluded).
// O(n log n): one sweep down the times for each row as the shorter member of
// its pairs, one up the times for each row as the longer member.
//
// Counting-process (start, stop] rows (coxph(Surv(start, stop, event) ~ ...),
// concordancefit's concordance4): at each event time t of row i, every other
// row j of the stratum at risk at t (start_j < t <= stop_j) forms a pair with
// it, as stats/concordance/concordance_counting.h counts them; each pair adds to I_i and
// I_j as above. A row's pairs as the longer member are the events at times in
// (start_j, stop_j] (stop_j itself excluded when j is an event: tied.y).
//
// cluster (optional, one code per row, as coxph's cluster(id)): the dfbeta of
// the rows of a cluster are summed before squaring, as concordancefit does
// with its cluster argument (and so coxph with a cluster term).

#include <cstdint>
#include <span>

#include "stats/concordance/concordance.h"

namespace sirtkit::stats {

struct ConcordanceWithSe {
  Concordance counts;
  double std_err = 0;  // NaN when there is no comparable pair
};

// time_order: empty, or the rows' stable ascending order by `time` when the
// caller has it (stats/survival/time_fix.h aeq_times_in_order), which saves a sort.
ConcordanceWithSe concordance_with_std_err(std::span<const double> time, std::span<const int> status,
                                           std::span<const double> risk_score, std::span<const int> strata = {},
                                           std::span<const int> cluster = {},
                                           std::span<const std::uint32_t> time_order = {});

ConcordanceWithSe concordance_counting_with_std_err(std::span<const double> start, std::span<const double> stop,
                                                    std::span<const int> status, std::span<const double> risk_score,
                                                    std::span<const int> strata = {}, std::span<const int> cluster = {});

}  // namespace sirtkit::stats
