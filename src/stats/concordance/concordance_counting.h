#pragma once
// Harrell's concordance for counting-process (start, stop] data, as
// survival::concordancefit(Surv(start, stop, event), x, strata, reverse = TRUE)
// counts it (survival 3.5-3): at each event time t of row i, every other row j
// of the stratum at risk at t (start_j < t <= stop_j) is compared with i.
// A row censored at t counts as longer; rows with an event at t are tied.y.
// O(n log n) with a Fenwick tree over the ranks of the score.

#include <span>

#include "stats/concordance/concordance.h"

namespace sirtkit::stats {

Concordance concordance_counting(std::span<const double> start, std::span<const double> stop,
                                 std::span<const int> status, std::span<const double> risk_score,
                                 std::span<const int> strata = {});

}  // namespace sirtkit::stats
